// SPDX-License-Identifier: MIT
#include "live/metrics/metrics_listener.h"

#include "live/server/bearer_token.h"
#include "live/server/http_request_head.h"
#include "live/server/tcp_listen.h"

#include <QTcpSocket>
#include <QTimer>

namespace flight::live {

namespace {

constexpr qsizetype kMaxRequestHead = 8 * 1024;

// A Host header naming an IP address or localhost (any port). A web page that
// rebinds its own domain name to 127.0.0.1 still sends that name, so without
// a token only these are served.
bool hostIsAddressOrLocalhost(const QByteArray& host)
{
    QByteArray name = host;
    if (name.startsWith('[')) {
        name = name.mid(1, name.indexOf(']') - 1);
    } else if (name.count(':') == 1) {
        name = name.left(name.indexOf(':'));
    }
    return name.compare("localhost", Qt::CaseInsensitive) == 0 || !QHostAddress(QString::fromLatin1(name)).isNull();
}

} // namespace

MetricsListener::MetricsListener(Render render) : m_render(std::move(render))
{
    QObject::connect(&m_tcp, &QTcpServer::newConnection, &m_context, [this] { onNewConnections(); });
}

MetricsListener::~MetricsListener()
{
    close();
}

Result<quint16> MetricsListener::listen(Options options)
{
    m_options = std::move(options);
    if (!m_options.address.isLoopback() && m_options.token.isEmpty())
        return makeError(MemoryErrorCode::IoError,
                         "--metrics-listen " + m_options.address.toString().toStdString()
                             + " is not a loopback address: it needs --token-file (scrapers then send "
                               "'Authorization: Bearer <token>')");
    return listenOn(m_tcp, m_options.address, m_options.port, " for metrics");
}

void MetricsListener::close()
{
    m_tcp.close();
    const QSet<QTcpSocket*> open = std::exchange(m_open, {});
    for (QTcpSocket* sock : open) {
        QObject::disconnect(sock, nullptr, &m_context, nullptr);
        sock->abort();
        sock->deleteLater();
    }
}

QUrl MetricsListener::url() const
{
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    u.setHost(m_tcp.serverAddress().toString());
    u.setPort(m_tcp.serverPort());
    u.setPath(QStringLiteral("/metrics"));
    return u;
}

void MetricsListener::onNewConnections()
{
    while (QTcpSocket* sock = m_tcp.nextPendingConnection()) {
        m_open.insert(sock);
        QObject::connect(sock, &QObject::destroyed, &m_context, [this, sock] { m_open.remove(sock); });
        QObject::connect(sock, &QTcpSocket::disconnected, sock, &QObject::deleteLater);
        auto* timer = new QTimer(sock);
        timer->setSingleShot(true);
        if (static_cast<std::size_t>(m_open.size()) > m_options.maxConnections) {
            answer(sock, timer, "503 Service Unavailable", "Retry-After: 1\r\n");
            continue;
        }
        QObject::connect(timer, &QTimer::timeout, &m_context, [this, sock] {
            ++m_counters.refused;
            sock->abort();
            sock->deleteLater();
        });
        timer->start(m_options.requestTimeout);
        QObject::connect(sock, &QTcpSocket::readyRead, &m_context, [this, sock, timer] { onReadable(sock, timer); });
        if (sock->bytesAvailable() > 0)
            onReadable(sock, timer);
    }
}

void MetricsListener::answer(QTcpSocket* sock, QTimer* timer, const QByteArray& status, const QByteArray& headers,
                             const QByteArray& body)
{
    timer->stop();
    QObject::disconnect(sock, &QTcpSocket::readyRead, &m_context, nullptr);
    if (!status.startsWith("200"))
        ++m_counters.refused;
    sock->write("HTTP/1.1 " + status + "\r\nContent-Length: " + QByteArray::number(body.size())
                + "\r\nConnection: close\r\n" + headers + "\r\n" + body);
    sock->disconnectFromHost();
}

void MetricsListener::onReadable(QTcpSocket* sock, QTimer* timer)
{
    const QByteArray head = sock->peek(kMaxRequestHead + 4);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() > kMaxRequestHead)
            answer(sock, timer, "431 Request Header Fields Too Large");
        return;
    }
    const QByteArrayView requestHead = QByteArrayView(head).first(end);
    const qsizetype lineEnd = requestHead.indexOf('\r');
    const QList<QByteArray> parts =
        (lineEnd < 0 ? requestHead : requestHead.first(lineEnd)).toByteArray().split(' ');
    if (parts.size() != 3 || !parts[2].startsWith("HTTP/1.")) {
        answer(sock, timer, "400 Bad Request");
        return;
    }
    if (!requestHeaderValues(requestHead, "Origin").isEmpty()) {
        answer(sock, timer, "403 Forbidden");
        return;
    }
    if (m_options.token.isEmpty()) {
        const QList<QByteArray> hosts = requestHeaderValues(requestHead, "Host");
        if (!hosts.isEmpty() && !hostIsAddressOrLocalhost(hosts.first())) {
            answer(sock, timer, "403 Forbidden");
            return;
        }
    } else {
        const auto given = bearerTokenFromRequestHead(requestHead);
        if (!given || !constantTimeEquals(*given, m_options.token)) {
            ++m_counters.tokensRefused;
            timer->stop();
            QObject::disconnect(sock, &QTcpSocket::readyRead, &m_context, nullptr);
            const auto now = HandshakeThrottle::Clock::now();
            const auto when = m_throttle.failed(sock->peerAddress(), now);
            QTimer::singleShot(std::chrono::ceil<std::chrono::milliseconds>(when - now), sock, [this, sock, timer] {
                answer(sock, timer, "401 Unauthorized", "WWW-Authenticate: Bearer\r\n");
            });
            return;
        }
    }
    if (parts[0] != "GET") {
        answer(sock, timer, "405 Method Not Allowed", "Allow: GET\r\n");
        return;
    }
    const QByteArray path = parts[1].left(parts[1].indexOf('?') < 0 ? parts[1].size() : parts[1].indexOf('?'));
    if (path != "/metrics") {
        answer(sock, timer, "404 Not Found");
        return;
    }
    const QList<QByteArray> accept = requestHeaderValues(requestHead, "Accept");
    const ExpositionFormat format = negotiateExposition(accept.join(',').toStdString());
    const std::string body = m_render(format);
    ++m_counters.served;
    answer(sock, timer, "200 OK", "Content-Type: " + QByteArray(contentTypeOf(format).data(),
                                                               static_cast<qsizetype>(contentTypeOf(format).size()))
                                          + "\r\n",
           QByteArray::fromStdString(body));
}

} // namespace flight::live
