// SPDX-License-Identifier: MIT
// Traced by the tracer tests: 16 threads, each tagged "worker", keep
// 100 blocks of (t + 1) * 100 bytes (t = 0..15: 1,360,000 bytes in all) and
// churn 20,000 untagged blocks; 50,000 blocks allocated by the threads under
// "handoff" are freed by the main thread (frees of other threads' blocks,
// whose batches may arrive in either order). Ends with worker = 1,360,000,
// handoff = 0. While all 16 run, the main thread marks "16 threads running"
// and prints their default stack size (glibc's: the stacks count as
// component-stack while the threads live).

#include <flight/memory_tag.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <pthread.h>
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
    std::barrier running(17), marked(17);
    for (int t = 0; t < 16; ++t)
        threads.emplace_back([t, &lock, &handoff, &running, &marked] {
            running.arrive_and_wait();
            marked.arrive_and_wait();
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
    running.arrive_and_wait();
    flight_memory_marker("16 threads running");
    // Past the marker's coarse-clock millisecond before any thread goes on.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    marked.arrive_and_wait();
    pthread_attr_t attr;
    std::size_t stack = 0;
    pthread_attr_init(&attr);
    pthread_attr_getstacksize(&attr, &stack);
    pthread_attr_destroy(&attr);
    std::printf("thread stack %zu bytes\n", stack);
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
