// SPDX-License-Identifier: MIT
#include "live/server/agent_listener.h"

#include "live/server/bearer_token.h"
#include "live/server/origin_policy.h"
#include "live/server/tcp_listen.h"

#include <QTcpSocket>

#include <fcntl.h>
#include <unistd.h>

namespace flight::live {

namespace {

constexpr qsizetype kMaxRequestHead = 16 * 1024;
// Descriptors kept free for what the agent itself opens (files, Qt's own).
constexpr int kReserveDescriptors = 4;

// Descriptors still free, counted up to `want`: each probed with a duplicate
// of `fd`, closed again at once. Qt reports a failed accept() for want of
// descriptors (EMFILE) as a temporary error and tries again at once, which
// spins while a connection waits in the backlog: this is how we see it coming.
int freeDescriptors(qintptr fd, int want)
{
    int taken[kReserveDescriptors];
    int n = 0;
    while (n < want && n < kReserveDescriptors) {
        const int d = ::fcntl(static_cast<int>(fd), F_DUPFD_CLOEXEC, 0);
        if (d < 0)
            break;
        taken[n++] = d;
    }
    for (int i = 0; i < n; ++i)
        ::close(taken[i]);
    return n;
}

} // namespace

AgentListener::AgentListener(QObject* context, std::function<void(QTcpSocket*)> admit,
                             std::function<std::size_t()> clients)
    : m_context(context), m_admit(std::move(admit)), m_clients(std::move(clients))
{
    // QTcpServer's own queue is not where connections wait: they are taken at once.
    QObject::connect(&m_tcp, &QTcpServer::newConnection, m_context, [this] { onNewConnections(); });
    QObject::connect(&m_tcp, &QTcpServer::acceptError, m_context,
                     [this](QAbstractSocket::SocketError e) { onAcceptError(e); });
    m_resume.setSingleShot(true);
    m_resume.setInterval(1000);
    QObject::connect(&m_resume, &QTimer::timeout, m_context, [this] { resumeAccepting(); });
}

AgentListener::~AgentListener()
{
    close();
}

Result<quint16> AgentListener::listen(Options options)
{
    m_options = std::move(options);
    // One connection accepted at a time (the next once this one is taken), and
    // none taken with fewer than the reserve free, so the reserve stays free:
    // QTcpServer would otherwise accept up to 30 at once and leave the agent
    // none for its own files (and sanitizers none for their checks).
    m_tcp.setMaxPendingConnections(1);
    return listenOn(m_tcp, m_options.address, m_options.port);
}

void AgentListener::close()
{
    m_resume.stop();
    m_tcp.close();
    m_heads.clear();
    const QSet<QTcpSocket*> pending = std::exchange(m_pending, {});
    for (QTcpSocket* sock : pending) {
        QObject::disconnect(sock, nullptr, m_context, nullptr);
        sock->abort();
        sock->deleteLater();
    }
}

void AgentListener::onNewConnections()
{
    while (m_tcp.hasPendingConnections()) {
        if (freeDescriptors(m_tcp.socketDescriptor(), kReserveDescriptors) < kReserveDescriptors) {
            // Left in QTcpServer's queue: with one pending at most, it accepts
            // no more until this one is taken (resumeAccepting takes it).
            pause();
            return;
        }
        QTcpSocket* sock = m_tcp.nextPendingConnection();
        // A live stream of small frames: sent at once, not held back (Nagle) until
        // the client acknowledges the last one (a client that reads in batches
        // acknowledges late: up to 40 ms more before the next frame left).
        sock->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_pending.insert(sock);
        QObject::connect(sock, &QObject::destroyed, m_context, [this, sock] {
            m_heads.remove(sock); // its address may be a later socket's
            if (m_pending.remove(sock))
                connectionClosed();
        });
        QObject::connect(sock, &QTcpSocket::disconnected, sock, &QObject::deleteLater);
        if (static_cast<std::size_t>(m_pending.size()) > m_options.maxClients) {
            // Too many handshakes at once (a flood, or hung peers): no more
            // descriptors and timers spent on this one.
            ++m_counters.busyRefused;
            ++m_counters.refused;
            sock->write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n"
                        "Retry-After: 5\r\n\r\n");
            sock->disconnectFromHost();
            continue;
        }
        auto* timer = new QTimer(sock);
        m_heads.insert(sock);
        timer->setSingleShot(true);
        QObject::connect(timer, &QTimer::timeout, m_context, [this, sock] {
            ++m_counters.refused;
            sock->abort();
            sock->deleteLater();
        });
        timer->start(m_options.handshakeTimeout);
        QObject::connect(sock, &QTcpSocket::readyRead, m_context, [this, sock, timer] { checkHead(sock, timer); });
        if (sock->bytesAvailable() > 0)
            checkHead(sock, timer);
    }
    if (m_tcp.isListening() && freeDescriptors(m_tcp.socketDescriptor(), kReserveDescriptors) < kReserveDescriptors)
        pause();
}

void AgentListener::pause()
{
    // The kernel keeps new connections in the backlog meanwhile.
    m_tcp.pauseAccepting();
    if (!m_paused)
        ++m_counters.acceptPauses;
    m_paused = true;
    m_resume.start();
}

void AgentListener::onAcceptError(QAbstractSocket::SocketError error)
{
    if (error == QAbstractSocket::SocketResourceError)
        pause(); // else QTcpServer goes on by itself
}

void AgentListener::resumeAccepting()
{
    if (!m_paused || !m_tcp.isListening())
        return;
    if (freeDescriptors(m_tcp.socketDescriptor(), kReserveDescriptors) < kReserveDescriptors) {
        m_resume.start(); // still full: look again in a second, or when a connection closes
        return;
    }
    m_paused = false;
    m_resume.stop();
    m_tcp.resumeAccepting();
    if (m_tcp.hasPendingConnections())
        onNewConnections(); // the one accepted before the pause
}

void AgentListener::connectionClosed()
{
    if (m_paused) // let the event loop release the descriptor first
        QTimer::singleShot(0, m_context, [this] { resumeAccepting(); });
}

void AgentListener::refuse(QTcpSocket* sock, QTimer* timer, const char* status, const char* headers)
{
    m_heads.remove(sock);
    timer->stop();
    QObject::disconnect(sock, &QTcpSocket::readyRead, m_context, nullptr);
    ++m_counters.refused;
    sock->write(QByteArray("HTTP/1.1 ") + status + "\r\nContent-Length: 0\r\nConnection: close\r\n" + headers + "\r\n");
    sock->disconnectFromHost();
}

void AgentListener::checkHead(QTcpSocket* sock, QTimer* timer)
{
    // Once admitted or refused, a socket's head is not looked at again (its
    // handshake timer may be gone): a readyRead emitted for the WebSocket
    // server after admission must not come back here.
    if (!m_pending.contains(sock) || !m_heads.contains(sock))
        return;
    const QByteArray head = sock->peek(kMaxRequestHead + 4);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() > kMaxRequestHead)
            refuse(sock, timer, "431 Request Header Fields Too Large");
        return;
    }
    const QByteArrayView requestHead = QByteArrayView(head).first(end);
    if (!requestOriginAllowed(requestHead, m_options.origins)) { // before the token: a page gets no oracle for it
        ++m_counters.originsRefused;
        refuse(sock, timer, "403 Forbidden");
        return;
    }
    if (m_clients() >= m_options.maxClients) {
        ++m_counters.busyRefused;
        refuse(sock, timer, "503 Service Unavailable", "Retry-After: 5\r\n");
        return;
    }
    if (!m_options.token.isEmpty()) {
        const auto given = bearerTokenFromRequestHead(requestHead);
        if (!given || !constantTimeEquals(*given, m_options.token)) {
            // Answered later, the more so the more this address failed (handshake_throttle.h).
            ++m_counters.tokensRefused;
            timer->stop();
            QObject::disconnect(sock, &QTcpSocket::readyRead, m_context, nullptr);
            const auto now = HandshakeThrottle::Clock::now();
            const auto when = m_throttle.failed(sock->peerAddress(), now);
            QTimer::singleShot(std::chrono::ceil<std::chrono::milliseconds>(when - now), sock, [this, sock, timer] {
                refuse(sock, timer, "401 Unauthorized", "WWW-Authenticate: Bearer\r\n");
            });
            return;
        }
    }
    m_heads.remove(sock);
    timer->stop();
    timer->deleteLater();
    m_pending.remove(sock);
    QObject::disconnect(sock, nullptr, m_context, nullptr);
    QObject::disconnect(sock, &QTcpSocket::disconnected, sock, &QObject::deleteLater);
    m_admit(sock);
}

} // namespace flight::live
