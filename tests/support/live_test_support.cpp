// SPDX-License-Identifier: MIT
#include "live_test_support.h"

#include "live/server/agent_server.h"
#include "live/sources/source_spec.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace flight::livetest {

live::LiveSessionOptions quickClientOptions(const QUrl& url)
{
    live::LiveSessionOptions o;
    o.connection.url = url;
    o.connection.backoff.base = std::chrono::milliseconds(50);
    o.connection.backoff.max = std::chrono::milliseconds(400);
    o.publishInterval = std::chrono::milliseconds(20);
    return o;
}

void ensureCoreApp()
{
    if (QCoreApplication::instance())
        return;
    static int argc = 1;
    static char name[] = "flight-tests";
    static char* argv[] = {name, nullptr};
    new QCoreApplication(argc, argv); // lives as long as the process
}

ClosedPort::ClosedPort()
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
        || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        ADD_FAILURE() << "cannot bind a loopback port";
    m_port = ntohs(addr.sin_port);
}

ClosedPort::~ClosedPort()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QUrl ClosedPort::wsUrl() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/live").arg(m_port));
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return done();
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

void pump(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QByteArray exchangeRaw(quint16 port, const QByteArray& request)
{
    QTcpSocket sock;
    sock.connectToHost(QHostAddress::LocalHost, port);
    if (!waitUntil([&] { return sock.state() == QAbstractSocket::ConnectedState
                                || sock.state() == QAbstractSocket::UnconnectedState; })
        || sock.state() != QAbstractSocket::ConnectedState)
        return {};
    sock.write(request);
    QByteArray answer;
    waitUntil([&] {
        answer += sock.readAll();
        return sock.state() == QAbstractSocket::UnconnectedState;
    }, 8000);
    answer += sock.readAll();
    return answer;
}

bool waitForIdleWorkers(int timeoutMs)
{
    QThreadPool* pool = QThreadPool::globalInstance();
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        // waitForDone(0): no task queued or running. Then deliver what they
        // posted, which may start new tasks: idle only when it still holds.
        if (pool->waitForDone(0)) {
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
            if (pool->waitForDone(0))
                return true;
        }
        pump(5);
    }
    return false;
}

std::vector<std::string> Stream::lines() const
{
    std::vector<std::string> out;
    out.reserve(items.size());
    for (const auto& i : items)
        out.push_back(i.json);
    return out;
}

Stream makeStream(int sessions, int perSession)
{
    static const char* const purposes[] = {"vm-heap", "asset-cache", "component-stack", "network-buffers", "temporary"};
    Stream s;
    struct Live {
        std::vector<std::pair<std::string, std::uint64_t>> allocs; // live ids and sizes
        std::uint64_t used = 0;
        std::uint64_t seq = 0;
        int next = 0;
    };
    std::vector<Live> live(static_cast<std::size_t>(sessions));
    const std::int64_t t0 = 1764000000000;
    std::int64_t t = t0;
    for (int step = 0; step < perSession; ++step) {
        for (int k = 0; k < sessions; ++k) {
            Live& l = live[static_cast<std::size_t>(k)];
            const std::string sid = "vm-" + std::to_string(k + 1);
            ExpectedSession& e = s.expected[sid];
            const std::uint64_t seq = ++l.seq;
            t += 3;
            std::string json;
            if (step == 0) {
                json = R"({"type":"session_started","sessionId":")" + sid
                     + R"(","platform":"v6r-small","timestamp":)" + std::to_string(t);
            } else if (step % 10 == 0) {
                json = R"({"type":"marker","sessionId":")" + sid + R"(","timestamp":)" + std::to_string(t)
                     + R"(,"label":"step )" + std::to_string(step) + '"';
                ++e.markers;
            } else if (step % 3 == 0 && !l.allocs.empty()) {
                const auto [id, bytes] = l.allocs.front();
                l.allocs.erase(l.allocs.begin());
                l.used -= bytes;
                json = R"({"type":"free","sessionId":")" + sid + R"(","allocationId":")" + id
                     + R"(","freedAt":)" + std::to_string(t);
            } else {
                const std::string id = "a-" + std::to_string(++l.next);
                const std::uint64_t bytes = 1024u * static_cast<std::uint64_t>(1 + (step * 7 + k) % 50);
                const char* purpose = purposes[(step + k) % 5];
                json = R"({"type":"allocation","allocation":{"id":")" + id + R"(","sessionId":")" + sid
                     + R"(","size":{"bytes":)" + std::to_string(bytes) + R"(},"purpose":")" + purpose
                     + R"(","allocatedAt":)" + std::to_string(t) + '}';
                l.allocs.emplace_back(id, bytes);
                l.used += bytes;
                ++e.totalAllocations;
                e.peakBytes = std::max(e.peakBytes, l.used);
            }
            json += R"(,"seq":)" + std::to_string(seq) + '}';
            s.items.push_back({std::move(json), sid, seq});
            e.usedBytes = l.used;
            e.activeAllocations = l.allocs.size();
        }
    }
    return s;
}

TestProducer::TestProducer(Stream stream, Options options)
    : m_stream(std::move(stream)), m_options(std::move(options))
{
    if (m_options.tls) {
        m_ws = std::make_unique<QWebSocketServer>(QStringLiteral("test-producer"), QWebSocketServer::SecureMode);
        m_ws->setSslConfiguration(*m_options.tls);
        m_ws->listen(QHostAddress::LocalHost, 0);
    } else {
        m_ws = std::make_unique<QWebSocketServer>(QStringLiteral("test-producer"), QWebSocketServer::NonSecureMode);
        m_tcp = std::make_unique<QTcpServer>();
        QObject::connect(m_tcp.get(), &QTcpServer::newConnection, m_tcp.get(), [this] { onTcpConnection(); });
        m_tcp->listen(QHostAddress::LocalHost, 0);
    }
    QObject::connect(m_ws.get(), &QWebSocketServer::newConnection, m_ws.get(), [this] {
        while (QWebSocket* s = m_ws->nextPendingConnection())
            onWebSocket(s);
    });
}

TestProducer::~TestProducer()
{
    for (QWebSocket* c : m_clients) {
        c->disconnect();
        c->abort();
        delete c;
    }
}

QUrl TestProducer::url() const
{
    const quint16 port = m_tcp ? m_tcp->serverPort() : m_ws->serverPort();
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                    .arg(m_options.tls ? QStringLiteral("wss") : QStringLiteral("ws"))
                    .arg(port)
                    .arg(m_options.path));
}

void TestProducer::onTcpConnection()
{
    while (QTcpSocket* sock = m_tcp->nextPendingConnection()) {
        // Look at the handshake without consuming it, then let QWebSocketServer
        // do the upgrade, or answer 401 when the token is required and wrong.
        auto check = [this, sock] {
            const QByteArray head = sock->peek(64 * 1024);
            const qsizetype end = head.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            sock->disconnect(m_tcp.get());
            QByteArray auth;
            for (const QByteArray& line : head.left(end).split('\n')) {
                const QByteArray l = line.trimmed();
                if (l.toLower().startsWith("authorization:"))
                    auth = l.mid(static_cast<qsizetype>(sizeof("authorization:") - 1)).trimmed();
            }
            m_authorization.append(auth);
            if (!m_options.requiredToken.isEmpty() && auth != "Bearer " + m_options.requiredToken) {
                ++m_refused;
                sock->readAll();
                sock->write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                sock->disconnectFromHost();
                QObject::connect(sock, &QTcpSocket::disconnected, sock, &QObject::deleteLater);
                return;
            }
            m_ws->handleConnection(sock);
        };
        QObject::connect(sock, &QTcpSocket::readyRead, m_tcp.get(), check);
        if (sock->bytesAvailable() > 0)
            check();
    }
}

void TestProducer::onWebSocket(QWebSocket* socket)
{
    ++m_accepted;
    if (m_options.tls)
        m_authorization.append(socket->request().rawHeader("Authorization"));
    m_clients.append(socket);
    QObject::connect(socket, &QWebSocket::textMessageReceived, m_ws.get(),
                     [this, socket](const QString& text) { onSubscribe(socket, text); });
    QObject::connect(socket, &QWebSocket::disconnected, m_ws.get(), [this, socket] {
        m_clients.removeAll(socket);
        socket->deleteLater();
    });
}

void TestProducer::onSubscribe(QWebSocket* socket, const QString& text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    if (o.value(QStringLiteral("type")).toString() != QStringLiteral("subscribe"))
        return;
    m_subscribes.append(text);
    const QJsonObject since = o.value(QStringLiteral("since")).toObject();
    const bool first = m_accepted == 1;
    int sent = 0;
    for (const StreamItem& item : m_stream.items) {
        const auto held = since.value(QString::fromStdString(item.sessionId));
        if (!held.isUndefined() && item.seq <= static_cast<std::uint64_t>(held.toInteger()))
            continue; // the client holds it already
        if (first && m_options.closeFirstConnectionAfter >= 0 && sent >= m_options.closeFirstConnectionAfter) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("test server drops the link"));
            return;
        }
        socket->sendTextMessage(QString::fromStdString(item.json));
        ++sent;
        ++m_itemsSent;
    }
    socket->flush();
    if (m_options.afterSend)
        m_options.afterSend();
}

void TestProducer::sendToAll(const QString& text)
{
    for (QWebSocket* c : m_clients)
        c->sendTextMessage(text);
}

void TestProducer::sendBinaryToAll(const QByteArray& data)
{
    for (QWebSocket* c : m_clients)
        c->sendBinaryMessage(data);
}

int TestProducer::openClients() const
{
    return static_cast<int>(std::count_if(m_clients.begin(), m_clients.end(), [](QWebSocket* c) {
        return c->state() == QAbstractSocket::ConnectedState;
    }));
}

void TestProducer::flushAll()
{
    for (QWebSocket* c : m_clients)
        c->flush();
}

void TestProducer::closeAll()
{
    for (QWebSocket* c : QList<QWebSocket*>(m_clients))
        c->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("test server closes"));
}

std::optional<TestCertificate> makeSelfSignedCertificate(const QString& dir)
{
    TestCertificate c{dir + QStringLiteral("/cert.pem"), dir + QStringLiteral("/key.pem")};
    QProcess p;
    p.start(QStringLiteral("openssl"),
            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
             QStringLiteral("-nodes"), QStringLiteral("-keyout"), c.keyPath, QStringLiteral("-out"), c.certPath,
             QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
             QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
    if (!p.waitForFinished(20000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return std::nullopt;
    return c;
}

std::optional<QSslConfiguration> serverTlsConfiguration(const TestCertificate& cert)
{
    QFile cf(cert.certPath), kf(cert.keyPath);
    if (!cf.open(QIODevice::ReadOnly) || !kf.open(QIODevice::ReadOnly))
        return std::nullopt;
    const auto certs = QSslCertificate::fromData(cf.readAll(), QSsl::Pem);
    const QSslKey key(kf.readAll(), QSsl::Rsa, QSsl::Pem);
    if (certs.isEmpty() || key.isNull())
        return std::nullopt;
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificate(certs.first());
    conf.setPrivateKey(key);
    conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    return conf;
}

std::unique_ptr<live::AgentServer> startDemoAgent(std::initializer_list<const char*> specs, double rate)
{
    auto server = std::make_unique<live::AgentServer>(live::AgentServerOptions{});
    for (const char* spec : specs) {
        auto sources = live::makeSources(QString::fromLatin1(spec), live::SourceSettings{rate});
        if (!sources) {
            ADD_FAILURE() << sources.error().message;
            return nullptr;
        }
        for (auto& s : *sources)
            server->addSource(std::move(s));
    }
    if (const auto port = server->listen(); !port) {
        ADD_FAILURE() << port.error().message;
        return nullptr;
    }
    return server;
}

} // namespace flight::livetest
