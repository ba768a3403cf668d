// SPDX-License-Identifier: MIT
// GrowArray's append copies short runs (id texts) without a call, as two
// loads and two stores that may overlap: every length must come out whole,
// reading only its own bytes (each source here is a heap block of exactly
// its length, so the sanitizer build catches a byte read past it).

#include "model/allocation_record.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using flight::GrowArray;

TEST(GrowArray, AppendsEveryShortLengthWhole)
{
    GrowArray<char> arena;
    std::string expected;
    for (int round = 0; round < 3; ++round) {
        for (std::size_t n = 0; n <= 40; ++n) {
            const auto source = std::make_unique<char[]>(n); // exactly n bytes
            for (std::size_t i = 0; i < n; ++i)
                source[i] = static_cast<char>('a' + (i * 7 + n + static_cast<std::size_t>(round)) % 26);
            arena.append(source.get(), n);
            expected.append(source.get(), n);
        }
    }
    ASSERT_EQ(arena.size(), expected.size());
    EXPECT_EQ(std::string(arena.data(), arena.size()), expected);
    EXPECT_EQ(arena.size(), 3u * (40u * 41u / 2u));
}
