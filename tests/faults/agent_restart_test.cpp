// SPDX-License-Identifier: MIT
// The agent killed (SIGKILL) and restarted on the same port: the client
// (LiveSession, as the window and `capture` use it) notices the dropped link,
// reconnects by itself with backoff and resubscribes with `since`. The
// restarted agent is a new producer instance (its hello says so,
// protocol.md section 1): it numbers its session from seq 1 again and ignores
// the old instance's `since`. The client counts the restart, forgets the old
// seqs and keeps the new instance's session apart ("<id>~2"): the old
// instance's messages are neither lost nor counted twice, the new one's
// arrive whole from seq 1, and the new session has the recording's figures.
// The old session is marked as having lost its producer (since the link went
// down) and the new one as its second run.
#include "fault_test_support.h"

#include "live/client/live_session.h"
#include "model/session_model.h"
#include "protocol/recording_writer.h"
#include "protocol/session_store.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <QTemporaryDir>

using namespace flight;
using namespace flight::faulttest;

namespace {

TEST(AgentKilled, ClientReconnectsByItselfSeesTheNewInstanceAndCountsNothingTwice)
{
    livetest::ensureCoreApp();
    QTemporaryDir dir;
    const QString rec = dir.filePath(QStringLiteral("title.jsonl"));
    QProcess gen;
    gen.start(QStringLiteral(FLIGHT_AGENT_EXE),
              {"generate", "-p", "dreamcast", "-n", "3000", "-o", rec, "-q"}); // 67.7 s of session time
    ASSERT_TRUE(gen.waitForFinished(20000));
    ASSERT_EQ(gen.exitCode(), 0) << gen.readAllStandardError().toStdString();
    protocol::SessionStore direct;
    protocol::loadRecording(rec.toStdString(), direct);
    ASSERT_EQ(direct.sessionCount(), 1u);
    const std::uint64_t total = direct.messagesApplied();
    ASSERT_EQ(total, 3000u);

    // 67.7 s at 20x: the replay takes about 3.4 s per agent run
    const QStringList serve = {"--source", "replay:" + rec, "--speed", "20"};
    AgentChild first;
    const QUrl url = first.start(QStringList{"--listen", "127.0.0.1:0"} + serve);
    ASSERT_TRUE(url.isValid()) << first.error().toStdString();

    live::LiveSessionOptions options;
    options.connection.url = url;
    options.connection.backoff.base = std::chrono::milliseconds(200); // the default 1 s works the same, slower
    options.recordingPath = dir.filePath(QStringLiteral("live.jsonl")).toStdString();
    live::LiveSession session(options);
    std::vector<live::ConnectionState> states;
    QObject::connect(&session, &live::LiveSession::stateChanged,
                     [&](live::ConnectionState s, const QString&) { states.push_back(s); });
    session.start();
    const auto applied = [&] { return session.snapshotNow().stats.messagesApplied; };
    ASSERT_TRUE(livetest::waitUntil([&] { return applied() >= 600; }, 10000)) << applied();

    first.kill9();
    ASSERT_TRUE(livetest::waitUntil(
        [&] { return session.snapshotNow().stats.state == live::ConnectionState::Disconnected; }, 5000));
    const std::uint64_t fromFirst = applied(); // all the first instance delivered
    ASSERT_LT(fromFirst, total) << "killed mid-stream";
    const std::int64_t downSince = session.snapshotNow().stats.disconnectedSinceMs; // when the link went down
    EXPECT_GT(downSince, 0);
    EXPECT_LE(downSince, protocol::nowMs());

    AgentChild second; // same port, started from scratch: a new instance
    const QUrl again = second.start(QStringList{"--listen", QStringLiteral("127.0.0.1:%1").arg(url.port())} + serve);
    ASSERT_EQ(again, url) << second.error().toStdString();

    ASSERT_TRUE(livetest::waitUntil([&] { return applied() >= fromFirst + total; }, 15000))
        << applied() << " of " << fromFirst + total;
    livetest::pump(300); // a window, kept on purpose: nothing more may arrive, no duplicates applied late
    const live::LiveSnapshot end = session.stop();
    const live::LiveStats& st = end.stats;
    EXPECT_EQ(st.messagesApplied, fromFirst + total);
    EXPECT_EQ(st.producerRestarts, 1u);
    EXPECT_EQ(st.duplicatesDropped, 0u);
    EXPECT_EQ(st.seqGaps, 0u);
    EXPECT_EQ(st.decodeErrors, 0u);
    EXPECT_EQ(st.reconnects, 1u);
    EXPECT_GE(st.attempts, 2u);
    // every message once, plus each link's hello
    EXPECT_EQ(st.recordedMessages, fromFirst + total + st.connects) << "the live recording has every message once";
    EXPECT_TRUE(st.recordingError.empty()) << st.recordingError;
    // Connecting -> Connected -> Disconnected (reconnecting) -> ... -> Connected
    ASSERT_GE(states.size(), 4u);
    EXPECT_EQ(states[1], live::ConnectionState::Connected);
    EXPECT_NE(std::find(states.begin(), states.end(), live::ConnectionState::Disconnected), states.end());

    // The first instance's session as far as it came; the new instance's
    // apart, whole and ended, with the recording's figures.
    const SessionModel& want = direct.session(0);
    const MemoryStats ws = MemoryAnalytics(want).calculateMemoryStats();
    ASSERT_EQ(end.sessions.size(), 2u);
    EXPECT_EQ(end.sessions[0].sessionId, want.info().sessionId);
    EXPECT_FALSE(end.sessions[0].ended);
    // Its producer went away without ending it, since the link went down; the new one is its second run.
    EXPECT_EQ(end.sessions[0].producerGoneSinceMs, downSince);
    EXPECT_TRUE(end.sessions[0].continues.empty());
    EXPECT_EQ(end.sessions[0].run, 1u);
    EXPECT_EQ(end.sessions[1].producerGoneSinceMs, 0);
    EXPECT_EQ(end.sessions[1].continues, want.info().sessionId);
    EXPECT_EQ(end.sessions[1].run, 2u);
    EXPECT_LT(end.sessions[0].totalAllocations, ws.totalAllocations);
    const live::LiveSessionFigures& f = end.sessions[1];
    EXPECT_EQ(f.sessionId, want.info().sessionId + "~2");
    EXPECT_TRUE(f.ended);
    EXPECT_EQ(f.usedBytes, ws.currentBytes);
    EXPECT_EQ(f.peakBytes, ws.peakBytes);
    EXPECT_EQ(f.totalAllocations, ws.totalAllocations);
    EXPECT_EQ(f.activeAllocations, ws.activeAllocations);
    EXPECT_EQ(f.markers, want.markers().size());

    // what was recorded live loads to the same figures
    protocol::SessionStore recorded;
    protocol::loadRecording(options.recordingPath, recorded);
    ASSERT_EQ(recorded.sessionCount(), 2u);
    EXPECT_EQ(recorded.messagesApplied(), fromFirst + total);
    EXPECT_EQ(recorded.seqGaps(), 0u);
    EXPECT_EQ(recorded.duplicatesDropped(), 0u);
    ASSERT_NE(recorded.find(want.info().sessionId + "~2"), nullptr);
    EXPECT_EQ(MemoryAnalytics(*recorded.find(want.info().sessionId + "~2")).calculateMemoryStats().peakBytes, ws.peakBytes);
}

} // namespace
