// SPDX-License-Identifier: MIT
// AddressRanges: reserved address space merged, split and intersected.

#include "live/tracer/address_ranges.h"

#include <gtest/gtest.h>

using flight::live::AddressRanges;
using Pieces = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

TEST(AddressRanges, TouchingRangesMergeAndARemovedMiddleSplitsThem)
{
    AddressRanges r;
    r.add(0x1000, 0x3000);
    r.add(0x3000, 0x5000);
    r.add(0x8000, 0x9000);
    EXPECT_EQ(r.overlap(0, 0x10000), (Pieces{{0x1000, 0x5000}, {0x8000, 0x9000}}));
    r.remove(0x2000, 0x2800);
    EXPECT_EQ(r.overlap(0, 0x10000), (Pieces{{0x1000, 0x2000}, {0x2800, 0x5000}, {0x8000, 0x9000}}));
    EXPECT_EQ(r.bytes(), 0x1000u + 0x2800u + 0x1000u);
    EXPECT_EQ(r.overlap(0x1800, 0x3000), (Pieces{{0x1800, 0x2000}, {0x2800, 0x3000}}));
    r.remove(0x1800, 0x8800);
    EXPECT_EQ(r.overlap(0, 0x10000), (Pieces{{0x1000, 0x1800}, {0x8800, 0x9000}}));
    r.add(0x0, 0x10000);
    EXPECT_EQ(r.overlap(0x100, 0x200), (Pieces{{0x100, 0x200}}));
    EXPECT_EQ(r.bytes(), 0x10000u);
    r.remove(0, 0x10000);
    EXPECT_TRUE(r.overlap(0, 0x10000).empty());
}
