// SPDX-License-Identifier: MIT
// Traced by the tracer tests with purpose rules that read stacks, no tags:
//   AssetCache::load   10 x 100,000 bytes kept (malloc) + 5 x 20,000 (new[])  = 1,100,000
//   libz.so            deflateInit2's state, kept (zlib's own calloc/malloc)   > 200 KiB
//   anything <= 64 B   100 blocks of 48 bytes, kept                            = 4,800
// Built with -rdynamic: dladdr names an executable's functions only when
// they are exported.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <zlib.h>

namespace {
std::vector<void*> g_kept;
} // namespace

class AssetCache {
public:
    __attribute__((noinline)) static void load(int count)
    {
        for (int i = 0; i < count; ++i)
            g_kept.push_back(std::malloc(100'000));
        for (int i = 0; i < 5; ++i)
            g_kept.push_back(new char[20'000]);
    }
};

int main()
{
    g_kept.reserve(256);
    AssetCache::load(10);
    z_stream stream;
    std::memset(&stream, 0, sizeof stream);
    if (deflateInit2(&stream, 9, Z_DEFLATED, 15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return 1;
    for (int i = 0; i < 100; ++i)
        g_kept.push_back(std::malloc(48));
    std::printf("rules program done\n");
    return 0; // the blocks and the deflate state are kept to the end
}
