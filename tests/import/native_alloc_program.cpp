// SPDX-License-Identifier: MIT
// The program the import tests run under heaptrack and valgrind --tool=massif:
// known sizes allocated in known functions, so that the imported figures can
// be asserted exactly (tests/import/native_import_test.cpp):
//   AssetCache::load   10 x 100,000 B   live together (1,000,000 B)
//   NetworkBuffer      5 x 20,000 B     live together (100,000 B)
//   scratch            100 x 64 B       each freed at once (one live at a time)
// Peak of these: 1,100,064 B (the assets and buffers, plus one scratch block).
// No stdio: printf would allocate a buffer of its own.
#include <cstdlib>
#include <cstring>

namespace AssetCache {
__attribute__((noinline)) void* load(std::size_t n)
{
    void* p = std::malloc(n);
    std::memset(p, 1, n); // used, so the allocation is kept
    return p;
}
} // namespace AssetCache

__attribute__((noinline)) void* NetworkBuffer(std::size_t n)
{
    void* p = std::malloc(n);
    std::memset(p, 2, n);
    return p;
}

__attribute__((noinline)) void* scratch(std::size_t n)
{
    void* p = std::malloc(n);
    std::memset(p, 3, n);
    return p;
}

void* volatile g_sink; // keeps the compiler from pairing and removing malloc and free

int main()
{
    void* assets[10];
    void* buffers[5];
    for (void*& a : assets)
        a = AssetCache::load(100'000);
    for (void*& b : buffers)
        b = NetworkBuffer(20'000);
    for (int i = 0; i < 100; ++i) {
        g_sink = scratch(64);
        std::free(g_sink);
    }
    for (void* b : buffers)
        std::free(b);
    for (void* a : assets)
        std::free(a);
    return 0;
}
