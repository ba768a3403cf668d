// SPDX-License-Identifier: MIT
// `flight-agent serve --source v8:127.0.0.1:PORT` (the real binary) on a real
// node program, read by a WebSocket client: the session and its figures reach
// the client numbered like any other, and the agent stops once the program ends.

#include "v8_node_target.h"

#include <QRegularExpression>

using namespace flight;
using namespace flight::live::test;

TEST(V8Source, ServeStreamsANodeProgramToAClientAndStopsWhenItEnds)
{
    livetest::ensureCoreApp();
    NodeTarget node({QStringLiteral(FLIGHT_TEST_DATA "/v8/wasm_phases.js")});
    const quint16 port = node.waitForPort();
    ASSERT_NE(port, 0) << node.stderrText.toStdString();

    QProcess agent;
    agent.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH),
                {"serve", "--listen", "127.0.0.1:0", "--interval", "100", "--source",
                 QStringLiteral("v8:127.0.0.1:%1").arg(port)});
    TestClient client;
    ASSERT_NO_FATAL_FAILURE(connectToStartedAgent(agent, 10000, client));
    ASSERT_TRUE(agent.waitForFinished(30000)) << "the agent stops once the program has ended";
    EXPECT_EQ(agent.exitCode(), 0);
    EXPECT_TRUE(QString::fromUtf8(agent.readAllStandardError()).contains(QStringLiteral("all sources finished")));
    ASSERT_TRUE(node.process.waitForFinished(10000));
    EXPECT_EQ(node.process.exitCode(), 0);
    livetest::waitUntil([&] { return client.closed; }, 3000);

    EXPECT_EQ(client.bad, 0u);
    ASSERT_EQ(client.sessions.size(), 1u);
    const auto& [sid, rec] = *client.sessions.begin();
    EXPECT_TRUE(sid.starts_with("v8-")) << sid;
    ASSERT_GE(rec.bodies.size(), 4u);
    EXPECT_EQ(rec.seqs, iota1(1, rec.seqs.size()));
    EXPECT_NE(rec.bodies.front().find("\"session_started\""), std::string::npos) << rec.bodies.front();
    EXPECT_NE(rec.bodies.front().find("wasm_phases.js"), std::string::npos) << "labelled with the target's title";
    EXPECT_NE(rec.bodies.back().find("\"session_ended\""), std::string::npos) << rec.bodies.back();
    EXPECT_TRUE(rec.anyBodyHas("\"wasm-linear\""));
    EXPECT_TRUE(rec.anyBodyHas("\"jit-code-cache\""));
    EXPECT_TRUE(rec.anyBodyHas("\"grown\""));
    EXPECT_TRUE(rec.anyBodyHas("session ended: the program finished"));
}

TEST(V8Source, ServeHelpNamesTheV8SourceAndTheRemoteRule)
{
    livetest::ensureCoreApp();
    QProcess help;
    help.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH), {"serve", "--help"});
    ASSERT_TRUE(help.waitForFinished(3000));
    EXPECT_EQ(help.exitCode(), 0);
    const QString text = QString::fromUtf8(help.readAllStandardOutput());
    for (const char* word : {"v8:HOST:PORT", "v8:ws://", "--allow-remote-v8", "--platform"})
        EXPECT_TRUE(text.contains(QLatin1String(word))) << word;
    QProcess remote;
    remote.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH), {"serve", "--source", "v8:192.0.2.1:9229"});
    ASSERT_TRUE(remote.waitForFinished(5000));
    EXPECT_EQ(remote.exitCode(), 2);
    EXPECT_TRUE(QString::fromUtf8(remote.readAllStandardError()).contains(QStringLiteral("--allow-remote-v8")));
}
