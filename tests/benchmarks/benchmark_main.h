// SPDX-License-Identifier: MIT
#pragma once
// What BENCHMARK_MAIN does, for the benchmarks whose main sets up Qt first:
// google-benchmark reads its flags (an unknown one: exit 1), runs every
// benchmark asked for, and returns main's exit code.

#include <benchmark/benchmark.h>

namespace flight::bench {

inline int runBenchmarks(int& argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

} // namespace flight::bench
