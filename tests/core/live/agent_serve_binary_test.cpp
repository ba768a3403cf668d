// SPDX-License-Identifier: MIT
// The real `flight-agent serve` binary (FLIGHT_AGENT_SERVE_PATH, set by CMake).

#include "live_server_test_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <csignal>

using namespace flight;
using namespace flight::live::test;
using namespace flight::livetest;

TEST(FlightAgentServe, StreamsADemoToAClientAndStopsOnSigterm)
{
    ensureCoreApp();
    QProcess agent;
    agent.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH),
                {"serve", "--listen", "127.0.0.1:0", "--source", "demo:dreamcast", "--rate", "2000"});
    ASSERT_TRUE(agent.waitForStarted(3000));
    ASSERT_TRUE(waitUntil([&] { return agent.canReadLine() || agent.state() == QProcess::NotRunning; }, 3000));
    const QString first = QString::fromUtf8(agent.readLine()).trimmed();
    const auto match = QRegularExpression(QStringLiteral("^listening on (ws://127\\.0\\.0\\.1:(\\d+))$")).match(first);
    ASSERT_TRUE(match.hasMatch()) << first.toStdString() << agent.readAllStandardError().toStdString();
    EXPECT_GT(match.captured(2).toInt(), 0);

    TestClient client;
    client.open(QUrl(match.captured(1)));
    ASSERT_TRUE(client.waitConnected());
    ASSERT_TRUE(waitUntil([&] { return client.messages >= 100; }, 3000)) << client.messages;
    EXPECT_EQ(client.bad, 0u);
    EXPECT_EQ(client.hellos, 1u);
    ASSERT_TRUE(client.sessions.contains("demo-dreamcast-1"));
    const auto& seqs = client.sessions["demo-dreamcast-1"].seqs;
    ASSERT_GE(seqs.size(), 100u);
    EXPECT_EQ(seqs, iota1(1, seqs.size())); // rising by one from 1
    EXPECT_NE(client.sessions["demo-dreamcast-1"].bodies.front().find("\"session_started\""), std::string::npos);

    ::kill(static_cast<pid_t>(agent.processId()), SIGTERM);
    ASSERT_TRUE(agent.waitForFinished(3000));
    EXPECT_EQ(agent.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(agent.exitCode(), 0) << agent.readAllStandardError().toStdString();
}

TEST(FlightAgentServe, StartupErrorsExitTwoWithAMessage)
{
    ensureCoreApp();
    const auto run = [](const QStringList& args) { return runAgentBinary(args, 3000); };
    auto [code, err] = run({"serve", "--listen", "0.0.0.0:0", "--source", "demo"});
    EXPECT_EQ(code, 2);
    EXPECT_TRUE(err.contains(QStringLiteral("not a loopback address and no token"))) << err.toStdString();
    std::tie(code, err) = run({"serve", "--source", "teleport:1"});
    EXPECT_EQ(code, 2);
    EXPECT_TRUE(err.contains(QStringLiteral("bad source 'teleport:1'"))) << err.toStdString();
    std::tie(code, err) = run({"serve"});
    EXPECT_EQ(code, 2);
    EXPECT_TRUE(err.contains(QStringLiteral("--source"))) << err.toStdString();
    QProcess help;
    help.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH), {"serve", "--help"});
    ASSERT_TRUE(help.waitForFinished(3000));
    EXPECT_EQ(help.exitCode(), 0);
    const QString text = QString::fromUtf8(help.readAllStandardOutput());
    for (const char* word : {"demo:PLATFORM", "replay:FILE", "process:PID", "cgroup:PATH", "Exit codes"})
        EXPECT_TRUE(text.contains(QLatin1String(word))) << word;
}

TEST(FlightAgentServe, AnyAddressWithATokenFileNeedsTheToken)
{
    ensureCoreApp();
    QTemporaryDir dir;
    const QString tokenPath = dir.filePath(QStringLiteral("token"));
    {
        QFile f(tokenPath);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("tok-9f2c-61d0e3a8b47c5e19\n");
    }
    QProcess agent;
    agent.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH), {"serve", "--listen", "0.0.0.0:0", "--token-file", tokenPath,
                                                          "--source", "demo:psp", "--rate", "500"});
    ASSERT_TRUE(agent.waitForStarted(3000));
    ASSERT_TRUE(waitUntil([&] { return agent.canReadLine() || agent.state() == QProcess::NotRunning; }, 3000));
    const QString first = QString::fromUtf8(agent.readLine()).trimmed();
    const auto match = QRegularExpression(QStringLiteral("^listening on ws://0\\.0\\.0\\.0:(\\d+)$")).match(first);
    ASSERT_TRUE(match.hasMatch()) << first.toStdString();
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1").arg(match.captured(1)));

    TestClient without, with;
    without.open(url);
    with.open(url, "tok-9f2c-61d0e3a8b47c5e19");
    EXPECT_FALSE(without.waitConnected());
    ASSERT_TRUE(with.waitConnected());
    ASSERT_TRUE(waitUntil([&] { return with.messages >= 10; }, 3000));
    EXPECT_TRUE(with.sessions.contains("demo-psp-1"));

    ::kill(static_cast<pid_t>(agent.processId()), SIGINT);
    ASSERT_TRUE(agent.waitForFinished(3000));
    EXPECT_EQ(agent.exitCode(), 0);
    EXPECT_FALSE(QString::fromUtf8(agent.readAll() + agent.readAllStandardError()).contains(QLatin1String("tok-9f2c-61d0e3a8b47c5e19")));
}

// live-sources.md: `serve --source replay:FILE --loop` keeps the recording's
// timing on every pass, not only the first. The recording spans 0.3 s, so pass
// k begins 0.3 * (k - 1) s after the start: 4 passes cannot arrive in less than
// 0.9 s, and in T ms no more than T / 300 + 1 passes can have begun. Before the
// fix every pass after the first came at once (hundreds in a burst).
TEST(FlightAgentServe, LoopKeepsTheRecordedTimingOnEveryPass)
{
    ensureCoreApp();
    QTemporaryDir dir;
    const QString path = writeTimedRecording(dir.filePath(QStringLiteral("short.jsonl")), "loop-1", 3, 100);
    QElapsedTimer sinceStart; // started before the agent, so never shorter than the agent's own clock
    sinceStart.start();
    QProcess agent;
    agent.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH),
                {"serve", "--listen", "127.0.0.1:0", "--source", QStringLiteral("replay:") + path, "--loop"});
    ASSERT_TRUE(agent.waitForStarted(3000));
    ASSERT_TRUE(waitUntil([&] { return agent.canReadLine() || agent.state() == QProcess::NotRunning; }, 3000));
    const QString first = QString::fromUtf8(agent.readLine()).trimmed();
    const auto match = QRegularExpression(QStringLiteral("^listening on (ws://127\\.0\\.0\\.1:\\d+)$")).match(first);
    ASSERT_TRUE(match.hasMatch()) << first.toStdString() << agent.readAllStandardError().toStdString();

    TestClient client; // the agent's buffer gives a late client the passes it missed
    client.open(QUrl(match.captured(1)));
    ASSERT_TRUE(client.waitConnected());
    ASSERT_TRUE(waitUntil([&] { return client.sessions.size() >= 4; }, 10000)) << client.sessions.size();
    const qint64 elapsed = sinceStart.elapsed();
    const std::size_t passes = client.sessions.size();
    EXPECT_GE(elapsed, 900) << passes << " passes";
    EXPECT_LE(passes, static_cast<std::size_t>(elapsed / 300 + 1)) << "in " << elapsed << " ms";
    EXPECT_EQ(client.count("loop-1"), 4u);
    EXPECT_EQ(client.count("loop-1~2"), 4u);
    EXPECT_EQ(client.count("loop-1~3"), 4u);
    EXPECT_EQ(client.bad, 0u);

    ::kill(static_cast<pid_t>(agent.processId()), SIGTERM);
    ASSERT_TRUE(agent.waitForFinished(3000));
    EXPECT_EQ(agent.exitCode(), 0) << agent.readAllStandardError().toStdString();
}

// live-sources.md: `--demo-events N` sets a demo session's length: each session
// is exactly N messages (session_started .. session_ended) before the next starts
// under a new id, so a long N keeps one session growing (the window benchmark's
// flatness run); N below 16 is bad usage.
TEST(FlightAgentServe, DemoEventsSetsTheLengthOfEachSession)
{
    ensureCoreApp();
    QProcess agent;
    agent.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH), {"serve", "--listen", "127.0.0.1:0", "--source", "demo:psp",
                                                          "--rate", "2000", "--demo-events", "40"});
    ASSERT_TRUE(agent.waitForStarted(3000));
    ASSERT_TRUE(waitUntil([&] { return agent.canReadLine() || agent.state() == QProcess::NotRunning; }, 3000));
    const QString first = QString::fromUtf8(agent.readLine()).trimmed();
    const auto match = QRegularExpression(QStringLiteral("^listening on (ws://127\\.0\\.0\\.1:\\d+)$")).match(first);
    ASSERT_TRUE(match.hasMatch()) << first.toStdString() << agent.readAllStandardError().toStdString();

    TestClient client;
    client.open(QUrl(match.captured(1)));
    ASSERT_TRUE(client.waitConnected());
    // The agent may have moved on before the client connected: every session seen whole counts.
    ASSERT_TRUE(waitUntil([&] { return client.sessions.size() >= 6; }, 5000)) << client.sessions.size();
    EXPECT_EQ(client.bad, 0u);
    std::size_t whole = 0;
    for (const auto& [id, rec] : client.sessions) {
        if (rec.bodies.empty() || rec.bodies.front().find("\"session_started\"") == std::string::npos
            || rec.bodies.back().find("\"session_ended\"") == std::string::npos)
            continue;
        ++whole;
        EXPECT_EQ(rec.bodies.size(), 40u) << id;
        EXPECT_TRUE(id.starts_with("demo-psp-")) << id;
    }
    EXPECT_GE(whole, 3u);
    ::kill(static_cast<pid_t>(agent.processId()), SIGTERM);
    ASSERT_TRUE(agent.waitForFinished(3000));
    EXPECT_EQ(agent.exitCode(), 0) << agent.readAllStandardError().toStdString();

    QProcess bad;
    bad.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH), {"serve", "--source", "demo:psp", "--demo-events", "15"});
    ASSERT_TRUE(bad.waitForFinished(3000));
    EXPECT_EQ(bad.exitCode(), 2);
    EXPECT_TRUE(QString::fromUtf8(bad.readAllStandardError()).contains(QLatin1String("--demo-events")));
}
