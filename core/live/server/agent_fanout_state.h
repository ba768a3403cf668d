// SPDX-License-Identifier: MIT
#pragma once
// AgentServer's state behind its fan-out (agent_server.h tells the policy):
// a session's ring of encoded frames, and per client a cursor per session and
// the queue that says which session it is sent from next. Internal to
// agent_server.cpp.

#include "live/server/token_bucket.h"

#include <QPointer>
#include <QString>
#include <QWebSocket>

#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace flight::live::fanout {

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

constexpr std::uint64_t kNotQueued = std::numeric_limits<std::uint64_t>::max();

struct Cursor {
    std::uint64_t next = 1;    // next seq to send
    bool sendStarted = false;  // pinned session_started still owed
    std::uint64_t queued = kNotQueued; // order of its entry in Client::ready (kNotQueued: none)
};

// A client's sessions with something to send, by the publish order of their
// next message (session_started owed: order 0): the next frame is the top's,
// found in O(log S) instead of looking at every session. Entries go stale
// when a cursor moves (ring eviction): an entry counts only while it is the
// cursor's `queued` one, and one found behind its cursor's real position is
// queued again at the right place.
struct ReadyEntry {
    std::uint64_t order = 0;
    std::uint64_t key = 0;
    bool operator>(const ReadyEntry& o) const { return order > o.order || (order == o.order && key > o.key); }
};
using ReadyQueue = std::priority_queue<ReadyEntry, std::vector<ReadyEntry>, std::greater<ReadyEntry>>;

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
    ReadyQueue ready;
    std::deque<QString> owedEnds;            // session_started/session_ended of retired sessions, sent first
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;
    bool pumping = false;
    bool closing = false; // closed for a policy; what it still sends is ignored
    TokenBucket controlMessages{16, 64};   // set from AgentServerOptions
    TokenBucket controlBytes{1 << 20, 4 << 20};

    bool follows(const std::string& sessionId) const { return all || ids.contains(sessionId); }
};

} // namespace flight::live::fanout
