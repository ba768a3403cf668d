// SPDX-License-Identifier: MIT
// heaptrack_churn: the program docs/performance.md records with heaptrack to compare
// heaptrack_print with loadRecording on the same number of heap events.
// 2,000,000 heap events (1,000,000 malloc + 1,000,000 free), ~10,000 blocks live
// at a time, random sizes: the same event count as flight_benchmarks' LoadPlain.
// Prints the loop's own wall time (tracer_overhead.sh compares it under tracers).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>
static std::uint64_t s = 2026;
static std::uint64_t rnd() { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }
int main()
{
    const auto start = std::chrono::steady_clock::now();
    std::vector<void*> live;
    live.reserve(20000);
    std::uint64_t events = 0, sum = 0;
    while (events < 2'000'000) {
        const bool alloc = live.size() < 10'000 ? (rnd() % 100 < 60) : (rnd() % 100 < 40);
        if ((alloc || live.empty()) && events < 2'000'000 - live.size()) {
            void* p = std::malloc(16 + rnd() % 4096);
            sum += reinterpret_cast<std::uintptr_t>(p) & 1;
            live.push_back(p);
        } else {
            const std::size_t i = rnd() % live.size();
            std::free(live[i]);
            live[i] = live.back();
            live.pop_back();
        }
        ++events;
    }
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("%llu events, %zu live, %llu, loop %.1f ms\n", (unsigned long long)events, live.size(),
                (unsigned long long)sum, ms);
    return 0;
}
