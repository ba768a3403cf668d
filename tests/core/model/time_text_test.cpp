// SPDX-License-Identifier: MIT
#include "model/time_text.h"

#include <gtest/gtest.h>

using namespace flight;

TEST(TimeText, DurationsReadAsSecondsMinutesOrHours)
{
    EXPECT_EQ(formatDuration(0), "0.0 s");
    EXPECT_EQ(formatDuration(12'345), "12.3 s");
    EXPECT_EQ(formatDuration(240'475), "4 min 00.5 s");
    EXPECT_EQ(formatDuration(3'725'000), "1 h 02 min");
    EXPECT_EQ(formatDuration(-1'500), "-1.5 s");
}

TEST(TimeText, UtcWallClockFromEpochMilliseconds)
{
    EXPECT_EQ(formatUtc(1'764'000'000'000), "2025-11-24 16:00:00 UTC");
    EXPECT_EQ(formatUtc(0), "1970-01-01 00:00:00 UTC");
    EXPECT_EQ(formatUtc(-1), "1969-12-31 23:59:59 UTC"); // floored, not rounded towards zero
}

TEST(TimeText, SpanLeavesOutTheEndsDateOnTheSameDay)
{
    // The v6r-medium sample: 240.475 s from 2025-11-24 16:00:00 UTC.
    EXPECT_EQ(formatTimeSpan(1'764'000'000'000, 1'764'000'240'475), "2025-11-24 16:00:00 .. 16:04:00 UTC (4 min 00.5 s)");
    // Across midnight the end carries its own date.
    EXPECT_EQ(formatTimeSpan(1'764'028'700'000, 1'764'028'900'000),
              "2025-11-24 23:58:20 .. 2025-11-25 00:01:40 UTC (3 min 20.0 s)");
}
