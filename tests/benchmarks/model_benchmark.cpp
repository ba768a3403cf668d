// SPDX-License-Identifier: MIT
// The session model alone (no reader, no decoder), docs/performance.md:
//   ModelApply   1,000,000 allocations "a-0".."a-999999" of 4096 bytes, each
//                freed 100 allocations later (~100 live): 1,999,900 events.
// Formerly the unit test SessionTimeline.ApplyThroughput (which asserted
// > 2 M events/s); speed is measured here, not asserted in unit tests.

#include "model/session_model.h"
#include "model/memory_analytics.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

constexpr std::int64_t kT0 = 1764000000000;

void ModelApply(benchmark::State& state)
{
    constexpr std::size_t N = 1000000;
    std::vector<std::string> ids;
    ids.reserve(N);
    for (std::size_t i = 0; i < N; ++i)
        ids.push_back("a-" + std::to_string(i));
    std::uint64_t used = 0, active = 0;
    for (auto _ : state) {
        state.PauseTiming();
        flight::SessionInfo info;
        info.sessionId = "speed";
        auto m = std::make_unique<flight::SessionModel>(info);
        state.ResumeTiming();
        for (std::size_t i = 0; i < N; ++i) {
            (void)m->recordAllocation(ids[i], 4096, flight::StandardPurpose::VmHeap, kT0 + static_cast<std::int64_t>(i));
            if (i >= 100)
                (void)m->recordFree(ids[i - 100], kT0 + static_cast<std::int64_t>(i));
        }
        state.PauseTiming();
        used = m->usedBytes();
        active = flight::MemoryAnalytics(*m).calculateMemoryStats().activeAllocations;
        m.reset();
        state.ResumeTiming();
    }
    if (used != 100u * 4096 || active != 100u) {
        state.SkipWithError("unexpected model state");
        return;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * (2 * N - 100)));
}

} // namespace

BENCHMARK(ModelApply)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
