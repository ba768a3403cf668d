// SPDX-License-Identifier: MIT
// Traced by the tracer tests: allocates known sizes under known tags and
// keeps them until the end (each form of the malloc family and of new), so
// the live bytes by purpose are known exactly:
//   asset-cache      1,000,000 (malloc) + 4,096 (aligned new) + 3 x 10,000 (new[]) = 1,034,096
//   network-buffers  200 x 1,024 (calloc) + 65,536 (posix_memalign)                = 270,336
//   level-data       (custom) 123,456 (realloc'd up from 1,000) + 8,192 (aligned_alloc) = 131,648
// and frees everything it allocates untagged, so those net to 0 bytes.
// With an argument FILE it waits (up to 30 s) for FILE to exist before it
// ends, so a live client can read the figures while it runs.

#include <flight/memory_tag.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {
void* volatile g_sink;

struct alignas(64) Aligned {
    char bytes[4096];
};
} // namespace

int main(int argc, char** argv)
{
    std::vector<void*> keep;
    keep.reserve(1024);              // untagged, freed at the end
    {
        FLIGHT_MEMORY_PURPOSE(asset_cache);
        keep.push_back(std::malloc(1'000'000));
        Aligned* a = new Aligned;
        g_sink = a;
        char* arrays[3];
        for (auto& arr : arrays) {
            arr = new char[10'000];
            std::memset(arr, 1, 10'000);
        }
        g_sink = arrays[2];
    }
    flight_memory_marker("assets loaded");
    flight_memory_push_purpose("network-buffers");
    for (int i = 0; i < 200; ++i)
        keep.push_back(std::calloc(1, 1024));
    void* page = nullptr;
    if (posix_memalign(&page, 4096, 65'536) != 0)
        return 1;
    keep.push_back(page);
    flight_memory_pop_purpose();
    {
        flight::MemoryPurposeScope level("level-data");
        void* grow = std::malloc(1'000);
        grow = std::realloc(grow, 123'456);
        keep.push_back(grow);
        keep.push_back(std::aligned_alloc(4096, 8'192));
        // Freed within the scope: nets to nothing.
        for (int i = 0; i < 100; ++i)
            std::free(std::malloc(777));
        delete new std::vector<int>(1000);
    }
    for (int i = 0; i < 1000; ++i) // untagged churn
        std::free(std::malloc(static_cast<std::size_t>(i) + 1));
    flight_memory_marker("level 1 loaded");
    std::puts("tagged program done");
    std::fflush(stdout);
    for (int i = 0; argc > 1 && i < 3000 && ::access(argv[1], F_OK) != 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    // Kept to the end: the recording's last figures are the ones above.
    return 0;
}
