// SPDX-License-Identifier: MIT
// import_benchmark: importing a heaptrack trace of heaptrack_churn
// (core/import) against heaptrack_print reading the same file, in one run
// (docs/performance.md, "Importing heaptrack files"). The trace is recorded
// first by running heaptrack on the heaptrack_churn next to this binary,
// unless FLIGHT_HEAPTRACK_TRACE names one.
#include "import/native_recording.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

namespace {

std::string g_trace;

// CPU seconds (user + system, every thread) of this process or of its waited-for children:
// on a loaded machine a steadier figure than the wall time.
double cpuSeconds(int who)
{
    rusage u{};
    getrusage(who, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
         + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void importOnce(benchmark::State& state, const flight::import::PurposeRules& rules)
{
    std::uint64_t allocations = 0;
    const double cpu0 = cpuSeconds(RUSAGE_SELF);
    for (auto _ : state) {
        flight::protocol::SessionStore store;
        flight::import::ImportSummary summary;
        flight::import::loadAnyRecording(g_trace, store, rules, {}, &summary);
        allocations = summary.allocations;
        benchmark::DoNotOptimize(store.sessionCount());
    }
    state.counters["cpu_s"] = (cpuSeconds(RUSAGE_SELF) - cpu0) / static_cast<double>(state.iterations());
    state.counters["allocations"] = static_cast<double>(allocations);
    state.counters["events/s"] = benchmark::Counter(static_cast<double>(2 * allocations) * state.iterations(),
                                                    benchmark::Counter::kIsRate);
}

void BM_ImportHeaptrack(benchmark::State& state)
{
    importOnce(state, flight::import::PurposeRules{});
}

// Three stack rules: every allocation info's stack is resolved once and matched.
void BM_ImportHeaptrackWithRules(benchmark::State& state)
{
    auto rules = flight::import::PurposeRules::parse("module=libz.so* -> network-buffers\n"
                                                     "function=AssetCache::* -> asset-cache\n"
                                                     "function=main size=..1K -> temporary\n");
    importOnce(state, *rules);
}

// The baseline: heaptrack's own analysis of the same file, as docs/performance.md runs it.
void BM_HeaptrackPrint(benchmark::State& state)
{
    const std::string command = "heaptrack_print -f '" + g_trace + "' > /dev/null 2>&1";
    const double cpu0 = cpuSeconds(RUSAGE_CHILDREN);
    for (auto _ : state) {
        if (std::system(command.c_str()) != 0)
            state.SkipWithError("heaptrack_print failed");
    }
    state.counters["cpu_s"] = (cpuSeconds(RUSAGE_CHILDREN) - cpu0) / static_cast<double>(state.iterations());
}

} // namespace

BENCHMARK(BM_ImportHeaptrack)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_ImportHeaptrackWithRules)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_HeaptrackPrint)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

int main(int argc, char** argv)
{
    std::filesystem::path scratch;
    if (const char* given = std::getenv("FLIGHT_HEAPTRACK_TRACE")) {
        g_trace = given;
    } else {
        const auto self = std::filesystem::canonical("/proc/self/exe");
        scratch = std::filesystem::temp_directory_path() / ("import-benchmark-" + std::to_string(getpid()));
        std::filesystem::create_directories(scratch);
        const std::string command = "heaptrack -o '" + (scratch / "churn").string() + "' '"
                                    + (self.parent_path() / "heaptrack_churn").string() + "' > /dev/null 2>&1";
        if (std::system(command.c_str()) != 0) {
            std::fprintf(stderr, "import_benchmark: could not record a trace: %s\n", command.c_str());
            return 1;
        }
        for (const auto& e : std::filesystem::directory_iterator(scratch))
            g_trace = e.path().string();
    }
    std::fprintf(stderr, "import_benchmark: trace %s (%llu bytes)\n", g_trace.c_str(),
                 static_cast<unsigned long long>(std::filesystem::file_size(g_trace)));
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (!scratch.empty())
        std::filesystem::remove_all(scratch);
    return 0;
}
