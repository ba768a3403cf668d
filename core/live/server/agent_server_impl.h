// SPDX-License-Identifier: MIT
#pragma once
// AgentServer's state, shared by the files that implement it (agent_server.cpp:
// listening and the clients' handshake; agent_server_subscription.cpp: what a
// client asks for; agent_server_fanout.cpp: publishing and sending). Private to core/live/server.

#include "live/server/agent_server.h"

#include "live/server/agent_fanout_state.h"
#include "live/server/agent_listener.h"
#include "live/common/producer_instance.h"

#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flight::live {

using namespace flight::protocol;
using namespace flight::live::fanout;

struct AgentServer::Impl {
    AgentServer* q = nullptr;
    AgentServerOptions options;
    std::string instance = newProducerInstance();
    std::unique_ptr<AgentListener> listener; // made once q is set
    QWebSocketServer ws{QString(), QWebSocketServer::NonSecureMode};
    std::vector<std::unique_ptr<AgentSource>> sources;
    std::vector<std::unique_ptr<Session>> sessions; // in creation order
    std::unordered_map<std::string, Session*> byId;
    std::unordered_map<std::uint64_t, Session*> byKey;
    std::unordered_map<std::string, std::uint64_t> retiredSeq; // removed sessions: last seq
    std::uint64_t nextSessionKey = 1;
    std::uint64_t order = 0;
    std::vector<std::unique_ptr<Client>> clients;
    quint64 nextClientId = 1;
    Stats totals;
    Session* sessionByKey(std::uint64_t key)
    {
        const auto it = byKey.find(key);
        return it != byKey.end() ? it->second : nullptr;
    }

    // The publish order of what `cur` sends next (0: the pinned
    // session_started); nullopt when it has nothing to send. A cursor the ring
    // has moved past is brought to the ring's start, the difference dropped.
    std::optional<std::uint64_t> headOrder(Client& c, const Session& s, Cursor& cur)
    {
        if (cur.next < s.firstSeq) {
            const std::uint64_t lost = s.firstSeq - cur.next;
            c.dropped += lost;
            totals.dropped += lost;
            cur.next = s.firstSeq;
        }
        if (cur.sendStarted)
            return 0;
        if (cur.next <= s.lastSeq)
            return s.ring[cur.next - s.firstSeq].order;
        return std::nullopt;
    }

    // Queues `cur` (of session `s`) in c.ready if it has something to send and no entry yet.
    void schedule(Client& c, const Session& s, Cursor& cur)
    {
        if (cur.queued != kNotQueued)
            return;
        if (const auto o = headOrder(c, s, cur)) {
            cur.queued = *o;
            c.ready.push({*o, s.key});
        }
    }

    // After cursors were replaced (subscribe): every one queued afresh.
    void rescheduleAll(Client& c)
    {
        c.ready = ReadyQueue();
        for (auto& [key, cur] : c.cursors) {
            cur.queued = kNotQueued;
            if (Session* s = sessionByKey(key))
                schedule(c, *s, cur);
        }
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

    // ---- handshake (agent_listener.h) ----------------------------------------

    void admit(QTcpSocket* sock);
    void onWebSocketConnection();
    void removeClient(QWebSocket* socket);

    // What clients held (socket buffers, frames in flight) is freed when they
    // go, but glibc keeps the freed pages: 1,000 clients coming and going left
    // the agent ~30 MB above its baseline. Once clients stop leaving for 2 s,
    // those pages are given back.
    QTimer trimSoon;
    static void giveBackFreedMemory();

    // ---- subscription -------------------------------------------------------

    void onClientText(QWebSocket* socket, const QByteArray& data);
    void activate(Client& c);

    // ---- fan-out ------------------------------------------------------------

    void pump(Client& c);
    Session& sessionFor(std::string_view id);

    // Does a connected client still have messages of `s` to be sent?
    bool owed(const Session& s) const;

    // Ended sessions beyond maxEndedSessions go, oldest first, once no client
    // is owed any of their messages; while clients are owed, they stay until
    // the ended sessions hold more than bufferMessages messages together (then
    // the oldest goes anyway, its unsent messages counted as drops). So a
    // client that lags a second behind a fast producer of short sessions loses
    // nothing, and memory stays bounded.
    void retireEndedSessions();
    void publish(const Message& in);
};

} // namespace flight::live
