// SPDX-License-Identifier: MIT
// Traced by the tracer tests: 16 threads, each tagged "worker", keep
// 100 blocks of (t + 1) * 100 bytes (t = 0..15: 1,360,000 bytes in all) and
// churn 20,000 untagged blocks; 50,000 blocks allocated by the threads under
// "handoff" are freed by the main thread (frees of other threads' blocks,
// whose batches may arrive in either order). Ends with worker = 1,360,000,
// handoff = 0.

#include <flight/memory_tag.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

int main()
{
    std::mutex lock;
    std::vector<void*> handoff;
    handoff.reserve(60'000);
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t)
        threads.emplace_back([t, &lock, &handoff] {
            static thread_local std::vector<void*> kept; // freed at thread exit, untagged
            kept.reserve(200);
            {
                FLIGHT_MEMORY_PURPOSE(worker);
                for (int i = 0; i < 100; ++i)
                    kept.push_back(std::malloc(static_cast<std::size_t>(t + 1) * 100));
            }
            for (int i = 0; i < 20'000; ++i)
                std::free(std::malloc(static_cast<std::size_t>(i % 512) + 1));
            flight::MemoryPurposeScope scope("handoff");
            for (int i = 0; i < 3'125; ++i) {
                void* p = std::malloc(64);
                const std::lock_guard g(lock);
                handoff.push_back(p);
            }
            for (void*& p : kept) // the kept blocks stay live: the vector only goes
                p = nullptr;
        });
    std::size_t freed = 0;
    for (auto& th : threads)
        th.join();
    for (void* p : handoff) {
        std::free(p);
        ++freed;
    }
    std::printf("freed %zu handoff blocks\n", freed);
    return 0;
}
