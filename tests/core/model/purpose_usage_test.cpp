// SPDX-License-Identifier: MIT
#include "model/purpose_usage.h"

#include <gtest/gtest.h>

using namespace flight;

TEST(PurposeUsage, AddsSubtractsAndDiffs)
{
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    const auto cache = MemoryPurpose(StandardPurpose::AssetCache);
    const auto custom = MemoryPurpose::fromName("usage-test-custom");
    PurposeUsage a;
    a.add(heap, 100);
    a.add(cache, 50);
    PurposeUsage b;
    b.add(heap, 30);
    b.add(custom, 7);

    const PurposeUsage sum = a + b;
    EXPECT_EQ(sum[heap], 130);
    EXPECT_EQ(sum[cache], 50);
    EXPECT_EQ(sum[custom], 7);
    EXPECT_EQ(sum.total(), 187);

    const PurposeUsage diff = a - b;
    EXPECT_EQ(diff[heap], 70);
    EXPECT_EQ(diff[custom], -7);
    EXPECT_EQ(diff.total(), 113);
    EXPECT_EQ(diff + b, a);
    EXPECT_EQ(PurposeUsage{}[custom], 0);
    EXPECT_EQ(PurposeUsage{}, PurposeUsage{} - PurposeUsage{});
}
