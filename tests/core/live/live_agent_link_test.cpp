// SPDX-License-Identifier: MIT
// The inspector's client (LiveSession) against the project's own AgentServer
// over real loopback sockets, the agent on its own thread as in flight-agent:
// a restarted agent (new producer instance on the same port), and a client
// whose worker falls behind (what is lost, where, and that both sides count it
// the same).
#include "live_test_support.h"

#include "live/server/agent_server.h"
#include "live/client/live_session.h"
#include "protocol/message_decoder.h"
#include "model/session_model.h"
#include "protocol/session_store.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QThread>

#include <atomic>
#include <memory>
#include <thread>

using namespace flight;
using namespace flight::live;
using namespace flight::livetest;

namespace {

// An AgentServer living on its own thread; every call runs there.
class AgentThread {
public:
    explicit AgentThread(AgentServerOptions options)
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        run([&] {
            m_server = std::make_unique<AgentServer>(options);
            m_listen = m_server->listen();
        });
    }
    ~AgentThread()
    {
        run([&] {
            m_server.reset();
            m_context.moveToThread(QCoreApplication::instance()->thread());
        });
        m_thread.quit();
        m_thread.wait();
    }
    bool listening() const { return m_listen.has_value(); }
    std::string listenError() const { return m_listen ? std::string() : m_listen.error().message; }
    template <typename Fn> void run(Fn&& fn)
    {
        QMetaObject::invokeMethod(&m_context, std::forward<Fn>(fn), Qt::BlockingQueuedConnection);
    }
    QUrl url()
    {
        QUrl u;
        run([&] { u = m_server->url(); });
        return u;
    }
    std::string instance()
    {
        std::string s;
        run([&] { s = m_server->instance(); });
        return s;
    }
    AgentServer::Stats stats()
    {
        AgentServer::Stats s;
        run([&] { s = m_server->stats(); });
        return s;
    }
    // Publishes the stream's items [from, to) (the server numbers them itself).
    void publish(const Stream& stream, std::size_t from, std::size_t to)
    {
        run([&] {
            protocol::MessageDecoder decoder;
            for (std::size_t i = from; i < to; ++i) {
                auto m = decoder.decode(stream.items[i].json, i + 1);
                ASSERT_TRUE(m && *m);
                m_server->publish(**m);
            }
        });
    }

private:
    QThread m_thread;
    QObject m_context;
    std::unique_ptr<AgentServer> m_server;
    Result<quint16> m_listen = 0;
};

std::uint64_t applied(const LiveSession& s)
{
    return s.snapshotNow().stats.messagesApplied;
}

// Holds the client's worker thread (a blocking call into it) from start()
// until release(), however long the test's publishing takes (a sanitizer
// build is slower), at most 30 s.
class WorkerStall {
public:
    explicit WorkerStall(LiveSession& live) : m_live(live) {}
    ~WorkerStall() { release(); }
    void start()
    {
        m_thread = std::thread([this] {
            m_live.withStore([this](const protocol::SessionStore&) {
                m_inside = true;
                for (int i = 0; i < 3000 && !m_released; ++i)
                    QThread::msleep(10);
            });
        });
        while (!m_inside)
            QThread::msleep(1);
    }
    void release()
    {
        m_released = true;
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    LiveSession& m_live;
    std::thread m_thread;
    std::atomic<bool> m_inside{false}, m_released{false};
};

// Publishes stream items [from, end) in chunks while the client's worker is
// stalled; each chunk once the agent has published the one before, and the
// stall lasts until TCP has pushed back (the agent holds the high-water mark,
// 256 KiB, unsent for the client). Returns the most bytes the
// agent held unsent for a client meanwhile.
qint64 publishWhileStalled(AgentThread& agent, LiveSession& live, const Stream& stream, std::size_t from,
                           std::size_t chunk)
{
    WorkerStall stall(live);
    stall.start();
    qint64 maxUnsent = 0;
    const auto unsentNow = [&] {
        const AgentServer::Stats st = agent.stats();
        for (const auto& c : st.clients)
            maxUnsent = std::max(maxUnsent, c.unsentBytes);
        return st;
    };
    const std::uint64_t publishedBefore = agent.stats().published;
    for (std::size_t at = from; at < stream.items.size(); at += chunk) {
        const std::size_t end = std::min(stream.items.size(), at + chunk);
        agent.publish(stream, at, end);
        EXPECT_TRUE(waitUntil([&] { return unsentNow().published >= publishedBefore + (end - from); }, 10000));
    }
    // Stalled, the client reads nothing: once the agent holds the high-water
    // mark for it, it stays there until the stall ends.
    EXPECT_TRUE(waitUntil([&] { return unsentNow(), maxUnsent >= 256 * 1024; }, 10000))
        << "TCP never pushed back: " << maxUnsent << " bytes unsent at most";
    stall.release();
    return maxUnsent;
}

// Every message the agent published is either applied or counted as a gap.
bool waitUntilAccountedFor(LiveSession& live, std::uint64_t total)
{
    return waitUntil([&] {
        const LiveSnapshot s = live.snapshotNow();
        return s.stats.messagesApplied + s.stats.seqGaps == total;
    }, 15000);
}

// Where the two lag tests start: an agent whose ring holds 1,000 messages and
// a client linked to it (quick reconnects) that has applied the stream's first
// items before its worker is stalled.
struct SmallRingLink {
    static AgentServerOptions smallRing()
    {
        AgentServerOptions so;
        so.bufferMessages = 1000;
        return so;
    }
    // Starts the client and has it apply items [0, first) of `stream`.
    void start(const Stream& stream, std::size_t first)
    {
        ASSERT_TRUE(agent.listening()) << agent.listenError();
        live.start();
        agent.publish(stream, 0, first);
        ASSERT_TRUE(waitUntil([&] { return applied(live) == first; }));
    }

    AgentThread agent{smallRing()};
    LiveSession live{quickClientOptions(agent.url())};
};

// The agent stops and another one starts on the same port, numbering its
// sessions from seq 1 again (a new instance): the client's `since` names the
// old instance, so the new agent ignores it and sends its whole buffer; the
// client sees the new instance in the hello, forgets the old seqs (counted),
// and keeps the new instance's sessions apart from the old ones of the same
// id. Nothing of the old instance is counted twice, nothing of the new one is
// taken for a duplicate.
TEST(LiveAgentLink, RestartedAgentIsANewInstanceItsSessionsArriveFromSeqOneAndNothingIsCountedTwice)
{
    ensureCoreApp();
    const Stream stream = makeStream(2, 30); // vm-1, vm-2: 30 messages each
    quint16 port = 0;
    std::string firstInstance;
    LiveSessionOptions o;
    std::unique_ptr<LiveSession> live;
    {
        AgentThread first(AgentServerOptions{});
        ASSERT_TRUE(first.listening()) << first.listenError();
        port = static_cast<quint16>(first.url().port());
        firstInstance = first.instance();
        first.publish(stream, 0, 40); // 20 of each
        o = quickClientOptions(first.url());
        live = std::make_unique<LiveSession>(o);
        live->start();
        ASSERT_TRUE(waitUntil([&] { return applied(*live) == 40; }));
        EXPECT_EQ(live->snapshotNow().stats.producerInstance, firstInstance);
        EXPECT_NE(live->subscribeMessage().indexOf(QString::fromStdString(R"("instance":")" + firstInstance + '"')), -1);
    } // the first agent is gone
    ASSERT_TRUE(waitUntil([&] { return live->snapshotNow().stats.state == ConnectionState::Disconnected; }));

    AgentServerOptions same;
    same.port = port;
    AgentThread second(same);
    ASSERT_TRUE(second.listening()) << second.listenError();
    ASSERT_NE(second.instance(), firstInstance);
    second.publish(stream, 0, stream.items.size()); // the whole stream, seq 1..30 per session

    ASSERT_TRUE(waitUntil([&] { return applied(*live) == 40 + stream.items.size(); }, 8000)) << applied(*live);
    pump(200); // a window, kept on purpose: a duplicate or a late resend would show within it
    const LiveSnapshot snap = live->snapshotNow();
    EXPECT_EQ(snap.stats.messagesApplied, 40 + stream.items.size());
    EXPECT_EQ(snap.stats.producerRestarts, 1u);
    EXPECT_EQ(snap.stats.producerInstance, second.instance());
    EXPECT_EQ(snap.stats.duplicatesDropped, 0u);
    EXPECT_EQ(snap.stats.seqGaps, 0u);
    EXPECT_EQ(snap.stats.reconnects, 1u);
    EXPECT_EQ(second.stats().staleSinceIgnored, 1u); // the old instance's since was not applied
    // the old instance's sessions as they were, the new instance's apart and whole
    ASSERT_EQ(snap.sessions.size(), 4u);
    EXPECT_EQ(snap.sessions[0].sessionId, "vm-1");
    EXPECT_EQ(snap.sessions[1].sessionId, "vm-2");
    EXPECT_EQ(snap.sessions[2].sessionId, "vm-1~2");
    EXPECT_EQ(snap.sessions[3].sessionId, "vm-2~2");
    for (int i = 2; i < 4; ++i) {
        const LiveSessionFigures& f = snap.sessions[static_cast<std::size_t>(i)];
        const ExpectedSession& want = stream.expected.at(f.sessionId.substr(0, 4));
        EXPECT_EQ(f.usedBytes, want.usedBytes) << f.sessionId;
        EXPECT_EQ(f.totalAllocations, want.totalAllocations) << f.sessionId;
        EXPECT_EQ(f.markers, want.markers) << f.sessionId;
    }
    // the old instance's sessions hold exactly its first 40 messages
    protocol::SessionStore firstPart;
    for (std::size_t i = 0; i < 40; ++i)
        firstPart.ingest(stream.items[i].json, i + 1);
    for (int i = 0; i < 2; ++i) {
        const MemoryStats want = MemoryAnalytics(firstPart.session(static_cast<std::size_t>(i))).calculateMemoryStats();
        const LiveSessionFigures& f = snap.sessions[static_cast<std::size_t>(i)];
        EXPECT_EQ(f.usedBytes, want.currentBytes) << f.sessionId;
        EXPECT_EQ(f.totalAllocations, want.totalAllocations) << f.sessionId;
        EXPECT_EQ(f.freedAllocations, want.freedAllocations) << f.sessionId;
    }
    EXPECT_NE(live->subscribeMessage().indexOf(QString::fromStdString(R"("instance":")" + second.instance() + '"')), -1);
    EXPECT_NE(live->subscribeMessage().indexOf(QStringLiteral(R"("vm-1":30)")), -1) << live->subscribeMessage().toStdString();
    live->stop();
}

// The client's worker stops while the agent publishes 48 MB: the
// client reads nothing meanwhile (its socket's read buffer is bounded, the
// kernel's fills, TCP stops the agent's writes), the agent keeps what it can
// in its ring and drops the rest for this client only; the client sees each
// lost message as a seq gap. Both sides count the same number.
TEST(LiveAgentLink, AWorkerThatFallsBehindLosesOnlyWhatTheAgentDroppedAndBothCountIt)
{
    ensureCoreApp();
    // session_started, then 24,000 markers with 2 KiB labels
    Stream stream;
    const std::string label(2048, 'm');
    stream.items.push_back({R"({"type":"session_started","sessionId":"vm-1","platform":"v6r-small","timestamp":1764000000000})", "vm-1", 1});
    for (int i = 1; i <= 24'000; ++i)
        stream.items.push_back({R"({"type":"marker","sessionId":"vm-1","timestamp":)" + std::to_string(1764000000000 + i)
                                    + R"(,"label":")" + label + "\"}",
                                "vm-1", static_cast<std::uint64_t>(i + 1)});
    SmallRingLink link;
    ASSERT_NO_FATAL_FAILURE(link.start(stream, 100));
    AgentThread& agent = link.agent;
    LiveSession& live = link.live;

    const qint64 maxUnsent = publishWhileStalled(agent, live, stream, 100, 2000);
    const std::uint64_t total = stream.items.size();
    ASSERT_TRUE(waitUntilAccountedFor(live, total)) << applied(live);
    const AgentServer::Stats server = agent.stats();
    const LiveSnapshot snap = live.snapshotNow();
    EXPECT_GE(maxUnsent, 256 * 1024) << "TCP pushed back to the agent: its socket to the client held the high-water mark";
    EXPECT_GT(server.dropped, 0u) << "48 MB do not fit in the kernel's buffers and a 1,000-message ring";
    EXPECT_EQ(snap.stats.seqGaps, server.dropped);
    EXPECT_EQ(snap.stats.messagesApplied, total - server.dropped);
    EXPECT_EQ(snap.stats.duplicatesDropped, 0u);
    EXPECT_EQ(snap.stats.decodeErrors, 0u);
    EXPECT_EQ(snap.stats.reconnects, 0u); // the link survived
    live.stop();
}

// The same with short sessions (as the demo makes): while the client lags,
// the agent retires ended sessions it still owes to the client. It sends
// their session_ended (and session_started where the client never had it)
// instead of the rest, so every session ends in the client (none stays "live"
// forever) and every dropped message shows as a seq gap.
TEST(LiveAgentLink, SessionsRetiredWhileTheClientLagsStillEndThereAndEveryDropIsAGap)
{
    ensureCoreApp();
    constexpr int kSessions = 60, kPerSession = 300;
    const std::string label(2048, 'm');
    Stream stream;
    std::int64_t t = 1764000000000;
    for (int k = 1; k <= kSessions; ++k) {
        const std::string sid = "s-" + std::to_string(k);
        stream.items.push_back({R"({"type":"session_started","sessionId":")" + sid
                                    + R"(","platform":"v6r-small","timestamp":)" + std::to_string(++t) + "}", sid, 1});
        for (int i = 2; i < kPerSession; ++i)
            stream.items.push_back({R"({"type":"marker","sessionId":")" + sid + R"(","timestamp":)" + std::to_string(++t)
                                        + R"(,"label":")" + label + "\"}", sid, static_cast<std::uint64_t>(i)});
        stream.items.push_back({R"({"type":"session_ended","sessionId":")" + sid + R"(","timestamp":)"
                                    + std::to_string(++t) + "}", sid, static_cast<std::uint64_t>(kPerSession)});
    }
    SmallRingLink link;
    ASSERT_NO_FATAL_FAILURE(link.start(stream, 10));
    AgentThread& agent = link.agent;
    LiveSession& live = link.live;

    publishWhileStalled(agent, live, stream, 10, 1500);
    const std::uint64_t total = stream.items.size();
    ASSERT_TRUE(waitUntilAccountedFor(live, total))
        << applied(live) << " + " << live.snapshotNow().stats.seqGaps << " of " << total;
    const AgentServer::Stats server = agent.stats();
    const LiveSnapshot snap = live.snapshotNow();
    EXPECT_GT(server.dropped, 0u);
    EXPECT_EQ(snap.stats.seqGaps, server.dropped);
    EXPECT_EQ(snap.stats.duplicatesDropped, 0u);
    EXPECT_EQ(snap.stats.reconnects, 0u);
    EXPECT_EQ(snap.sessions.size(), static_cast<std::size_t>(kSessions));
    std::size_t ended = 0;
    for (const auto& f : snap.sessions)
        ended += f.ended ? 1 : 0;
    EXPECT_EQ(ended, static_cast<std::size_t>(kSessions)) << "no session stays live in the client";
    live.stop();
}

} // namespace
