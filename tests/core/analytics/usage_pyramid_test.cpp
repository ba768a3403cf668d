// SPDX-License-Identifier: MIT
#include "analytics/usage_pyramid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace flight;

namespace {

struct Series {
    std::vector<std::int64_t> t;
    std::vector<std::uint64_t> used;
};

Series randomSeries(std::size_t n, unsigned seed)
{
    std::mt19937_64 rng(seed);
    Series s;
    std::int64_t t = 1'000;
    std::uint64_t u = 1'000'000;
    for (std::size_t i = 0; i < n; ++i) {
        t += static_cast<std::int64_t>(rng() % 3); // repeated instants too
        const auto step = static_cast<std::int64_t>(rng() % 20001) - 10000;
        u = static_cast<std::uint64_t>(std::max<std::int64_t>(0, static_cast<std::int64_t>(u) + step));
        if (rng() % 5000 == 0)
            u += 50'000'000; // a one-event spike that must never vanish
        s.t.push_back(t);
        s.used.push_back(u);
    }
    return s;
}

UsagePyramid pyramidOf(const Series& s)
{
    UsagePyramid p;
    for (std::size_t i = 0; i < s.t.size(); ++i)
        p.append(s.t[i], s.used[i]);
    return p;
}

} // namespace

TEST(UsagePyramid, WholeRangeIsExact)
{
    const Series s = randomSeries(100'003, 7);
    const UsagePyramid p = pyramidOf(s);
    EXPECT_EQ(p.eventCount(), s.t.size());
    const UsageExtent e = p.extent(s.t.front(), s.t.back() + 1);
    ASSERT_FALSE(e.empty);
    EXPECT_EQ(e.maxUsed, *std::max_element(s.used.begin(), s.used.end()));
    EXPECT_EQ(e.minUsed, *std::min_element(s.used.begin(), s.used.end()));
    const auto at = std::max_element(s.used.begin(), s.used.end()) - s.used.begin();
    EXPECT_EQ(e.maxAtMs, s.t[static_cast<std::size_t>(at)]);
}

TEST(UsagePyramid, ColumnsNeverLoseAPeakAndMatchBruteForceOverTheirBuckets)
{
    const Series s = randomSeries(250'000, 11);
    const UsagePyramid p = pyramidOf(s);
    std::mt19937_64 rng(3);
    for (int round = 0; round < 3; ++round) { // brute force is O(events x columns)
        const std::int64_t span = s.t.back() - s.t.front();
        const std::int64_t a = s.t.front() + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span));
        const std::int64_t b = a + 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(s.t.back() + 1 - a));
        const int n = 1 + static_cast<int>(rng() % 200);
        const auto cols = p.columns(a, b, n);
        ASSERT_EQ(cols.size(), static_cast<std::size_t>(n));
        for (const auto& c : cols) {
            // Brute force over the events in the column, and over its widened buckets.
            std::uint64_t trueMax = 0, trueMin = UINT64_MAX;
            bool any = false;
            for (std::size_t i = 0; i < s.t.size(); ++i)
                if (s.t[i] >= c.fromMs && s.t[i] < c.toMs) {
                    trueMax = std::max(trueMax, s.used[i]);
                    trueMin = std::min(trueMin, s.used[i]);
                    any = true;
                }
            if (!any)
                continue;
            ASSERT_FALSE(c.empty);
            EXPECT_GE(c.maxUsed, trueMax); // a peak inside the column is never lost
            EXPECT_LE(c.minUsed, trueMin);
            // The reported maximum is a real event, at its reported time, near the column.
            bool found = false;
            for (std::size_t i = 0; i < s.t.size() && !found; ++i)
                found = s.t[i] == c.maxAtMs && s.used[i] == c.maxUsed;
            EXPECT_TRUE(found);
        }
    }
}

// Columns walk their buckets left to right from the previous column's; the
// event count used to choose between the pyramid and the events is an upper bound.
TEST(UsagePyramid, EventsBetweenIsAnUpperBoundAndColumnsTileTheRange)
{
    const Series s = randomSeries(50'000, 13);
    const UsagePyramid p = pyramidOf(s);
    std::mt19937_64 rng(4);
    for (int round = 0; round < 200; ++round) {
        const std::int64_t a = s.t.front() - 5 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(s.t.back() - s.t.front() + 10));
        const std::int64_t b = a + 1 + static_cast<std::int64_t>(rng() % 5000);
        const auto count = static_cast<std::size_t>(std::count_if(s.t.begin(), s.t.end(), [&](std::int64_t t) { return t >= a && t < b; }));
        EXPECT_GE(p.eventsBetween(a, b), count);
        EXPECT_LE(p.eventsBetween(a, b), count + 2 * UsagePyramid::kBucket);
        const int n = 1 + static_cast<int>(rng() % 300);
        const auto cols = p.columns(a, b, n);
        ASSERT_EQ(cols.size(), static_cast<std::size_t>(n));
        for (int c = 0; c < n; ++c) {
            EXPECT_EQ(cols[static_cast<std::size_t>(c)].fromMs, UsagePyramid::columnStart(a, b, n, c));
            // Same answer as a column asked on its own (a fresh search from the first bucket).
            const UsageExtent alone = p.extent(cols[static_cast<std::size_t>(c)].fromMs, cols[static_cast<std::size_t>(c)].toMs);
            EXPECT_EQ(alone.empty, cols[static_cast<std::size_t>(c)].empty);
            EXPECT_EQ(alone.maxUsed, cols[static_cast<std::size_t>(c)].maxUsed);
            EXPECT_EQ(alone.minUsed, cols[static_cast<std::size_t>(c)].minUsed);
        }
    }
}

TEST(UsagePyramid, BucketAlignedRangesAreExact)
{
    const Series s = randomSeries(64 * 1000, 5);
    UsagePyramid p;
    // Distinct times so bucket edges are unambiguous.
    for (std::size_t i = 0; i < s.t.size(); ++i)
        p.append(static_cast<std::int64_t>(i) * 10, s.used[i]);
    std::mt19937_64 rng(9);
    for (int round = 0; round < 500; ++round) {
        const std::size_t first = rng() % 999;
        const std::size_t last = first + 1 + rng() % (1000 - first - 1);
        const auto from = static_cast<std::int64_t>(first * 64) * 10;
        const auto to = static_cast<std::int64_t>(last * 64) * 10;
        const UsageExtent e = p.extent(from, to);
        const auto begin = s.used.begin() + static_cast<std::ptrdiff_t>(first * 64);
        const auto end = s.used.begin() + static_cast<std::ptrdiff_t>(last * 64);
        EXPECT_EQ(e.maxUsed, *std::max_element(begin, end)) << first << ".." << last;
        EXPECT_EQ(e.minUsed, *std::min_element(begin, end)) << first << ".." << last;
    }
}

TEST(UsagePyramid, BuildsFromASessionModel)
{
    SessionModel m(SessionInfo{"s", "psp", "", 64ull << 20, {}, 0});
    for (int i = 0; i < 1000; ++i)
        ASSERT_TRUE(m.recordAllocation("a" + std::to_string(i), 1024, MemoryPurpose(StandardPurpose::AssetCache), i).has_value());
    for (int i = 0; i < 500; ++i)
        ASSERT_TRUE(m.recordFree("a" + std::to_string(i), 1000 + i).has_value());
    const UsagePyramid p(m);
    EXPECT_EQ(p.eventCount(), 1500u);
    const UsageExtent e = p.extent(0, 2000);
    EXPECT_EQ(e.maxUsed, 1000u * 1024);
    EXPECT_EQ(e.maxAtMs, 999);
    EXPECT_EQ(e.minUsed, 1024u);
    EXPECT_TRUE(p.extent(5000, 6000).empty);
}

// The stack snapshot at each column's maximum is the usage by purpose right
// after the event that reached it (brute force over the same events).
TEST(UsagePyramid, KeepsTheUsageByPurposeAtEachColumnsMaximum)
{
    SessionModel m(SessionInfo{"s", "v6r-large", "", 2ull << 30, {}, 0});
    std::mt19937_64 rng(11);
    std::vector<std::string> live;
    for (int i = 0; i < 20'000; ++i) {
        const std::int64_t t = i / 3; // several events per ms
        if (live.size() < 300 || rng() % 2 == 0) {
            live.push_back("a" + std::to_string(i));
            const auto purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(rng() % 8));
            ASSERT_TRUE(m.recordAllocation(live.back(), 1 + rng() % 100'000, purpose, t).has_value());
        } else {
            const std::size_t k = rng() % live.size();
            ASSERT_TRUE(m.recordFree(live[k], t).has_value());
            live[k] = live.back();
            live.pop_back();
        }
    }
    const UsagePyramid p(m);
    std::vector<std::int64_t> times;
    std::vector<std::uint64_t> used;
    std::vector<PurposeUsage> usage;
    m.forEachUsageChange(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                         [&](std::int64_t t, std::uint64_t u, const PurposeUsage& by) {
                             times.push_back(t);
                             used.push_back(u);
                             usage.push_back(by);
                         });
    ASSERT_EQ(times.size(), 20'000u);
    for (int columns : {7, 300, 5000}) {
        int checked = 0;
        for (const UsageExtent& e : p.columns(m.firstMs(), m.lastMs() + 1, columns)) {
            if (e.empty)
                continue;
            ASSERT_NE(e.usageAtMax, nullptr);
            // The first event at maxAtMs with the column's maximum is the one the pyramid kept.
            std::size_t i = 0;
            while (i < times.size() && !(times[i] == e.maxAtMs && used[i] == e.maxUsed))
                ++i;
            ASSERT_LT(i, times.size());
            EXPECT_EQ(*e.usageAtMax, usage[i]) << "column at " << e.fromMs;
            EXPECT_EQ(static_cast<std::uint64_t>(e.usageAtMax->total()), e.maxUsed);
            ++checked;
        }
        EXPECT_GT(checked, 0);
    }
    // Appended without purposes (live): no snapshot, the caller asks the model.
    UsagePyramid live2;
    live2.append(1, 10);
    EXPECT_EQ(live2.extent(0, 5).usageAtMax, nullptr);
}
