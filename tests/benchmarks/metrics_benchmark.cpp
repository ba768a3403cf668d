// SPDX-License-Identifier: MIT
// What one scrape of an agent's /metrics costs the agent (issue #20: 100
// sessions within 20 ms; docs/performance.md "Agent: /metrics"). A
// MetricsCollector holds S sessions, each with 1,000 live allocations over the
// eight purposes, limits and two error codes; per iteration the scrape's work
// is measured: the snapshot of every session and the OpenMetrics text.
//
//   cmake --build --preset release --target metrics_benchmark
//   build/release/bin/metrics_benchmark --benchmark_counters_tabular=true

#include "live/metrics/metrics_collector.h"
#include "live/metrics/metrics_exposition.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

using namespace flight;
using namespace flight::live;
using namespace flight::protocol;

namespace {

void fill(MetricsCollector& c, int sessions, int allocations)
{
    const auto now = MetricsCollector::Clock::now();
    for (int s = 0; s < sessions; ++s) {
        const std::string id = "vm-" + std::to_string(s);
        SessionStartedMsg started;
        started.sessionId = id;
        started.platform = s % 2 ? "v6r-small" : "psp";
        started.timestamp = 1'764'000'000'000;
        c.observe(Message{started, {}, {}}, now);
        LimitsMsg limits;
        limits.sessionId = id;
        limits.limits.softLimit = MemorySize{32u << 20};
        limits.limits.hardLimit = MemorySize{48u << 20};
        c.observe(Message{limits, {}, {}}, now);
        for (int a = 0; a < allocations; ++a) {
            const std::string aid = "a" + std::to_string(a);
            AllocationMsg m;
            m.sessionId = id;
            m.id = aid;
            m.bytes = 4096 + static_cast<std::uint64_t>(a);
            m.purpose = MemoryPurpose(static_cast<StandardPurpose>(a % 8));
            m.allocatedAt = started.timestamp + a;
            c.observe(Message{m, {}, {}}, now);
        }
        for (const MemoryErrorCode code : {MemoryErrorCode::LimitExceeded, MemoryErrorCode::AllocationFailed}) {
            ErrorMsg e;
            e.sessionId = id;
            e.code = code;
            e.message = "refused";
            c.observe(Message{e, {}, {}}, now);
        }
    }
}

void BM_ScrapeMetrics(benchmark::State& state)
{
    const int sessions = static_cast<int>(state.range(0));
    MetricsCollector collector(MetricsCollectorOptions{.maxSessions = 10'000});
    fill(collector, sessions, 1000);
    std::size_t bytes = 0;
    for (auto _ : state) {
        AgentMetrics m = collector.snapshot(MetricsCollector::Clock::now());
        m.instance = "0123456789abcdef";
        const std::string text = renderMetrics(m, ExpositionFormat::OpenMetrics);
        bytes = text.size();
        benchmark::DoNotOptimize(text.data());
    }
    state.counters["sessions"] = sessions;
    state.counters["text_KiB"] = static_cast<double>(bytes) / 1024.0;
}
// What --metrics-listen adds to every message the agent publishes: the
// collector applies it to the session's model. Per iteration one session of
// 10,000 allocations, each freed again (20,002 messages).
void BM_ObserveMessages(benchmark::State& state)
{
    std::vector<std::string> ids;
    for (int a = 0; a < 10'000; ++a)
        ids.push_back("a" + std::to_string(a));
    std::uint64_t messages = 0;
    int run = 0;
    for (auto _ : state) {
        MetricsCollector c;
        const auto now = MetricsCollector::Clock::now();
        const std::string session = "vm-" + std::to_string(++run);
        SessionStartedMsg started;
        started.sessionId = session;
        started.platform = "v6r-small";
        started.timestamp = 1'764'000'000'000;
        c.observe(Message{started, {}, {}}, now);
        for (int a = 0; a < 10'000; ++a) {
            AllocationMsg m;
            m.sessionId = session;
            m.id = ids[static_cast<std::size_t>(a)];
            m.bytes = 4096;
            m.purpose = MemoryPurpose(static_cast<StandardPurpose>(a % 8));
            m.allocatedAt = started.timestamp + a;
            c.observe(Message{m, {}, {}}, now);
        }
        for (int a = 0; a < 10'000; ++a) {
            FreeMsg f;
            f.sessionId = session;
            f.allocationId = ids[static_cast<std::size_t>(a)];
            f.freedAt = started.timestamp + 10'000 + a;
            c.observe(Message{f, {}, {}}, now);
        }
        SessionEndedMsg e;
        e.sessionId = session;
        e.timestamp = started.timestamp + 20'000;
        c.observe(Message{e, {}, {}}, now);
        messages += 20'002;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(messages));
}
BENCHMARK(BM_ObserveMessages)->Unit(benchmark::kMillisecond);

BENCHMARK(BM_ScrapeMetrics)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
