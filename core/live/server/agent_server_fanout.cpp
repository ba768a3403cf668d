// SPDX-License-Identifier: MIT
// AgentServer: publishing into each session's ring, sending to clients in
// publish order, and retiring ended sessions.
#include "live/server/agent_server_impl.h"

#include "protocol/message_encoder.h"

#include <algorithm>
#include <limits>
#include <string>

namespace flight::live {

void AgentServer::Impl::pump(Client& c)
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
        if (c.ready.empty())
            break;
        const ReadyEntry top = c.ready.top();
        c.ready.pop();
        const auto cit = c.cursors.find(top.key);
        Session* s = sessionByKey(top.key);
        if (cit == c.cursors.end() || !s || cit->second.queued != top.order)
            continue; // stale: the cursor is gone or queued elsewhere
        Cursor& cur = cit->second;
        cur.queued = kNotQueued;
        const auto o = headOrder(c, *s, cur);
        if (!o)
            continue;
        if (*o != top.order) { // moved on by the ring: queued again at its real place
            cur.queued = *o;
            c.ready.push({*o, top.key});
            continue;
        }
        if (cur.sendStarted) {
            cur.sendStarted = false;
            c.socket->sendTextMessage(s->startedFrame);
        } else {
            c.socket->sendTextMessage(s->ring[cur.next - s->firstSeq].frame);
            ++cur.next;
        }
        schedule(c, *s, cur);
        ++c.sent;
        ++totals.sent;
    }
    c.pumping = false;
}

Session& AgentServer::Impl::sessionFor(std::string_view id)
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
    byKey.emplace(s->key, s.get());
    sessions.push_back(std::move(s));
    for (auto& c : clients) {
        if (c->active && c->follows(ref.id)) {
            const auto it = c->since.find(ref.id);
            c->cursors[ref.key] = makeCursor(ref, it != c->since.end() ? it->second : 0);
        }
    }
    return ref;
}

bool AgentServer::Impl::owed(const Session& s) const
{
    for (const auto& c : clients)
        if (const auto it = c->cursors.find(s.key); it != c->cursors.end() && it->second.next <= s.lastSeq)
            return true;
    return false;
}

void AgentServer::Impl::retireEndedSessions()
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
        byKey.erase(s.key);
        sessions.erase(oldest);
    }
}

void AgentServer::Impl::publish(const Message& in)
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
    for (auto& c : clients) {
        if (!c->active)
            continue;
        if (const auto it = c->cursors.find(key); it != c->cursors.end()) {
            schedule(*c, s, it->second);
            pump(*c);
        }
    }
    if (ended)
        retireEndedSessions();
}

} // namespace flight::live
