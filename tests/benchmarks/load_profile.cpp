// SPDX-License-Identifier: MIT
// Loads one recording with loadRecording, N times, and prints what it took:
// a plain main() for instruction-level profiling (valgrind --tool=callgrind,
// perf stat) on inputs smaller than flight_benchmarks' 2,000,000 events.
//   load_profile FILE [repeat]
// Not a timing benchmark: flight_benchmarks is (docs/performance.md).
// Besides the wall time, each load's CPU time on this thread (the applying
// one: format 2 decodes on a second thread) and in the whole process.

#include "protocol/recording_reader.h"
#include "protocol/session_store.h"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {
double cpuSeconds(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: load_profile FILE [repeat]\n");
        return 2;
    }
    const std::string path = argv[1];
    const int repeat = argc > 2 ? std::atoi(argv[2]) : 1;
    for (int i = 0; i < repeat; ++i) {
        flight::protocol::SessionStore store;
        const double thread0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID), process0 = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
        const auto t0 = std::chrono::steady_clock::now();
        const auto read = flight::protocol::loadRecording(path, store);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double thread = cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - thread0;
        const double process = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process0;
        std::printf("%llu lines, %llu applied, %llu decode errors, %llu session errors, %.3f s, %.2f M lines/s, "
                    "CPU %.3f s this thread, %.3f s process\n",
                    static_cast<unsigned long long>(read.lines),
                    static_cast<unsigned long long>(store.messagesApplied()),
                    static_cast<unsigned long long>(store.decodeErrors()),
                    static_cast<unsigned long long>(store.sessionErrors()), s,
                    static_cast<double>(read.lines) / s / 1e6, thread, process);
    }
    return 0;
}
