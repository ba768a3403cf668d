// SPDX-License-Identifier: MIT
// Traced by the tracer tests: the main thread and a second one each keep
// 300,000 bytes under "idle-data" (3 x 100,000) and then go idle (no
// allocation, no marker) until the file named by argv[1] exists: what they
// allocated must reach the agent while they sleep.

#include <flight/memory_tag.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <unistd.h>

namespace {
void keep()
{
    flight::MemoryPurposeScope scope("idle-data");
    for (int i = 0; i < 3; ++i) {
        void* volatile p = std::malloc(100'000);
        (void)p;
    }
}
} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
        return 2;
    std::atomic<bool> go{false};
    std::thread other([&go] {
        keep();
        while (!go.load())
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    });
    keep();
    while (::access(argv[1], F_OK) != 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    go = true;
    other.join();
    std::printf("idle program done\n");
    return 0;
}
