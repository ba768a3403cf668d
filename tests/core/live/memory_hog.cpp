// SPDX-License-Identifier: MIT
// Test helper for process_source_test: waits for a line on stdin, then
// allocates 64 MiB and writes to every page, prints "touched", and waits for
// stdin to close (or to be killed).
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main()
{
    char line[64];
    if (!std::fgets(line, sizeof line, stdin))
        return 1;
    constexpr std::size_t kBytes = 64u * 1024u * 1024u;
    auto* p = static_cast<unsigned char*>(std::malloc(kBytes));
    if (!p)
        return 2;
    for (std::size_t i = 0; i < kBytes; i += 4096)
        p[i] = static_cast<unsigned char>(i / 4096 + 1);
    std::puts("touched");
    std::fflush(stdout);
    while (std::fgets(line, sizeof line, stdin)) {
    }
    unsigned sum = 0;
    for (std::size_t i = 0; i < kBytes; i += 4096)
        sum += p[i];
    std::free(p);
    return sum == 0 ? 3 : 0;
}
