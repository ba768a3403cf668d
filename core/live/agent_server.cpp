// SPDX-License-Identifier: MIT
#include "live/agent_server.h"

#include "live/bearer_token.h"
#include "live/producer_instance.h"
#include "protocol/message_encoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <deque>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace flight::live {

using namespace flight::protocol;

namespace {

constexpr qsizetype kMaxRequestHead = 16 * 1024;
constexpr qint64 kMaxClientMessage = 64 * 1024;

struct Entry {
    std::uint64_t order = 0; // global publish order, to interleave sessions as published
    QString frame;
};

struct Session {
    std::uint64_t key = 0;
    std::string id;
    std::deque<Entry> ring;
    std::uint64_t firstSeq = 1; // seq of ring.front()
    std::uint64_t lastSeq = 0;
    std::uint64_t startedSeq = 0; // 0: no session_started seen
    QString startedFrame;
    bool ended = false;
    std::uint64_t endedOrder = 0;
    QString endedFrame;
    std::uint64_t endedSeq = 0;
};

// Frames of retired sessions still owed to one client (see retireEndedSessions).
constexpr std::size_t kMaxOwedEndFrames = 2048;

struct Cursor {
    std::uint64_t next = 1;    // next seq to send
    bool sendStarted = false;  // pinned session_started still owed
};

struct Client {
    quint64 id = 0;
    QPointer<QWebSocket> socket;
    QString peer;
    bool active = false;
    bool all = true;
    std::unordered_set<std::string> ids;
    std::unordered_map<std::string, std::uint64_t> since;
    bool sinceContinues = false;             // the last subscribe said "more": its since goes on in the next
    std::map<std::uint64_t, Cursor> cursors; // by session key
    std::deque<QString> owedEnds;            // session_started/session_ended of retired sessions, sent first
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;
    bool pumping = false;

    bool follows(const std::string& sessionId) const { return all || ids.contains(sessionId); }
};

} // namespace

struct AgentServer::Impl {
    AgentServer* q = nullptr;
    AgentServerOptions options;
    std::string instance = newProducerInstance();
    QTcpServer tcp;
    QWebSocketServer ws{QString(), QWebSocketServer::NonSecureMode};
    std::vector<std::unique_ptr<AgentSource>> sources;

    std::vector<std::unique_ptr<Session>> sessions; // in creation order
    std::unordered_map<std::string, Session*> byId;
    std::unordered_map<std::string, std::uint64_t> retiredSeq; // removed sessions: last seq
    std::uint64_t nextSessionKey = 1;
    std::uint64_t order = 0;

    std::vector<std::unique_ptr<Client>> clients;
    quint64 nextClientId = 1;
    Stats totals;

    Session* sessionByKey(std::uint64_t key)
    {
        for (auto& s : sessions)
            if (s->key == key)
                return s.get();
        return nullptr;
    }

    Client* clientOf(const QWebSocket* socket)
    {
        for (auto& c : clients)
            if (c->socket == socket)
                return c.get();
        return nullptr;
    }

    // A cursor starting after `after`; one behind the ring jumps to it (not a drop).
    Cursor makeCursor(const Session& s, std::uint64_t after)
    {
        Cursor c;
        c.next = after + 1;
        if (c.next < s.firstSeq) {
            c.sendStarted = s.startedSeq != 0 && c.next <= s.startedSeq && s.startedSeq < s.firstSeq;
            c.next = s.firstSeq;
        }
        return c;
    }

    // ---- handshake ----------------------------------------------------------

    void onTcpConnection()
    {
        while (tcp.hasPendingConnections()) {
            QTcpSocket* sock = tcp.nextPendingConnection();
            if (!sock)
                return;
            auto* timer = new QTimer(sock);
            timer->setSingleShot(true);
            QObject::connect(timer, &QTimer::timeout, q, [this, sock] {
                ++totals.clientsRefused;
                sock->abort();
                sock->deleteLater();
            });
            timer->start(options.handshakeTimeout);
            QObject::connect(sock, &QTcpSocket::readyRead, q, [this, sock, timer] { checkHead(sock, timer); });
            QObject::connect(sock, &QTcpSocket::disconnected, sock, &QObject::deleteLater);
            if (sock->bytesAvailable() > 0)
                checkHead(sock, timer);
        }
    }

    void refuse(QTcpSocket* sock, QTimer* timer, const char* status)
    {
        timer->stop();
        QObject::disconnect(sock, &QTcpSocket::readyRead, q, nullptr);
        ++totals.clientsRefused;
        sock->write(QByteArray("HTTP/1.1 ") + status
                    + "\r\nContent-Length: 0\r\nConnection: close\r\nWWW-Authenticate: Bearer\r\n\r\n");
        sock->disconnectFromHost();
    }

    void checkHead(QTcpSocket* sock, QTimer* timer)
    {
        const QByteArray head = sock->peek(kMaxRequestHead + 4);
        const qsizetype end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            if (head.size() > kMaxRequestHead)
                refuse(sock, timer, "431 Request Header Fields Too Large");
            return;
        }
        if (!options.token.isEmpty()) {
            const auto given = bearerTokenFromRequestHead(QByteArrayView(head).first(end));
            if (!given || !constantTimeEquals(*given, options.token)) {
                refuse(sock, timer, "401 Unauthorized");
                return;
            }
        }
        timer->stop();
        timer->deleteLater();
        QObject::disconnect(sock, nullptr, q, nullptr);
        QObject::disconnect(sock, &QTcpSocket::disconnected, sock, &QObject::deleteLater);
        ws.handleConnection(sock);
        // The request is already buffered: make the WebSocket server look at it.
        QMetaObject::invokeMethod(sock, "readyRead", Qt::QueuedConnection);
    }

    void onWebSocketConnection()
    {
        while (ws.hasPendingConnections()) {
            QWebSocket* socket = ws.nextPendingConnection();
            if (!socket)
                return;
            socket->setParent(q);
            socket->setMaxAllowedIncomingMessageSize(kMaxClientMessage);
            socket->setMaxAllowedIncomingFrameSize(kMaxClientMessage);
            auto client = std::make_unique<Client>();
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
                for (auto& cl : clients)
                    if (cl->id == id && !cl->active)
                        activate(*cl);
            });
        }
    }

    void removeClient(QWebSocket* socket)
    {
        for (auto it = clients.begin(); it != clients.end(); ++it) {
            if ((*it)->socket == socket) {
                clients.erase(it);
                break;
            }
        }
        socket->deleteLater();
    }

    // ---- subscription -------------------------------------------------------

    void onClientText(QWebSocket* socket, const QByteArray& data)
    {
        Client* c = clientOf(socket);
        if (!c)
            return;
        const QJsonDocument doc = QJsonDocument::fromJson(data);
        if (!doc.isObject())
            return;
        const QJsonObject o = doc.object();
        if (o.value(QLatin1String("type")).toString() != QLatin1String("subscribe"))
            return; // anything else from a client is ignored
        c->all = true;
        c->ids.clear();
        const QJsonValue idsValue = o.value(QLatin1String("sessionIds"));
        if (idsValue.isArray()) {
            bool star = false;
            std::unordered_set<std::string> ids;
            for (const QJsonValue& v : idsValue.toArray()) {
                const QString id = v.toString();
                if (id == QLatin1String("*"))
                    star = true;
                else if (!id.isEmpty())
                    ids.insert(id.toStdString());
            }
            if (!star) {
                c->all = false;
                c->ids = std::move(ids);
            }
        }
        // `since` in parts (protocol.md): a subscribe with "more":true adds to
        // the since of the next one, which applies them all.
        const bool more = o.value(QLatin1String("more")).toBool(false);
        if (!c->sinceContinues)
            c->since.clear();
        c->sinceContinues = more;
        const QJsonObject since = o.value(QLatin1String("since")).toObject();
        const QString theirInstance = o.value(QLatin1String("instance")).toString();
        const bool stale = !theirInstance.isEmpty() && theirInstance.toStdString() != instance;
        if (stale && !since.isEmpty())
            ++totals.staleSinceIgnored; // another instance's seqs: start every session from the buffer
        for (auto it = since.begin(); !stale && it != since.end(); ++it) {
            const double v = it.value().toDouble(-1);
            // bounded: a since can only name what this server holds (and a
            // client's few retired sessions), whatever number of parts come
            if (v >= 0 && v < 9.0e15 && c->since.size() < sessions.size() + 4096)
                c->since[it.key().toStdString()] = static_cast<std::uint64_t>(v);
        }
        if (more)
            return; // the rest of since follows
        if (!c->active) {
            activate(*c);
            return;
        }
        // Re-subscribe: new filter; sessions named in since restart there.
        for (auto it = c->cursors.begin(); it != c->cursors.end();) {
            Session* s = sessionByKey(it->first);
            if (!s || !c->follows(s->id))
                it = c->cursors.erase(it);
            else
                ++it;
        }
        for (auto& s : sessions) {
            if (!c->follows(s->id))
                continue;
            const auto sinceIt = c->since.find(s->id);
            if (sinceIt != c->since.end())
                c->cursors[s->key] = makeCursor(*s, sinceIt->second);
            else if (!c->cursors.contains(s->key))
                c->cursors[s->key] = makeCursor(*s, 0);
        }
        pump(*c);
    }

    void activate(Client& c)
    {
        c.active = true;
        if (c.socket) {
            const std::string server = options.serverName.toStdString();
            const Message hello{HelloMsg{"flight-memory/1", server}, {}, {}};
            c.socket->sendTextMessage(QString::fromStdString(helloWithInstance(encode(hello), instance)));
            ++c.sent;
            ++totals.sent;
        }
        for (auto& s : sessions) {
            if (!c.follows(s->id))
                continue;
            const auto it = c.since.find(s->id);
            c.cursors[s->key] = makeCursor(*s, it != c.since.end() ? it->second : 0);
        }
        pump(c);
    }

    // ---- fan-out ------------------------------------------------------------

    void pump(Client& c)
    {
        if (!c.active || !c.socket || c.socket->state() != QAbstractSocket::ConnectedState || c.pumping)
            return;
        c.pumping = true;
        while (c.socket->bytesToWrite() < options.clientWriteHighWater) {
            if (!c.owedEnds.empty()) {
                c.socket->sendTextMessage(c.owedEnds.front());
                c.owedEnds.pop_front();
                ++c.sent;
                ++totals.sent;
                continue;
            }
            Session* best = nullptr;
            Cursor* bestCursor = nullptr;
            std::uint64_t bestOrder = std::numeric_limits<std::uint64_t>::max();
            for (auto& [key, cursor] : c.cursors) {
                Session* s = sessionByKey(key);
                if (!s)
                    continue;
                if (cursor.next < s->firstSeq) { // the ring moved past what this client was owed
                    const std::uint64_t lost = s->firstSeq - cursor.next;
                    c.dropped += lost;
                    totals.dropped += lost;
                    cursor.next = s->firstSeq;
                }
                std::uint64_t o;
                if (cursor.sendStarted)
                    o = 0;
                else if (cursor.next <= s->lastSeq)
                    o = s->ring[cursor.next - s->firstSeq].order;
                else
                    continue;
                if (o < bestOrder) {
                    bestOrder = o;
                    best = s;
                    bestCursor = &cursor;
                }
            }
            if (!best)
                break;
            if (bestCursor->sendStarted) {
                bestCursor->sendStarted = false;
                c.socket->sendTextMessage(best->startedFrame);
            } else {
                c.socket->sendTextMessage(best->ring[bestCursor->next - best->firstSeq].frame);
                ++bestCursor->next;
            }
            ++c.sent;
            ++totals.sent;
        }
        c.pumping = false;
    }

    Session& sessionFor(std::string_view id)
    {
        const std::string key(id.empty() ? std::string_view("agent") : id);
        if (const auto it = byId.find(key); it != byId.end())
            return *it->second;
        auto s = std::make_unique<Session>();
        s->key = nextSessionKey++;
        s->id = key;
        if (const auto r = retiredSeq.find(key); r != retiredSeq.end()) {
            s->lastSeq = r->second;
            s->firstSeq = r->second + 1;
            retiredSeq.erase(r);
        }
        Session& ref = *s;
        byId.emplace(key, s.get());
        sessions.push_back(std::move(s));
        for (auto& c : clients) {
            if (c->active && c->follows(ref.id)) {
                const auto it = c->since.find(ref.id);
                c->cursors[ref.key] = makeCursor(ref, it != c->since.end() ? it->second : 0);
            }
        }
        return ref;
    }

    // Does a connected client still have messages of `s` to be sent?
    bool owed(const Session& s) const
    {
        for (const auto& c : clients)
            if (const auto it = c->cursors.find(s.key); it != c->cursors.end() && it->second.next <= s.lastSeq)
                return true;
        return false;
    }

    // Ended sessions beyond maxEndedSessions go, oldest first, once no client
    // is owed any of their messages; while clients are owed, they stay until
    // the ended sessions hold more than bufferMessages messages together (then
    // the oldest goes anyway, its unsent messages counted as drops). So a
    // client that lags a second behind a fast producer of short sessions loses
    // nothing, and memory stays bounded.
    void retireEndedSessions()
    {
        while (true) {
            std::size_t ended = 0, endedMessages = 0;
            for (const auto& s : sessions)
                if (s->ended) {
                    ++ended;
                    endedMessages += s->ring.size();
                }
            if (ended <= options.maxEndedSessions)
                return;
            const bool overBudget = endedMessages > std::max<std::size_t>(options.bufferMessages, 1);
            auto oldest = sessions.end();
            for (auto it = sessions.begin(); it != sessions.end(); ++it)
                if ((*it)->ended && (oldest == sessions.end() || (*it)->endedOrder < (*oldest)->endedOrder)
                    && (overBudget || !owed(**it)))
                    oldest = it;
            if (oldest == sessions.end())
                return; // the extra ones are still owed to a client, within budget: kept
            Session& s = **oldest;
            for (auto& c : clients) {
                const auto cit = c->cursors.find(s.key);
                if (cit == c->cursors.end())
                    continue;
                const Cursor& cur = cit->second;
                if (cur.next <= s.lastSeq) {
                    // What is left of the session is dropped for this client,
                    // except its session_ended (and its session_started when
                    // the client has not had it): so the client ends the
                    // session and sees every dropped message as a seq gap.
                    const std::uint64_t from = std::max(cur.next, s.firstSeq);
                    std::uint64_t lost = s.lastSeq - from + 1;
                    const bool owesStarted = !s.startedFrame.isEmpty()
                                          && (cur.sendStarted || (s.startedSeq != 0 && cur.next <= s.startedSeq));
                    if (owesStarted) {
                        c->owedEnds.push_back(s.startedFrame);
                        if (s.startedSeq >= from)
                            --lost; // delivered after all
                    }
                    if (!s.endedFrame.isEmpty() && s.endedSeq >= from) {
                        c->owedEnds.push_back(s.endedFrame);
                        --lost;
                    }
                    while (c->owedEnds.size() > kMaxOwedEndFrames) { // a client that reads nothing at all
                        c->owedEnds.pop_front();
                        ++lost;
                    }
                    c->dropped += lost;
                    totals.dropped += lost;
                }
                c->cursors.erase(cit);
            }
            retiredSeq[s.id] = s.lastSeq;
            byId.erase(s.id);
            sessions.erase(oldest);
        }
    }

    void publish(const Message& in)
    {
        Session& s = sessionFor(in.sessionId());
        Message m = in;
        m.seq = ++s.lastSeq;
        m.receivedAt.reset();
        if (s.ring.empty())
            s.firstSeq = s.lastSeq;
        const QString frame = QString::fromStdString(encode(m));
        if (m.as<SessionStartedMsg>()) {
            s.startedSeq = s.lastSeq;
            s.startedFrame = frame;
            s.ended = false;
        }
        s.ring.push_back(Entry{++order, frame});
        bool evicted = false;
        while (s.ring.size() > std::max<std::size_t>(options.bufferMessages, 1)) {
            s.ring.pop_front();
            ++s.firstSeq;
            evicted = true;
        }
        if (evicted) // clients that were owed what just left the ring: dropped for them
            for (auto& c : clients)
                if (const auto it = c->cursors.find(s.key); it != c->cursors.end() && it->second.next < s.firstSeq) {
                    const std::uint64_t lost = s.firstSeq - it->second.next;
                    c->dropped += lost;
                    totals.dropped += lost;
                    it->second.next = s.firstSeq;
                }
        ++totals.published;
        const std::uint64_t key = s.key;
        const bool ended = m.as<SessionEndedMsg>() != nullptr;
        if (ended) {
            s.ended = true;
            s.endedOrder = order;
            s.endedFrame = frame;
            s.endedSeq = s.lastSeq;
        }
        for (auto& c : clients)
            if (c->active && c->cursors.contains(key))
                pump(*c);
        if (ended)
            retireEndedSessions();
    }
};

AgentServer::AgentServer(AgentServerOptions options, QObject* parent) : QObject(parent), d(std::make_unique<Impl>())
{
    d->q = this;
    d->options = std::move(options);
    d->ws.setServerName(d->options.serverName);
    d->ws.setHandshakeTimeout(static_cast<int>(d->options.handshakeTimeout.count()));
    QObject::connect(&d->tcp, &QTcpServer::newConnection, this, [this] { d->onTcpConnection(); });
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
    if (!d->tcp.listen(address, d->options.port))
        return makeError(MemoryErrorCode::IoError,
                         "cannot listen on " + address.toString().toStdString() + ':'
                             + std::to_string(d->options.port) + ": " + d->tcp.errorString().toStdString());
    return d->tcp.serverPort();
}

bool AgentServer::isListening() const
{
    return d->tcp.isListening();
}

quint16 AgentServer::port() const
{
    return d->tcp.serverPort();
}

QUrl AgentServer::url() const
{
    QUrl u;
    u.setScheme(QStringLiteral("ws"));
    u.setHost(d->tcp.serverAddress().toString());
    u.setPort(d->tcp.serverPort());
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
    d->tcp.close();
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
