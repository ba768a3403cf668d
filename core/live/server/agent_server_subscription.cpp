// SPDX-License-Identifier: MIT
// AgentServer: a client's subscribe message (which sessions, from which seq) and its activation.
#include "live/server/agent_server_impl.h"

#include "protocol/message_encoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <string>
#include <unordered_set>

namespace flight::live {

void AgentServer::Impl::onClientText(QWebSocket* socket, const QByteArray& data)
{
    Client* c = clientOf(socket);
    if (!c || c->closing)
        return;
    // Per-client budget for control messages (AgentServerOptions): a client
    // over it is closed, not served more slowly, so it can never take the
    // event loop from the others.
    if (!c->controlMessages.take(1) || !c->controlBytes.take(static_cast<double>(data.size()))) {
        c->closing = true;
        ++totals.closedForControlFlood;
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                      QStringLiteral("control messages over the limit (%1/s, bursts of %2; %3 KiB/s)")
                          .arg(options.controlMessagesPerSecond)
                          .arg(options.controlMessageBurst)
                          .arg(options.controlBytesPerSecond / 1024));
        return;
    }
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
    rescheduleAll(*c);
    pump(*c);
}

void AgentServer::Impl::activate(Client& c)
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
    rescheduleAll(c);
    pump(c);
}

} // namespace flight::live
