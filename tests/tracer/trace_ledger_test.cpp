// SPDX-License-Identifier: MIT
// TraceLedger: frees paired with their allocation by sequence number, whatever
// order the threads' batches arrive in.

#include "live/tracer/trace_ledger.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

using flight::live::TraceLedger;

namespace {
TraceLedger::Block block(std::uint64_t bytes, std::uint64_t seq)
{
    return TraceLedger::Block{bytes, flight::MemoryPurpose(), seq};
}
} // namespace

TEST(TraceLedger, AFreeBeforeItsAllocationEndsItWhenItArrives)
{
    TraceLedger l;
    EXPECT_FALSE(l.release(0x1000, 5).has_value()) << "its allocation (seq 3) has not arrived";
    EXPECT_EQ(l.earlyFrees(), 1u);
    EXPECT_TRUE(l.allocate(0x1000, block(64, 7))) << "a later allocation at the address is not the one freed";
    EXPECT_FALSE(l.allocate(0x1000, block(32, 3))) << "seq 3 was freed at seq 5";
    EXPECT_EQ(l.earlyFrees(), 0u);
    const auto b = l.release(0x1000, 9);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->bytes, 64u);
    EXPECT_EQ(l.liveBlocks(), 0u);
}

TEST(TraceLedger, AnOlderBlockWhoseFreeIsInFlightIsKeptBesideTheNewerOne)
{
    TraceLedger l;
    EXPECT_TRUE(l.allocate(0x2000, block(100, 10)));
    EXPECT_TRUE(l.allocate(0x2000, block(200, 1))) << "seq 1's free (seq 5) is still in flight";
    EXPECT_EQ(l.liveBlocks(), 2u);
    auto b = l.release(0x2000, 5);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->bytes, 200u) << "a free frees the latest allocation before it";
    b = l.release(0x2000, 11);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->bytes, 100u);
    EXPECT_EQ(l.liveBlocks(), 0u);
}

TEST(TraceLedger, ManyAddressesGrowTheTableAndAllFreesMatch)
{
    TraceLedger l;
    std::mt19937_64 rng(7);
    std::vector<std::uint64_t> live;
    std::uint64_t seq = 1, bytes = 0;
    for (int i = 0; i < 200'000; ++i) {
        if (live.empty() || rng() % 3 != 0) {
            const std::uint64_t a = (rng() % 1'000'000 + 1) * 16;
            if (l.allocate(a, block(a % 1000 + 1, seq++))) {
                live.push_back(a);
                bytes += a % 1000 + 1;
            }
        } else {
            const std::size_t k = rng() % live.size();
            const auto b = l.release(live[k], seq++);
            ASSERT_TRUE(b.has_value());
            bytes -= b->bytes;
            live[k] = live.back();
            live.pop_back();
        }
    }
    std::uint64_t left = 0;
    for (std::uint64_t a : live) {
        const auto b = l.release(a, seq++);
        ASSERT_TRUE(b.has_value());
        left += b->bytes;
    }
    EXPECT_EQ(left, bytes);
    EXPECT_EQ(l.liveBlocks(), 0u);
    EXPECT_EQ(l.earlyFrees(), 0u);
}
