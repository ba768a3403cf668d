// SPDX-License-Identifier: MIT
#include "live/server/agent_server.h"

#include "live/server/agent_server_impl.h"
#include "live/server/origin_policy.h"
#include "live/common/producer_instance.h"
#include "live/server/token_strength.h"
#include "protocol/message_encoder.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <deque>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>

namespace flight::live {

namespace {

constexpr qint64 kMaxClientMessage = 64 * 1024;

} // namespace

void AgentServer::Impl::admit(QTcpSocket* sock)
{
    ws.handleConnection(sock);
    // The request is already buffered: make the WebSocket server look at it.
    QMetaObject::invokeMethod(sock, "readyRead", Qt::QueuedConnection);
}

void AgentServer::Impl::onWebSocketConnection()
{
    while (ws.hasPendingConnections()) {
        QWebSocket* socket = ws.nextPendingConnection();
        if (!socket)
            return;
        socket->setParent(q);
        QObject::connect(socket, &QObject::destroyed, q, [this] { listener->connectionClosed(); });
        if (clients.size() >= std::max<std::size_t>(options.maxClients, 1)) {
            // Several handshakes passed the listener's 503 check at once.
            socket->close(static_cast<QWebSocketProtocol::CloseCode>(1013), QStringLiteral("too many clients")); // 1013: try again later
            socket->deleteLater();
            continue;
        }
        socket->setMaxAllowedIncomingMessageSize(kMaxClientMessage);
        socket->setMaxAllowedIncomingFrameSize(kMaxClientMessage);
        auto client = std::make_unique<Client>();
        client->controlMessages = TokenBucket(options.controlMessagesPerSecond, options.controlMessageBurst);
        client->controlBytes = TokenBucket(options.controlBytesPerSecond, options.controlByteBurst);
        client->id = nextClientId++;
        client->socket = socket;
        client->peer = socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
        ++totals.clientsAccepted;
        Client* c = client.get();
        clients.push_back(std::move(client));
        QObject::connect(socket, &QWebSocket::textMessageReceived, q,
                         [this, socket](const QString& text) { onClientText(socket, text.toUtf8()); });
        QObject::connect(socket, &QWebSocket::binaryMessageReceived, q,
                         [this, socket](const QByteArray& data) { onClientText(socket, data); });
        QObject::connect(socket, &QWebSocket::bytesWritten, q, [this, socket](qint64) {
            if (Client* cl = clientOf(socket))
                pump(*cl);
        });
        QObject::connect(socket, &QWebSocket::disconnected, q, [this, socket] { removeClient(socket); });
        const quint64 id = c->id;
        QTimer::singleShot(options.subscribeGrace, q, [this, id] {
            // A client in the middle of a `since` in parts ("more":true came,
            // its last part not yet) has subscribed: it is activated by that
            // last part, with all of its since. Activating it here would send
            // the sessions of the parts still on their way from their buffer
            // start (a slow uplink, or a client whose loop is paced, takes
            // longer than the grace to send ~100 KB).
            for (auto& cl : clients)
                if (cl->id == id && !cl->active && !cl->sinceContinues)
                    activate(*cl);
        });
    }
}

void AgentServer::Impl::removeClient(QWebSocket* socket)
{
    if (socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData)
        ++totals.closedOversized; // a message over kMaxClientMessage, closed by QWebSocket
    for (auto it = clients.begin(); it != clients.end(); ++it) {
        if ((*it)->socket == socket) {
            clients.erase(it);
            break;
        }
    }
    socket->deleteLater();
    trimSoon.start();
}

void AgentServer::Impl::giveBackFreedMemory()
{
#ifdef __GLIBC__
    ::malloc_trim(0);
#endif
}


AgentServer::AgentServer(AgentServerOptions options, QObject* parent) : QObject(parent), d(std::make_unique<Impl>())
{
    d->q = this;
    d->options = std::move(options);
    d->trimSoon.setSingleShot(true);
    d->trimSoon.setInterval(2000);
    QObject::connect(&d->trimSoon, &QTimer::timeout, this, [] { Impl::giveBackFreedMemory(); });
    d->ws.setServerName(d->options.serverName);
    d->ws.setHandshakeTimeout(static_cast<int>(d->options.handshakeTimeout.count()));
    d->listener = std::make_unique<AgentListener>(
        this, [this](QTcpSocket* sock) { d->admit(sock); }, [this] { return d->clients.size(); });
    QObject::connect(&d->ws, &QWebSocketServer::newConnection, this, [this] { d->onWebSocketConnection(); });
}

AgentServer::~AgentServer()
{
    close();
}

Result<quint16> AgentServer::listen()
{
    const QHostAddress& address = d->options.address;
    if (address.isNull())
        return makeError(MemoryErrorCode::IoError, "cannot listen: no valid address given");
    if (!address.isLoopback() && d->options.token.isEmpty())
        return makeError(MemoryErrorCode::IoError,
                         "refusing to listen on " + address.toString().toStdString()
                             + ": not a loopback address and no token configured (give a token file)");
    if (!d->options.token.isEmpty())
        if (auto strong = checkTokenStrength(d->options.token); !strong)
            return std::unexpected(strong.error());
    AgentListener::Options lo;
    lo.address = address;
    lo.port = d->options.port;
    lo.token = d->options.token;
    lo.maxClients = std::max<std::size_t>(d->options.maxClients, 1);
    lo.handshakeTimeout = d->options.handshakeTimeout;
    for (const QString& origin : d->options.allowedOrigins) {
        auto normal = normalizeOrigin(origin);
        if (!normal)
            return std::unexpected(normal.error());
        lo.origins.append(*normal);
    }
    return d->listener->listen(std::move(lo));
}

bool AgentServer::isListening() const
{
    return d->listener->isListening();
}

quint16 AgentServer::port() const
{
    return d->listener->port();
}

QUrl AgentServer::url() const
{
    QUrl u;
    u.setScheme(QStringLiteral("ws"));
    u.setHost(d->listener->address().toString());
    u.setPort(d->listener->port());
    return u;
}

std::string AgentServer::instance() const
{
    return d->instance;
}

void AgentServer::close()
{
    for (auto& s : d->sources)
        s->stop();
    d->listener->close();
    auto clients = std::move(d->clients);
    d->clients.clear();
    for (auto& c : clients) {
        if (c->socket) {
            QObject::disconnect(c->socket, nullptr, this, nullptr);
            c->socket->close(QWebSocketProtocol::CloseCodeGoingAway);
            c->socket->deleteLater();
        }
    }
}

void AgentServer::addSource(std::unique_ptr<AgentSource> source)
{
    AgentSource* raw = source.get();
    d->sources.push_back(std::move(source));
    raw->start([this](const Message& m) { d->publish(m); });
}

std::size_t AgentServer::sourceCount() const
{
    return d->sources.size();
}

bool AgentServer::allSourcesFinished() const
{
    for (const auto& s : d->sources)
        if (!s->finished())
            return false;
    return true;
}

void AgentServer::publish(const Message& message)
{
    d->publish(message);
}

std::uint64_t AgentServer::lastSeq(std::string_view sessionId) const
{
    const auto it = d->byId.find(std::string(sessionId));
    if (it != d->byId.end())
        return it->second->lastSeq;
    const auto r = d->retiredSeq.find(std::string(sessionId));
    return r != d->retiredSeq.end() ? r->second : 0;
}

AgentServer::Stats AgentServer::stats() const
{
    Stats s = d->totals;
    const AgentListener::Counters& door = d->listener->counters();
    s.clientsRefused = door.refused;
    s.originsRefused = door.originsRefused;
    s.tokensRefused = door.tokensRefused;
    s.busyRefused = door.busyRefused;
    s.acceptPauses = door.acceptPauses;
    s.sessions = d->sessions.size();
    for (const auto& c : d->clients) {
        ClientStats cs;
        cs.id = c->id;
        cs.peer = c->peer;
        cs.sent = c->sent;
        cs.dropped = c->dropped;
        cs.unsentBytes = c->socket ? c->socket->bytesToWrite() : 0;
        s.clients.push_back(cs);
    }
    return s;
}

std::size_t AgentServer::clientCount() const
{
    return d->clients.size();
}

} // namespace flight::live
