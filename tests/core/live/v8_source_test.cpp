// SPDX-License-Identifier: MIT
// v8:HOST:PORT on real node processes (FLIGHT_NODE_PATH, Debian's nodejs): the
// WebAssembly memory, heap and JIT figures of tests/data/v8/wasm_phases.js,
// its markers, and how sessions end (program finished, killed, stopped).

#include "v8_node_target.h"

#include "live/sources/source_spec.h"
#include "live/v8/v8_discovery.h"
#include "live/v8/v8_source.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTcpServer>

#include <csignal>
#include <future>
#include <thread>
#include <optional>

using namespace flight;
using namespace flight::live;
using namespace flight::live::test;

namespace {

constexpr std::uint64_t kPage = 64u * 1024u;
const QString kPhases = QStringLiteral(FLIGHT_TEST_DATA "/v8/wasm_phases.js");

std::unique_ptr<AgentSource> v8Source(quint16 port, std::chrono::milliseconds interval)
{
    SourceSettings settings;
    settings.interval = interval;
    auto made = makeSources(QStringLiteral("v8:127.0.0.1:%1").arg(port), settings);
    if (!made) {
        ADD_FAILURE() << made.error().message;
        return nullptr;
    }
    EXPECT_EQ(made->size(), 1u);
    return std::move(made->front());
}

// A node program started with its inspector, and a v8 source sampling it
// every `interval` into `seen`. started() is false (with node's stderr in
// why()) when node printed no port or the source could not be made.
struct SampledTarget {
    SampledTarget(const QStringList& args, std::chrono::milliseconds interval,
                  const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
        : node(args, env)
    {
        port = node.waitForPort();
        if (port == 0)
            return;
        src = v8Source(port, interval);
        if (src)
            src->start(seen.sink());
    }
    bool started() const { return src != nullptr; }
    std::string why() const { return node.stderrText.toStdString(); }

    NodeTarget node;
    quint16 port = 0;
    std::unique_ptr<AgentSource> src;
    Seen seen;
};

bool near(std::uint64_t a, std::uint64_t b, std::uint64_t tolerance)
{
    return (a > b ? a - b : b - a) <= tolerance;
}

} // namespace

TEST(V8Source, WasmHeapJitAndMarkersOfARealNodeProgramThenTheSessionEndsWithIt)
{
    livetest::ensureCoreApp();
    SampledTarget t({QStringLiteral("--expose-gc"), kPhases}, std::chrono::milliseconds(100));
    ASSERT_TRUE(t.started()) << t.why();
    ASSERT_TRUE(livetest::waitUntil([&] { return t.src->finished(); }, 30000)) << "the program should finish in about 3 s";
    const auto stats = dynamic_cast<V8Source&>(*t.src).stats();
    ASSERT_EQ(stats.size(), 1u);
    ASSERT_TRUE(t.node.process.waitForFinished(10000)) << "node exits once the agent lets go";
    EXPECT_EQ(t.node.process.exitCode(), 0) << t.node.stderrText.toStdString();

    ASSERT_GE(t.seen.types.size(), 3u);
    EXPECT_EQ(t.seen.types.front(), "session_started");
    EXPECT_EQ(t.seen.types.back(), "session_ended");
    EXPECT_EQ(std::ranges::count(t.seen.types, std::string("session_started")), 1);
    EXPECT_FALSE(stats[0].endReason.empty());
    EXPECT_NE(stats[0].endReason.find("finished"), std::string::npos) << stats[0].endReason;
    ASSERT_FALSE(t.seen.markers.empty());
    EXPECT_EQ(t.seen.markers.back().second, "session ended: " + stats[0].endReason);
    EXPECT_EQ(t.seen.platform, "custom") << "node's default heap limit is above every catalogued platform";
    EXPECT_GT(t.seen.heapMax, 256 * kMiB);
    EXPECT_EQ(t.seen.total, t.seen.heapMax);

    const auto grown = t.seen.markerAt("grown");
    const auto allocating = t.seen.markerAt("allocating");
    const auto allocated = t.seen.markerAt("allocated");
    const auto freeing = t.seen.markerAt("freeing");
    const auto freed = t.seen.markerAt("freed");
    ASSERT_TRUE(grown && allocating && allocated && freeing && freed) << t.seen.markers.size() << " markers";
    EXPECT_TRUE(t.seen.markerAt("done").has_value());
    EXPECT_TRUE(t.seen.markerAt("started").has_value()) << "logged before the agent attached";
    EXPECT_EQ(t.seen.markerAt("started"), t.seen.updates.front().at) << "shown at the session's start";
    EXPECT_EQ(t.seen.backwards, 0u) << "no message is before an earlier one";
    ASSERT_FALSE(t.seen.updates.empty());

    // wasm-linear: 64 MiB from the first figures, 96 MiB after the marker.
    const Update& first = t.seen.updates.front();
    EXPECT_TRUE(near(first.of(StandardPurpose::WasmLinear), 64 * kMiB, kPage)) << first.of(StandardPurpose::WasmLinear);
    EXPECT_EQ(t.seen.updatesOf([&](const Update& u) {
                  return u.at < *grown && !near(u.of(StandardPurpose::WasmLinear), 64 * kMiB, kPage);
              }),
              0u);
    EXPECT_GT(t.seen.updatesOf([&](const Update& u) {
                  return u.at > *grown && near(u.of(StandardPurpose::WasmLinear), 96 * kMiB, kPage);
              }),
              0u);
    EXPECT_EQ(t.seen.updatesOf([&](const Update& u) {
                  return u.at > *allocating && !near(u.of(StandardPurpose::WasmLinear), 96 * kMiB, kPage);
              }),
              0u);

    // vm-heap: up by about 50 MB while the objects are held, down after.
    std::uint64_t before = UINT64_MAX, peak = 0, after = UINT64_MAX;
    for (const Update& u : t.seen.updates) {
        const std::uint64_t h = u.of(StandardPurpose::VmHeap);
        if (u.at > *grown && u.at < *allocating)
            before = std::min(before, h);
        if (u.at > *allocated && u.at < *freeing)
            peak = std::max(peak, h);
        if (u.at > *freed)
            after = std::min(after, h);
    }
    std::printf("v8 source: %zu updates; %llu wasm scans (last %.1f ms, the target's GC included), samples "
                "%.2f ms on average, slowest %.2f ms; ended: %s\n",
                t.seen.updates.size(), static_cast<unsigned long long>(stats[0].wasmScans), stats[0].lastScanMs,
                stats[0].totalSampleMs / static_cast<double>(std::max<std::uint64_t>(1, stats[0].samples)),
                stats[0].maxSampleMs, stats[0].endReason.c_str());
    if (std::getenv("FLIGHT_V8_TEST_VERBOSE")) {
        for (const auto& [at, l] : t.seen.markers)
            std::printf("marker %lld %s\n", static_cast<long long>(at), l.c_str());
        for (const Update& u : t.seen.updates)
            std::printf("update %lld heap %llu wasm %llu\n", static_cast<long long>(u.at),
                        static_cast<unsigned long long>(u.of(StandardPurpose::VmHeap)),
                        static_cast<unsigned long long>(u.of(StandardPurpose::WasmLinear)));
    }
    ASSERT_NE(before, UINT64_MAX);
    ASSERT_NE(after, UINT64_MAX);
    ASSERT_GT(peak, before);
    const double rise = static_cast<double>(peak - before);
    const double fall = static_cast<double>(peak) - static_cast<double>(after);
    EXPECT_GE(rise, 0.8 * 50e6);
    EXPECT_LE(rise, 1.2 * 50e6);
    EXPECT_GE(fall, 0.8 * rise);
    EXPECT_GT(t.seen.updates.back().of(StandardPurpose::JitCodeCache), 0u);
    std::uint64_t sum = 0;
    for (std::uint64_t b : t.seen.updates.back().purpose)
        sum += b;
    EXPECT_EQ(t.seen.updates.back().used, sum);

    ::testing::Test::RecordProperty("heap_rise_mb", std::to_string(rise / 1e6));
    ::testing::Test::RecordProperty("wasm_scans", std::to_string(stats[0].wasmScans));
    std::printf("v8 source: vm-heap %.1f MB -> %.1f MB -> %.1f MB, jit-code-cache %.2f MB\n",
                static_cast<double>(before) / 1e6, static_cast<double>(peak) / 1e6, static_cast<double>(after) / 1e6,
                static_cast<double>(t.seen.updates.back().of(StandardPurpose::JitCodeCache)) / 1e6);
}

TEST(V8Source, StoppingTheSourceLeavesTheProgramRunningToItsOwnEnd)
{
    livetest::ensureCoreApp();
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PHASE_MS"), QStringLiteral("200"));
    SampledTarget t({kPhases}, std::chrono::milliseconds(50), env);
    ASSERT_TRUE(t.started()) << t.why();
    ASSERT_TRUE(livetest::waitUntil([&] { return !t.seen.updates.empty(); }, 10000));
    t.src->stop();
    const std::size_t sent = t.seen.types.size();
    ASSERT_TRUE(t.node.process.waitForFinished(15000)) << "the program goes on and ends by itself";
    EXPECT_EQ(t.node.process.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(t.node.process.exitCode(), 0);
    EXPECT_EQ(t.seen.types.size(), sent) << "nothing is sent after stop()";
}

TEST(V8Source, ATargetKilledWhileSampledEndsItsSessionWithTheReason)
{
    livetest::ensureCoreApp();
    SampledTarget t({QStringLiteral("-e"), QStringLiteral("setInterval(() => {}, 1000)")}, std::chrono::milliseconds(10));
    ASSERT_TRUE(t.started()) << t.why();
    ASSERT_TRUE(livetest::waitUntil([&] { return t.seen.updates.size() >= 5; }, 10000));
    ::kill(static_cast<pid_t>(t.node.process.processId()), SIGKILL);
    ASSERT_TRUE(livetest::waitUntil([&] { return t.src->finished(); }, 10000));
    const auto stats = dynamic_cast<V8Source&>(*t.src).stats();
    EXPECT_EQ(t.seen.types.back(), "session_ended");
    EXPECT_NE(stats[0].endReason.find("closed the connection"), std::string::npos) << stats[0].endReason;
    EXPECT_EQ(t.seen.markers.back().second, "session ended: " + stats[0].endReason);
}

TEST(V8Source, ATargetThatStopsAnsweringEndsAfterTheReplyTimeout)
{
    livetest::ensureCoreApp();
    NodeTarget node({QStringLiteral("-e"), QStringLiteral("setInterval(() => {}, 1000)")});
    const quint16 port = node.waitForPort();
    ASSERT_NE(port, 0) << node.stderrText.toStdString();
    auto endpoint = parseV8Endpoint(QStringLiteral("127.0.0.1:%1").arg(port), false);
    ASSERT_TRUE(endpoint.has_value());
    auto targets = discoverV8Targets(*endpoint, std::chrono::milliseconds(3000));
    ASSERT_TRUE(targets.has_value()) << targets.error().message;
    V8SourceOptions o;
    o.spec = QStringLiteral("v8:test");
    o.targets = *targets;
    o.interval = std::chrono::milliseconds(20);
    o.replyTimeout = std::chrono::milliseconds(300);
    auto src = V8Source::create(o);
    ASSERT_TRUE(src.has_value()) << src.error().message;
    Seen seen;
    (*src)->start(seen.sink());
    ASSERT_TRUE(livetest::waitUntil([&] { return seen.updates.size() >= 2; }, 10000));
    const pid_t pid = static_cast<pid_t>(node.process.processId());
    ::kill(pid, SIGSTOP); // alive, socket open, never answers
    const bool ended = livetest::waitUntil([&] { return (*src)->finished(); }, 10000);
    ::kill(pid, SIGCONT);
    ASSERT_TRUE(ended);
    const auto stats = (*src)->stats();
    EXPECT_NE(stats[0].endReason.find("stopped answering"), std::string::npos) << stats[0].endReason;
    EXPECT_EQ(seen.types.back(), "session_ended");
}

TEST(V8Source, AWrongPortOrARemoteHostIsAClearError)
{
    livetest::ensureCoreApp();
    const livetest::ClosedPort nobody;
    const quint16 freePort = nobody.port();
    auto wrong = makeSources(QStringLiteral("v8:127.0.0.1:%1").arg(freePort), {});
    ASSERT_FALSE(wrong.has_value());
    EXPECT_NE(wrong.error().message.find("cannot connect to the V8 inspector at 127.0.0.1:" + std::to_string(freePort)),
              std::string::npos)
        << wrong.error().message;
    EXPECT_NE(wrong.error().message.find("--inspect="), std::string::npos) << wrong.error().message;

    // Something that is not an inspector: an HTTP server answering 404, on a
    // thread of its own (the discovery blocks this one).
    std::promise<quint16> listening;
    std::thread http([&listening] {
        QTcpServer server;
        listening.set_value(server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0);
        if (!server.waitForNewConnection(10000))
            return;
        QTcpSocket* s = server.nextPendingConnection();
        s->waitForReadyRead(5000);
        s->readAll();
        s->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        s->waitForBytesWritten(5000);
        s->disconnectFromHost();
        if (s->state() != QAbstractSocket::UnconnectedState)
            s->waitForDisconnected(1000);
    });
    const quint16 httpPort = listening.get_future().get();
    ASSERT_NE(httpPort, 0);
    auto notV8 = makeSources(QStringLiteral("v8:127.0.0.1:%1").arg(httpPort), {});
    http.join();
    ASSERT_FALSE(notV8.has_value());
    EXPECT_NE(notV8.error().message.find("127.0.0.1:" + std::to_string(httpPort) + " answered /json/list with 'HTTP/1.1 404 Not Found'"),
              std::string::npos)
        << notV8.error().message;

    auto remote = makeSources(QStringLiteral("v8:192.0.2.10:9229"), {});
    ASSERT_FALSE(remote.has_value());
    EXPECT_NE(remote.error().message.find("--allow-remote-v8"), std::string::npos) << remote.error().message;
    EXPECT_TRUE(parseV8Endpoint(QStringLiteral("192.0.2.10:9229"), true).has_value());
    EXPECT_TRUE(parseV8Endpoint(QStringLiteral("[::1]:9229"), false).has_value());
    EXPECT_TRUE(parseV8Endpoint(QStringLiteral("localhost:9229"), false).has_value());
    EXPECT_FALSE(parseV8Endpoint(QStringLiteral("ws://evil.example:9229/x"), false).has_value());
    EXPECT_FALSE(makeSources(QStringLiteral("v8:127.0.0.1:0"), {}).has_value());
}

TEST(V8Source, TheTargetListIsBoundedAndCannotRedirectTheAgent)
{
    V8Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = 9229;
    const QByteArray list = R"([{"id":"a/../b\u001b[2J","title":"t\u001b[31m","url":"file:///x.js",
                                 "webSocketDebuggerUrl":"ws://203.0.113.5:1234/abc"},
                                {"id":"none","title":"attached elsewhere"}])";
    auto t = parseTargetList(list, e);
    ASSERT_TRUE(t.has_value()) << t.error().message;
    ASSERT_EQ(t->size(), 1u);
    EXPECT_EQ(t->front().webSocketUrl.toString(), QStringLiteral("ws://127.0.0.1:9229/abc"));
    EXPECT_EQ(t->front().id, QStringLiteral("a..b2J"));
    EXPECT_FALSE(t->front().title.contains(QChar(0x1b)));
    EXPECT_FALSE(parseTargetList(QByteArray(kMaxTargetListBytes + 1, ' '), e).has_value());
    EXPECT_FALSE(parseTargetList("{\"not\":\"a list\"}", e).has_value());
}

TEST(V8Source, ADebuggerUrlAttachesToThatTargetOnly)
{
    livetest::ensureCoreApp();
    NodeTarget node({QStringLiteral("-e"), QStringLiteral("setInterval(() => {}, 1000)")});
    const quint16 port = node.waitForPort();
    ASSERT_NE(port, 0) << node.stderrText.toStdString();
    const auto m = QRegularExpression(QStringLiteral("(ws://127\\.0\\.0\\.1:\\d+/[0-9a-f-]+)")).match(node.stderrText);
    ASSERT_TRUE(m.hasMatch());
    SourceSettings settings;
    settings.interval = std::chrono::milliseconds(20);
    settings.platform = "v6r-small";
    auto made = makeSources(QStringLiteral("v8:") + m.captured(1), settings);
    ASSERT_TRUE(made.has_value()) << made.error().message;
    Seen seen;
    made->front()->start(seen.sink());
    ASSERT_TRUE(livetest::waitUntil([&] { return seen.updates.size() >= 3; }, 10000));
    made->front()->stop();
    EXPECT_EQ(seen.platform, "v6r-small") << "--platform wins over the heap limit";
    EXPECT_EQ(seen.total, 512 * kMiB);
    EXPECT_EQ(seen.updates.back().of(StandardPurpose::WasmLinear), 0u);
    EXPECT_LE(dynamic_cast<V8Source&>(*made->front()).stats()[0].wasmScans, 1u)
        << "at most the one at attach (node's own external memory, ~1.4 MB, is above the 1 MiB threshold)";
    EXPECT_EQ(node.process.state(), QProcess::Running) << "the target keeps running after the agent let go";
}

TEST(V8Source, APortThatNeverAnswersTheListIsAnErrorAfterTheDeadline)
{
    livetest::ensureCoreApp();
    // Listening, so the kernel completes the TCP handshake, but never read.
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    QElapsedTimer clock;
    clock.start();
    auto r = makeSources(QStringLiteral("v8:127.0.0.1:%1").arg(silent.serverPort()), {});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("did not answer /json/list within 3000 ms"), std::string::npos) << r.error().message;
    EXPECT_LT(clock.elapsed(), 6000);
}

TEST(V8Source, AMessageOverTheSizeLimitEndsTheSessionInsteadOfBeingBuffered)
{
    livetest::ensureCoreApp();
    // A console call with a 12 MB string: V8 sends it whole in consoleAPICalled.
    NodeTarget node({QStringLiteral("-e"),
                     QStringLiteral("require('inspector').waitForDebugger();"
                                    "setTimeout(() => console.log('x'.repeat(12 * 1024 * 1024)), 100);"
                                    "setInterval(() => {}, 1000)")});
    const quint16 port = node.waitForPort();
    ASSERT_NE(port, 0) << node.stderrText.toStdString();
    // Sending 12 MB takes node a while on a loaded machine: the replies wait
    // long enough for the message's first 8 MiB to arrive.
    V8SourceOptions o;
    o.interval = std::chrono::milliseconds(50);
    o.replyTimeout = std::chrono::milliseconds(20000);
    auto src = sourceOnPort(port, std::move(o));
    ASSERT_TRUE(src);
    Seen seen;
    src->start(seen.sink());
    ASSERT_TRUE(livetest::waitUntil([&] { return src->finished(); }, 30000));
    const auto stats = src->stats();
    EXPECT_NE(stats[0].endReason.find("over 8388608 bytes"), std::string::npos) << stats[0].endReason;
    EXPECT_EQ(seen.types.back(), "session_ended");
}

TEST(V8Source, AnIsolateWithoutWebAssemblyIsSampledAllTheSame)
{
    livetest::ensureCoreApp();
    SampledTarget t({QStringLiteral("--jitless"), QStringLiteral("-e"), QStringLiteral("setInterval(() => {}, 1000)")}, std::chrono::milliseconds(20));
    ASSERT_TRUE(t.started()) << t.why();
    ASSERT_TRUE(livetest::waitUntil([&] { return t.seen.updates.size() >= 5 || t.src->finished(); }, 10000));
    EXPECT_FALSE(t.src->finished()) << dynamic_cast<V8Source&>(*t.src).stats()[0].endReason;
    t.src->stop();
    EXPECT_EQ(t.seen.updates.back().of(StandardPurpose::WasmLinear), 0u);
    EXPECT_GT(t.seen.updates.back().of(StandardPurpose::VmHeap), 0u);
}
