// SPDX-License-Identifier: MIT
#include "benchmark_inputs.h"

#include "generator/workload_generator.h"
#include "generator/workload_recording.h"
#include "recording/compact_format.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>

#include <unistd.h>

namespace flight::bench {

namespace {

namespace fs = std::filesystem;

fs::path benchDir()
{
    static const fs::path dir = [] {
        const char* env = std::getenv("FLIGHT_BENCH_DIR");
        fs::path p = env && *env ? fs::path(env)
                                 : fs::temp_directory_path() / ("flight-bench-" + std::to_string(::getpid()));
        fs::create_directories(p);
        if (!(env && *env))
            std::atexit([] {
                std::error_code ec;
                fs::remove_all(fs::temp_directory_path() / ("flight-bench-" + std::to_string(::getpid())), ec);
            });
        return p;
    }();
    return dir;
}

BenchInput make(InputKind kind)
{
    generator::WorkloadOptions o = churnWorkload();
    generator::WorkloadRecordingOptions ro;
    ro.compressionLevel = 3; // JSON Lines zstd as the product writes it; format 2 below
    std::string name = "churn.jsonl";
    if (kind == InputKind::ChurnZstd) {
        ro.compress = true;
        name = "churn.jsonl.zst";
    } else if (kind == InputKind::ChurnCompact) {
        ro.compact = true;
        ro.compressionLevel = recording::kCompactLevel;
        name = "churn.fmr";
    } else if (kind == InputKind::Retained) {
        o.leakedAllocations = 1'000'000;
        name = "retained.jsonl";
    }
    BenchInput in;
    in.path = (benchDir() / name).string();
    std::fprintf(stderr, "input %s ...\n", in.path.c_str());

    // live-count statistics over the run, then the file (same options, same events)
    auto g = generator::WorkloadGenerator::create(o);
    double sum = 0;
    while (g->next()) {
        const std::size_t live = g->liveAllocations();
        in.peakLive = std::max(in.peakLive, live);
        sum += static_cast<double>(live);
    }
    in.meanLive = sum / static_cast<double>(o.events);
    in.messages = g->produced();
    in.allocations = g->counts().allocations;
    in.liveAtEnd = g->liveAllocations();
    // FLIGHT_BENCH_REUSE=1 with FLIGHT_BENCH_DIR: keep a file an earlier run wrote (for profiling)
    const char* reuse = std::getenv("FLIGHT_BENCH_REUSE");
    if (!(reuse && *reuse == '1' && fs::exists(in.path))) {
        auto r = generator::writeWorkloadRecording(o, in.path, ro);
        if (!r) {
            std::fprintf(stderr, "cannot write %s: %s\n", in.path.c_str(), r.error().message.c_str());
            std::exit(1);
        }
    }
    in.bytes = fs::file_size(in.path);
    return in;
}

std::uint64_t statusField(const char* field)
{
    std::ifstream f("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(field);
    while (std::getline(f, line)) {
        if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':')
            return std::strtoull(line.c_str() + n + 1, nullptr, 10) * 1024; // "kB"
    }
    return 0;
}

} // namespace

generator::WorkloadOptions churnWorkload()
{
    generator::WorkloadOptions o;
    o.platform = "v6r-large";
    o.events = 2'000'000;
    o.seed = 2026;
    o.typicalLiveAllocations = 10'000;
    o.leakedAllocations = 0;
    return o;
}

const BenchInput& benchInput(InputKind kind)
{
    static std::mutex mutex;
    static std::map<InputKind, BenchInput> inputs;
    std::lock_guard lock(mutex);
    auto it = inputs.find(kind);
    if (it == inputs.end())
        it = inputs.emplace(kind, make(kind)).first;
    return it->second;
}

std::uint64_t peakRssBytes() { return statusField("VmHWM"); }
std::uint64_t currentRssBytes() { return statusField("VmRSS"); }

bool resetPeakRss()
{
    std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
    if (!f)
        return false;
    const bool ok = std::fputs("5", f) >= 0;
    return std::fclose(f) == 0 && ok;
}

} // namespace flight::bench
