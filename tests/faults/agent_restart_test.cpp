// The agent killed (SIGKILL) and restarted on the same port: the client
// (LiveSession, as the window and `capture` use it) notices the dropped link,
// reconnects by itself with backoff, resubscribes with `since`, and the session
// continues: at the end it holds exactly the recording's messages, none lost
// and none counted twice, with the same figures as the recording loaded
// directly. The agent replays a generated recording (deterministic), so the
// restarted agent produces the same session with the same seq numbers.
#include "fault_test_support.h"

#include "live/live_session.h"
#include "model/session_model.h"
#include "protocol/session_store.h"

#include <gtest/gtest.h>

#include <QTemporaryDir>

using namespace flight;
using namespace flight::faulttest;

namespace {

TEST(AgentKilled, ClientReconnectsByItselfAndTheSessionContinuesWithNothingLost)
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
    const std::uint64_t atKill = applied();
    ASSERT_LT(atKill, total) << "killed mid-stream";
    ASSERT_TRUE(livetest::waitUntil(
        [&] { return session.snapshotNow().stats.state == live::ConnectionState::Disconnected; }, 5000));

    AgentChild second; // same port, started from scratch
    const QUrl again = second.start(QStringList{"--listen", QStringLiteral("127.0.0.1:%1").arg(url.port())} + serve);
    ASSERT_EQ(again, url) << second.error().toStdString();

    ASSERT_TRUE(livetest::waitUntil([&] { return applied() >= total; }, 15000)) << applied() << " of " << total;
    livetest::pump(300); // nothing more may arrive: no duplicates applied late
    const live::LiveSnapshot end = session.stop();
    const live::LiveStats& st = end.stats;
    EXPECT_EQ(st.messagesApplied, total);
    EXPECT_EQ(st.seqGaps, 0u);
    EXPECT_EQ(st.decodeErrors, 0u);
    EXPECT_EQ(st.reconnects, 1u);
    EXPECT_GE(st.attempts, 2u);
    // every message once, plus each link's hello
    EXPECT_EQ(st.recordedMessages, total + st.connects) << "the live recording has every message once";
    EXPECT_TRUE(st.recordingError.empty()) << st.recordingError;
    // Connecting -> Connected -> Disconnected (reconnecting) -> ... -> Connected
    ASSERT_GE(states.size(), 4u);
    EXPECT_EQ(states[1], live::ConnectionState::Connected);
    EXPECT_NE(std::find(states.begin(), states.end(), live::ConnectionState::Disconnected), states.end());

    // The session continued: one session, ended, with the recording's figures.
    ASSERT_EQ(end.sessions.size(), 1u);
    const live::LiveSessionFigures& f = end.sessions.front();
    const SessionModel& want = direct.session(0);
    const MemoryStats ws = want.calculateMemoryStats();
    EXPECT_EQ(f.sessionId, want.info().sessionId);
    EXPECT_TRUE(f.ended);
    EXPECT_EQ(f.usedBytes, ws.currentBytes);
    EXPECT_EQ(f.peakBytes, ws.peakBytes);
    EXPECT_EQ(f.totalAllocations, ws.totalAllocations);
    EXPECT_EQ(f.activeAllocations, ws.activeAllocations);
    EXPECT_EQ(f.markers, want.markers().size());

    // what was recorded live loads to the same figures
    protocol::SessionStore recorded;
    protocol::loadRecording(options.recordingPath, recorded);
    ASSERT_EQ(recorded.sessionCount(), 1u);
    EXPECT_EQ(recorded.messagesApplied(), total);
    EXPECT_EQ(recorded.seqGaps(), 0u);
    EXPECT_EQ(recorded.session(0).calculateMemoryStats().peakBytes, ws.peakBytes);
}

} // namespace
