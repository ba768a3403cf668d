// SPDX-License-Identifier: MIT
// A small "game" for the worked example of docs/native-programs.md: three
// levels, each loading assets (tagged asset-cache) in 256 KiB pieces, a few
// network buffers, untagged scratch churn, and the previous level's assets
// freed once the next one is loaded. About 4 seconds.

#include <flight/memory_tag.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {
void pause(int ms)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}
} // namespace

int main()
{
    std::vector<std::vector<char*>> levels;
    std::vector<char*> buffers;
    for (int level = 1; level <= 3; ++level) {
        std::vector<char*> assets;
        for (int piece = 0; piece < level * 8; ++piece) {
            {
                FLIGHT_MEMORY_PURPOSE(asset_cache);
                char* p = static_cast<char*>(std::malloc(256 * 1024));
                std::memset(p, level, 256 * 1024);
                assets.push_back(p);
            }
            for (int i = 0; i < 200; ++i) // untagged scratch
                std::free(std::malloc(static_cast<std::size_t>(i) * 16 + 16));
            pause(40);
        }
        {
            flight::MemoryPurposeScope net("network-buffers");
            for (int i = 0; i < 8; ++i)
                buffers.push_back(static_cast<char*>(std::malloc(64 * 1024)));
        }
        if (!levels.empty()) {
            for (char* p : levels.back())
                std::free(p);
            levels.back().clear();
        }
        levels.push_back(std::move(assets));
        flight_memory_marker(("level " + std::to_string(level) + " loaded").c_str());
        pause(400);
    }
    for (auto& l : levels)
        for (char* p : l)
            std::free(p);
    for (char* p : buffers)
        std::free(p);
    std::puts("game over");
    return 0;
}
