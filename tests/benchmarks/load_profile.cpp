// SPDX-License-Identifier: MIT
// Loads one recording with loadRecording, N times, and prints what it took:
// a plain main() for instruction-level profiling (valgrind --tool=callgrind,
// perf stat) on inputs smaller than flight_benchmarks' 2,000,000 events.
//   load_profile FILE [repeat]
// Not a timing benchmark: flight_benchmarks is (docs/performance.md).

#include "protocol/recording_reader.h"
#include "protocol/session_store.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

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
        const auto t0 = std::chrono::steady_clock::now();
        const auto read = flight::protocol::loadRecording(path, store);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%llu lines, %llu applied, %llu decode errors, %llu session errors, %.3f s, %.2f M lines/s\n",
                    static_cast<unsigned long long>(read.lines),
                    static_cast<unsigned long long>(store.messagesApplied()),
                    static_cast<unsigned long long>(store.decodeErrors()),
                    static_cast<unsigned long long>(store.sessionErrors()), s,
                    static_cast<double>(read.lines) / s / 1e6);
    }
    return 0;
}
