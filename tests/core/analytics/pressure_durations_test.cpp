// SPDX-License-Identifier: MIT
#include "analytics/pressure_durations.h"

#include <gtest/gtest.h>

using namespace flight;

TEST(PressureDurations, TimeAtEachLevelFromTheUsedSeries)
{
    SessionModel m(SessionInfo{"s", "custom", "", 1000, {}, 0});
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    ASSERT_TRUE(m.recordAllocation("a", 500, heap, 0).has_value());   // 50 %: low from 0
    ASSERT_TRUE(m.recordAllocation("b", 200, heap, 100).has_value()); // 70 %: medium from 100
    ASSERT_TRUE(m.recordAllocation("c", 150, heap, 400).has_value()); // 85 %: high from 400
    ASSERT_TRUE(m.recordAllocation("d", 100, heap, 1000).has_value()); // 95 %: critical from 1000
    ASSERT_TRUE(m.recordFree("d", 1200).has_value());                  // high again
    ASSERT_TRUE(m.recordFree("c", 1500).has_value());                  // medium from 1500
    m.addMarker(2000, "end");                                          // the session lasts to 2000
    const PressureDurations d = computePressureDurations(m);
    EXPECT_EQ(d.ms[0], 100);
    EXPECT_EQ(d.ms[1], 300 + 500);
    EXPECT_EQ(d.ms[2], 600 + 300);
    EXPECT_EQ(d.ms[3], 200);
    EXPECT_EQ(d.totalMs(), 2000);
}
