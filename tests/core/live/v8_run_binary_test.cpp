// SPDX-License-Identifier: MIT
// `flight-agent run --v8 -- node app.js` (the real binary): it starts the
// program with its own inspector port, serves it to a WebSocket client, and
// exits with the program's exit code once the program has ended.

#include "v8_node_target.h"

#include <QProcess>
#include <QRegularExpression>

using namespace flight;
using namespace flight::live::test;

TEST(V8Source, RunStartsANodeProgramServesItAndEndsWithIt)
{
    livetest::ensureCoreApp();
    QProcess agent;
    agent.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH),
                {"run", "--v8", "--listen", "127.0.0.1:0", "--interval", "100", "--", QStringLiteral(FLIGHT_NODE_PATH),
                 "-e",
                 "const m = new WebAssembly.Memory({initial: 16}); require('inspector').waitForDebugger();"
                 "console.log('flight: go'); setTimeout(() => process.exit(3), 300);"});
    TestClient client;
    ASSERT_NO_FATAL_FAILURE(connectToStartedAgent(agent, 15000, client));
    ASSERT_TRUE(agent.waitForFinished(30000)) << "the agent ends with the program";
    EXPECT_EQ(agent.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(agent.exitCode(), 3) << "the program's own exit code";
    const QString err = QString::fromUtf8(agent.readAllStandardError());
    EXPECT_TRUE(err.contains(QStringLiteral("Debugger listening on ws://127.0.0.1:"))) << "node's own stderr is passed on";
    livetest::waitUntil([&] { return client.closed; }, 3000);

    ASSERT_EQ(client.sessions.size(), 1u);
    const auto& rec = client.sessions.begin()->second;
    ASSERT_GE(rec.bodies.size(), 3u);
    EXPECT_NE(rec.bodies.front().find("\"session_started\""), std::string::npos);
    EXPECT_NE(rec.bodies.back().find("\"session_ended\""), std::string::npos);
    EXPECT_TRUE(rec.anyBodyHas("\"go\""));
    EXPECT_TRUE(rec.anyBodyHas("\"wasm-linear\":{\"bytes\":1048576,")) << rec.bodies[1];
}

TEST(V8Source, RunRefusesWhatItCannotRun)
{
    livetest::ensureCoreApp();
    const auto run = [](const QStringList& args) { return runAgentBinary(args, 15000); };
    auto [code, err] = run({"run", "--v8", "--", "python3", "x.py"});
    EXPECT_EQ(code, 2);
    EXPECT_TRUE(err.contains(QStringLiteral("must start with node"))) << err.toStdString();
    // Without --v8 any program is traced by the preload tracer (tests/tracer): it still needs one.
    std::tie(code, err) = run({"run", "--listen", "127.0.0.1:0", "--"});
    EXPECT_EQ(code, 2);
    EXPECT_TRUE(err.contains(QStringLiteral("no program after '--'"))) << err.toStdString();
    std::tie(code, err) = run({"run", "--v8", "--source", "demo", "--", QStringLiteral(FLIGHT_NODE_PATH), "x.js"});
    EXPECT_EQ(code, 2);
    EXPECT_TRUE(err.contains(QStringLiteral("--source is not for run"))) << err.toStdString();
    // node opens its inspector before it loads the script: the failure is the
    // program's own, passed on with its exit code.
    std::tie(code, err) = run({"run", "--v8", "--", QStringLiteral(FLIGHT_NODE_PATH), "/nonexistent/app.js"});
    EXPECT_EQ(code, 1);
    EXPECT_TRUE(err.contains(QStringLiteral("Cannot find module '/nonexistent/app.js'"))) << err.toStdString();
}
