// SPDX-License-Identifier: MIT
#include "model/session_model.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

using namespace flight;

namespace {
constexpr std::int64_t T0 = 1764000000000;
constexpr std::uint64_t MiB = 1024 * 1024;
constexpr double MiBd = 1024.0 * 1024.0;

SessionModel makeSession(std::uint64_t total)
{
    SessionInfo info;
    info.sessionId = "trend";
    info.totalBytes = total;
    info.startedAt = T0;
    return SessionModel(std::move(info));
}

// The trend over a minute of samples a second apart, used alternating between
// `evenMiB` and `oddMiB` (of 1000 MiB).
MemoryTrend alternatingTrend(std::uint64_t evenMiB, std::uint64_t oddMiB)
{
    auto m = makeSession(1000 * MiB);
    for (int i = 0; i <= 60; ++i)
        m.recordSample({T0 + 1000 * i, (i % 2 ? oddMiB : evenMiB) * MiB, 0, std::nullopt, 0.0});
    return MemoryAnalytics(m).getMemoryTrends(60000);
}
} // namespace

TEST(SessionTrends, LinearUp)
{
    auto m = makeSession(1000 * MiB);
    for (int i = 1; i <= 100; ++i)
        ASSERT_TRUE(m.recordAllocation("a" + std::to_string(i), MiB, StandardPurpose::VmHeap, T0 + 1000 * i));
    const MemoryTrend t = MemoryAnalytics(m).getMemoryTrends(100000);
    EXPECT_EQ(t.direction, TrendDirection::Increasing);
    EXPECT_EQ(t.samples, 101u);
    EXPECT_NEAR(t.slopeBytesPerSecond, MiBd, 1e-3);
    // Fitted line used = t MiB, at the end of the next window (t = 200 s).
    EXPECT_NEAR(static_cast<double>(t.predictedPeakBytes), 200 * MiBd, 2.0);
    ASSERT_TRUE(t.secondsUntilCritical);
    EXPECT_NEAR(*t.secondsUntilCritical, 850.0, 1e-6); // (950 - 100) MiB at 1 MiB/s
    EXPECT_EQ(toString(t.direction), "increasing");
}

TEST(SessionTrends, LinearDown)
{
    auto m = makeSession(1000 * MiB);
    for (int i = 1; i <= 100; ++i)
        ASSERT_TRUE(m.recordAllocation("a" + std::to_string(i), MiB, StandardPurpose::VmHeap, T0));
    for (int i = 1; i <= 100; ++i)
        ASSERT_TRUE(m.recordFree("a" + std::to_string(i), T0 + 1000 * i));
    const MemoryTrend t = MemoryAnalytics(m).getMemoryTrends(100000);
    EXPECT_EQ(t.direction, TrendDirection::Decreasing);
    EXPECT_NEAR(t.slopeBytesPerSecond, -MiBd, 1e-3);
    EXPECT_EQ(t.predictedPeakBytes, 100 * MiB); // at least the window's maximum
    EXPECT_FALSE(t.secondsUntilCritical);
    EXPECT_EQ(toString(t.direction), "decreasing");
}

TEST(SessionTrends, FlatWithSmallJitterIsStable)
{
    const MemoryTrend t = alternatingTrend(500, 501);
    EXPECT_EQ(t.direction, TrendDirection::Stable);
    EXPECT_NEAR(t.slopeBytesPerSecond, 0.0, 0.01 * MiBd);
    EXPECT_GE(t.predictedPeakBytes, 501 * MiB);
    EXPECT_LE(t.predictedPeakBytes, 502 * MiB);
    EXPECT_EQ(toString(t.direction), "stable");
}

TEST(SessionTrends, NoisyIsVolatile)
{
    const MemoryTrend t = alternatingTrend(100, 500);
    EXPECT_EQ(t.direction, TrendDirection::Volatile);
    EXPECT_EQ(t.samples, 61u);
    EXPECT_GE(t.predictedPeakBytes, 500 * MiB);
    EXPECT_EQ(toString(t.direction), "volatile");
}

TEST(SessionTrends, WindowOnlySeesItsEnd)
{
    auto m = makeSession(1000 * MiB);
    for (int i = 1; i <= 50; ++i) // rise for 50 s, then hold for 50 s
        ASSERT_TRUE(m.recordAllocation("a" + std::to_string(i), MiB, StandardPurpose::VmHeap, T0 + 1000 * i));
    m.addMarker(T0 + 100000, "end");
    EXPECT_EQ(MemoryAnalytics(m).getMemoryTrends(100000).direction, TrendDirection::Increasing);
    const MemoryTrend tail = MemoryAnalytics(m).getMemoryTrends(40000);
    EXPECT_EQ(tail.direction, TrendDirection::Stable);
    EXPECT_EQ(tail.samples, 2u); // the level at the window's start and at its end
    EXPECT_EQ(tail.predictedPeakBytes, 50 * MiB);
    EXPECT_FALSE(tail.secondsUntilCritical);
}

TEST(SessionTrends, CriticalAlreadyAndUnknownTotal)
{
    auto m = makeSession(100 * MiB);
    m.recordSample({T0, 90 * MiB, 0, std::nullopt, 0.0});
    m.recordSample({T0 + 1000, 96 * MiB, 0, std::nullopt, 0.0});
    auto t = MemoryAnalytics(m).getMemoryTrends(1000);
    ASSERT_TRUE(t.secondsUntilCritical);
    EXPECT_DOUBLE_EQ(*t.secondsUntilCritical, 0.0);

    auto rising = makeSession(100 * MiB);
    rising.recordSample({T0, 10 * MiB, 0, std::nullopt, 0.0});
    rising.recordSample({T0 + 10000, 20 * MiB, 0, std::nullopt, 0.0});
    t = MemoryAnalytics(rising).getMemoryTrends(10000);
    EXPECT_EQ(t.direction, TrendDirection::Increasing);
    EXPECT_NEAR(t.slopeBytesPerSecond, MiBd, 1e-6);
    ASSERT_TRUE(t.secondsUntilCritical);
    EXPECT_NEAR(*t.secondsUntilCritical, 75.0, 1e-9); // (95 - 20) MiB at 1 MiB/s
    EXPECT_NEAR(static_cast<double>(t.predictedPeakBytes), 30 * MiBd, 1.0);

    auto unknown = makeSession(0);
    unknown.recordSample({T0, 10 * MiB, 0, std::nullopt, 0.0});
    unknown.recordSample({T0 + 10000, 20 * MiB, 0, std::nullopt, 0.0});
    EXPECT_FALSE(MemoryAnalytics(unknown).getMemoryTrends(10000).secondsUntilCritical);
}
