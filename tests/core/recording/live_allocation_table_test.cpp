// SPDX-License-Identifier: MIT
// LiveAllocationTable (the usage summary's live allocations) against
// std::unordered_map over random inserts, repeated inserts and erases,
// including keys crowded onto a few homes so that runs are long, wrap past
// the last slot, and erase has entries to shift back.
#include "recording/live_allocation_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <random>
#include <unordered_map>
#include <vector>

using namespace flight::recording;

namespace {

struct Expected {
    std::uint64_t bytes;
    std::uint16_t purpose;
};

// Low bits from a handful of values near 0 and near the top of any table
// size: most keys share a home, and runs wrap.
std::uint64_t crowdedKey(std::mt19937_64& rng)
{
    static const std::uint64_t lows[] = {0, 1, 2, 0x3F, 0xFFFF, 0xFFFFFFFE, 0xFFFFFFFF};
    return (rng() << 32) | lows[rng() % std::size(lows)];
}

void checkAgainstMap(bool crowded)
{
    std::mt19937_64 rng(crowded ? 7 : 11);
    LiveAllocationTable table;
    std::unordered_map<std::uint64_t, Expected> map;
    std::vector<std::uint64_t> keys; // ever inserted, to free and reuse
    const int steps = crowded ? 30'000 : 200'000; // crowded runs are long: each probe walks hundreds of slots
    for (int step = 0; step < steps; ++step) {
        const bool grow = map.size() < 3000 ? rng() % 3 != 0 : rng() % 3 == 0;
        if (grow || keys.empty()) {
            const std::uint64_t key = !keys.empty() && rng() % 8 == 0 ? keys[rng() % keys.size()] : crowded ? crowdedKey(rng) : rng();
            const Expected e{1 + rng() % 1'000'000, static_cast<std::uint16_t>(rng() % 12)};
            const bool inserted = map.try_emplace(key, e).second;
            ASSERT_EQ(table.insert(key, e.bytes, e.purpose), inserted) << "step " << step;
            if (inserted)
                keys.push_back(key);
        } else {
            const std::uint64_t key = rng() % 16 == 0 ? rng() : keys[rng() % keys.size()];
            const auto it = map.find(key);
            LiveAllocationTable::Slot* slot = table.find(key);
            ASSERT_EQ(slot != nullptr, it != map.end()) << "step " << step;
            if (!slot)
                continue;
            EXPECT_EQ(slot->bytes, it->second.bytes);
            EXPECT_EQ(slot->purpose, it->second.purpose);
            table.erase(slot);
            map.erase(it);
        }
        ASSERT_EQ(table.size(), map.size());
    }
    for (const std::uint64_t key : keys) { // every key, live or not, answers as the map does
        const auto it = map.find(key);
        const LiveAllocationTable::Slot* slot = table.find(key);
        ASSERT_EQ(slot != nullptr, it != map.end());
        if (slot) {
            EXPECT_EQ(slot->bytes, it->second.bytes);
        }
    }
}

} // namespace

TEST(LiveAllocationTable, SameAnswersAsAMapUnderRandomInsertsAndErases) { checkAgainstMap(false); }

TEST(LiveAllocationTable, CrowdedHomesAndWrappingRunsStayReachableAfterErase) { checkAgainstMap(true); }

TEST(LiveAllocationTable, EmptyTableFindsNothingAndASecondInsertIsRefused)
{
    LiveAllocationTable table;
    EXPECT_EQ(table.find(42), nullptr);
    EXPECT_TRUE(table.insert(42, 100, 3));
    EXPECT_FALSE(table.insert(42, 200, 4));
    ASSERT_NE(table.find(42), nullptr);
    EXPECT_EQ(table.find(42)->bytes, 100u);
    EXPECT_EQ(table.find(42)->purpose, 3u);
    table.erase(table.find(42));
    EXPECT_EQ(table.find(42), nullptr);
    EXPECT_EQ(table.size(), 0u);
}
