// SPDX-License-Identifier: MIT
#pragma once
// A small session with known figures for the report tests (times in ms):
//   0 a 500 vm-heap, 100 b 200 asset-cache, 400 c 150 vm-heap,
//   1000 d 100 temporary, 1200 free d, 1500 free c, 1600 free of an unknown id,
//   2000 marker "end". Total 1000 bytes: used 500, 700, 850, 950, 850, 700.

#include "model/session_model.h"

#include <gtest/gtest.h>

inline flight::SessionModel reportTestSession()
{
    using namespace flight;
    SessionModel m(SessionInfo{"s-1", "custom", "", 1000, {}, 0});
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    EXPECT_TRUE(m.recordAllocation("a", 500, heap, 0).has_value());
    EXPECT_TRUE(m.recordAllocation("b", 200, StandardPurpose::AssetCache, 100).has_value());
    EXPECT_TRUE(m.recordAllocation("c", 150, heap, 400).has_value());
    EXPECT_TRUE(m.recordAllocation("d", 100, StandardPurpose::Temporary, 1000).has_value());
    EXPECT_TRUE(m.recordFree("d", 1200).has_value());
    EXPECT_TRUE(m.recordFree("c", 1500).has_value());
    EXPECT_FALSE(m.recordFree("nope", 1600).has_value());
    m.addMarker(2000, "end");
    return m;
}
