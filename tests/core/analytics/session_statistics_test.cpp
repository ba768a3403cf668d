// SPDX-License-Identifier: MIT
// Statistics of a session or a range: the whole session equals the model's own
// memory-analytics figures; a range gives the figures at its end and its ranking.
#include "analytics/session_statistics.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

using namespace flight;

namespace {

// 0: a 100 B (freed at 500), 100: b 400 B (live), 200: c 50 B (freed at 300), 600: d 300 B (live);
// a sample at 700 says 1000 B used: 300 B untracked. Then an error stamped 650:
// a session's time never goes back, so it stands at 700.
SessionModel makeSession()
{
    SessionModel m(SessionInfo{"s", "custom", "", 1000, {}, 0});
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    EXPECT_TRUE(m.recordAllocation("a", 100, heap, 0).has_value());
    EXPECT_TRUE(m.recordAllocation("b", 400, heap, 100).has_value());
    EXPECT_TRUE(m.recordAllocation("c", 50, heap, 200).has_value());
    EXPECT_TRUE(m.recordFree("c", 300).has_value());
    EXPECT_TRUE(m.recordFree("a", 500).has_value());
    EXPECT_TRUE(m.recordAllocation("d", 300, heap, 600).has_value());
    m.recordSample({700, 1000, 1000, std::nullopt, 0.25});
    m.recordReportedError({MemoryErrorCode::LimitExceeded, "x", "", 650});
    return m;
}

} // namespace

TEST(SessionStatistics, WholeSessionIsTheModelsOwnFigures)
{
    const SessionModel m = makeSession();
    const auto events = collectSessionEvents(m);
    const SessionStatistics s = computeSessionStatistics(m, events, std::nullopt, 2);
    const MemoryStats st = MemoryAnalytics(m).calculateMemoryStats();
    EXPECT_TRUE(s.wholeSession);
    EXPECT_EQ(s.stats.totalAllocations, st.totalAllocations);
    EXPECT_EQ(s.stats.currentBytes, 1000u);
    EXPECT_EQ(s.stats.trackedBytes, 700u);
    EXPECT_DOUBLE_EQ(s.stats.efficiencyRatio, 0.7);
    EXPECT_EQ(s.untrackedBytes, 300u);
    EXPECT_EQ(s.untrackedBytes, m.untrackedBytes());
    const MemoryTrend t = MemoryAnalytics(m).getMemoryTrends(m.lastMs() - m.firstMs());
    EXPECT_EQ(s.trend.direction, t.direction);
    EXPECT_EQ(s.trend.predictedPeakBytes, t.predictedPeakBytes);
    ASSERT_EQ(s.largest.size(), 2u);
    EXPECT_EQ(s.largest[0].bytes, 400u);
    EXPECT_EQ(s.largest[1].bytes, 300u);
    ASSERT_EQ(s.longestLived.size(), 2u);
    EXPECT_EQ(s.longestLived[0].index, 1u); // b: 100 .. 700 (live, to the last instant)
    EXPECT_EQ(s.longestLived[0].lifetimeMs, 600);
    EXPECT_EQ(s.longestLived[1].index, 0u); // a: 0 .. 500
    ASSERT_EQ(s.errorsByCode.size(), 1u);
    EXPECT_EQ(s.errorsByCode[0].code, MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(s.errorsByCode[0].count, 1u);
}

TEST(SessionStatistics, ARangeGivesTheFiguresAtItsEnd)
{
    const SessionModel m = makeSession();
    const auto events = collectSessionEvents(m);
    const SessionStatistics s = computeSessionStatistics(m, events, std::make_pair<std::int64_t, std::int64_t>(150, 350), 10);
    EXPECT_FALSE(s.wholeSession);
    EXPECT_EQ(s.stats.totalAllocations, 3u); // a, b, c made by 350
    EXPECT_EQ(s.stats.freedAllocations, 1u); // c
    EXPECT_EQ(s.stats.currentBytes, 500u);   // a + b at 350
    EXPECT_EQ(s.stats.trackedBytes, 500u);
    EXPECT_EQ(s.untrackedBytes, 0u);
    EXPECT_EQ(s.stats.peakBytes, 550u);      // a + b + c from 200 to 300
    EXPECT_EQ(s.range.allocationsInRange, 1u);
    EXPECT_EQ(s.range.freesInRange, 1u);
    // d (allocated at 600) is not in the range; a, b, c are.
    ASSERT_EQ(s.largest.size(), 3u);
    EXPECT_EQ(s.largest[2].bytes, 50u);
    EXPECT_TRUE(s.errorsByCode.empty()); // the error at 650 is outside
    const MemoryTrend t = MemoryAnalytics(m).getMemoryTrendsBetween(150, 350);
    EXPECT_EQ(s.trend.direction, t.direction);
    EXPECT_EQ(s.trend.slopeBytesPerSecond, t.slopeBytesPerSecond);
    // The trend is the range's own: rising over 0..250, though the whole session is not a straight rise.
    EXPECT_EQ(computeSessionStatistics(m, events, std::make_pair<std::int64_t, std::int64_t>(0, 250)).trend.direction,
              TrendDirection::Increasing);
}

TEST(SessionStatistics, ARangeCountsTheErrorsAtBothOfItsEnds)
{
    // The range is closed, [from, to]: the error at 700 belongs to a range that starts or ends there.
    const SessionModel m = makeSession();
    const auto events = collectSessionEvents(m);
    const auto errorsIn = [&](std::int64_t from, std::int64_t to) {
        return computeSessionStatistics(m, events, std::make_pair(from, to)).errorsByCode.size();
    };
    EXPECT_EQ(errorsIn(700, 800), 1u);
    EXPECT_EQ(errorsIn(600, 700), 1u);
    EXPECT_EQ(errorsIn(700, 700), 1u);
    EXPECT_EQ(errorsIn(701, 800), 0u);
    EXPECT_EQ(errorsIn(600, 699), 0u);
}

TEST(SessionStatistics, AnAllocationFreedAtTheRangesEndCountsAsFreed)
{
    // a is freed at 500 exactly: by the range's end it is freed (c too, at 300).
    const SessionModel m = makeSession();
    const auto events = collectSessionEvents(m);
    EXPECT_EQ(computeSessionStatistics(m, events, std::make_pair<std::int64_t, std::int64_t>(150, 500)).stats.freedAllocations, 2u);
    EXPECT_EQ(computeSessionStatistics(m, events, std::make_pair<std::int64_t, std::int64_t>(150, 499)).stats.freedAllocations, 1u);
}
