// SPDX-License-Identifier: MIT
// NewlineScanner must find exactly the '\n's std::find finds, in chunks of
// every length around its 64-byte blocks, at every alignment, with newlines
// dense, sparse, absent and in the last byte.

#include "protocol/newline_scanner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using flight::protocol::NewlineScanner;

namespace {

std::vector<std::size_t> scanned(std::string_view chunk)
{
    std::vector<std::size_t> at;
    NewlineScanner s(chunk);
    const char* from = chunk.data();
    while (const char* nl = s.next(from)) {
        at.push_back(static_cast<std::size_t>(nl - chunk.data()));
        from = nl + 1;
    }
    return at;
}

std::vector<std::size_t> found(std::string_view chunk)
{
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < chunk.size(); ++i)
        if (chunk[i] == '\n')
            at.push_back(i);
    return at;
}

} // namespace

TEST(NewlineScanner, FindsWhatALinearSearchFinds)
{
    std::mt19937 rng(7);
    int chunks = 0;
    for (int density : {0, 2, 30, 170, 1000}) {
        for (std::size_t size : {0u, 1u, 15u, 16u, 63u, 64u, 65u, 127u, 128u, 129u, 200u, 1000u, 4099u}) {
            for (std::size_t offset : {0u, 1u, 7u, 33u}) {
                std::string buffer(offset + size, 'x');
                for (std::size_t i = offset; i < buffer.size(); ++i)
                    if (density > 0 && rng() % static_cast<unsigned>(density) == 0)
                        buffer[i] = '\n';
                if (size > 0 && chunks % 3 == 0)
                    buffer.back() = '\n';
                const std::string_view chunk(buffer.data() + offset, size);
                EXPECT_EQ(scanned(chunk), found(chunk)) << "size " << size << " offset " << offset;
                ++chunks;
            }
        }
    }
    EXPECT_EQ(chunks, 5 * 13 * 4);
}

// The loader asks from positions that skip ahead (a refused line's rest): the
// answer is the first newline at or after the position asked for.
TEST(NewlineScanner, NextFromAnyLaterPosition)
{
    std::string chunk(300, 'a');
    for (std::size_t i : {3u, 64u, 65u, 190u, 299u})
        chunk[i] = '\n';
    NewlineScanner s(chunk);
    EXPECT_EQ(s.next(chunk.data()) - chunk.data(), 3);
    EXPECT_EQ(s.next(chunk.data() + 10) - chunk.data(), 64);
    EXPECT_EQ(s.next(chunk.data() + 66) - chunk.data(), 190);
    EXPECT_EQ(s.next(chunk.data() + 191) - chunk.data(), 299);
    EXPECT_EQ(s.next(chunk.data() + 300), nullptr);
}
