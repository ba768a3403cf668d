// SPDX-License-Identifier: MIT
// How long a new client of the agent waits for S open sessions (issue #15,
// attack 1; docs/performance.md "Agent: many open sessions"). An AgentServer
// holds S sessions (session_started and one marker each); per iteration a new
// QWebSocket client connects on loopback and the time until it has received
// all 2*S messages is measured (manual time: connect to last message). The
// client runs in the same thread and event loop as the server, as the
// inspector's LiveConnection would on its own thread: what is measured is the
// agent's work plus decoding nothing (frames are only counted).
//
//   cmake --build --preset release --target agent_fanout_benchmark
//   build/release/bin/agent_fanout_benchmark --benchmark_counters_tabular=true

#include "live/server/agent_server.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QWebSocket>

#include <memory>
#include <string>

using namespace flight;

namespace {

QCoreApplication& app()
{
    static int argc = 1;
    static char name[] = "agent_fanout_benchmark";
    static char* argv[] = {name, nullptr};
    static QCoreApplication* a = new QCoreApplication(argc, argv);
    return *a;
}

void BM_NewClientGetsOpenSessions(benchmark::State& state)
{
    app();
    const int sessions = static_cast<int>(state.range(0));
    live::AgentServerOptions o;
    o.subscribeGrace = std::chrono::milliseconds(0);
    live::AgentServer server(o);
    if (!server.listen()) {
        state.SkipWithError("cannot listen");
        return;
    }
    for (int i = 1; i <= sessions; ++i) {
        const std::string id = "vm-" + std::to_string(i);
        server.publish(protocol::Message{protocol::SessionStartedMsg{id, "v6r-small", "", {}, {}, 1764000000000 + i}, {}, {}});
        server.publish(protocol::Message{protocol::MarkerMsg{id, 1764000000001 + i, "open"}, {}, {}});
    }
    const std::uint64_t want = 2ull * static_cast<std::uint64_t>(sessions) + 1; // and the hello
    for (auto _ : state) {
        QWebSocket client;
        std::uint64_t frames = 0;
        QObject::connect(&client, &QWebSocket::textMessageReceived, [&](const QString&) { ++frames; });
        QElapsedTimer clock;
        clock.start();
        client.open(server.url());
        const QDeadlineTimer deadline(120'000);
        while (frames < want && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        const double seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
        if (frames < want) {
            state.SkipWithError("not every session arrived within 120 s");
            return;
        }
        state.SetIterationTime(seconds);
        client.abort();
        QCoreApplication::processEvents();
    }
    state.counters["sessions"] = sessions;
    state.counters["sessions/s"] = benchmark::Counter(static_cast<double>(sessions) * static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate);
}

} // namespace

BENCHMARK(BM_NewClientGetsOpenSessions)
    ->Arg(500)->Arg(2'000)->Arg(4'000)->Arg(10'000)->Arg(50'000)
    ->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

BENCHMARK_MAIN();
