// SPDX-License-Identifier: MIT
#pragma once
// The benchmarks' input recordings, generated once per process into a temp
// dir (FLIGHT_BENCH_DIR to choose it) and removed at exit.

#include "generator/workload_generator.h"

#include <cstdint>
#include <string>

namespace flight::bench {

struct BenchInput {
    std::string path;
    std::uint64_t messages = 0;       // after the header
    std::uint64_t allocations = 0;
    std::uint64_t bytes = 0;          // file size
    std::size_t liveAtEnd = 0;
    std::size_t peakLive = 0;
    double meanLive = 0;              // over the run, per message
};

enum class InputKind {
    Churn,        // 2,000,000 events, ~10,000 allocations live at a time, plain JSONL
    ChurnZstd,    // the same events, zstd (level 3)
    Retained,     // 2,000,000 events, 1,000,000 allocations never freed, plain JSONL
    ChurnCompact, // the churn events in format 2 (flight-memory-recording/2, .fmr)
};

const BenchInput& benchInput(InputKind kind);

// The churn workload every benchmark input is made from: v6r-large, 2,000,000
// events, seed 2026, ~10,000 allocations live at a time, none leaked.
generator::WorkloadOptions churnWorkload();

// /proc/self/status figures, in bytes (0 when unavailable).
std::uint64_t peakRssBytes();      // VmHWM
std::uint64_t currentRssBytes();   // VmRSS
// Resets VmHWM to the current RSS (writes 5 to /proc/self/clear_refs); false if refused.
bool resetPeakRss();

} // namespace flight::bench
