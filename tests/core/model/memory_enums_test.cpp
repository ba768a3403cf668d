// SPDX-License-Identifier: MIT
#include "model/memory_error.h"
#include "model/memory_pressure.h"
#include "model/memory_purpose.h"

#include <gtest/gtest.h>

using namespace flight;

TEST(MemoryPurpose, StandardSpellingsOfEveryDialect)
{
    EXPECT_EQ(MemoryPurpose::fromStandardName("vm-heap"), MemoryPurpose(StandardPurpose::VmHeap));
    EXPECT_EQ(MemoryPurpose::fromStandardName("VmHeap"), MemoryPurpose(StandardPurpose::VmHeap));
    EXPECT_EQ(MemoryPurpose::fromStandardName("vm_heap"), MemoryPurpose(StandardPurpose::VmHeap));
    EXPECT_EQ(MemoryPurpose::fromStandardName("AssetCache"), MemoryPurpose(StandardPurpose::AssetCache));
    EXPECT_EQ(MemoryPurpose::fromStandardName("JIT_CODE_CACHE"), MemoryPurpose(StandardPurpose::JitCodeCache));
    EXPECT_EQ(MemoryPurpose::fromStandardName("Temporary"), MemoryPurpose(StandardPurpose::Temporary));
    EXPECT_FALSE(MemoryPurpose::fromStandardName("shader-cache").has_value());
    EXPECT_FALSE(MemoryPurpose::fromStandardName("").has_value());
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(MemoryPurpose::fromIndex(i)->id(), i);
    EXPECT_FALSE(MemoryPurpose::fromIndex(8).has_value());
    EXPECT_FALSE(MemoryPurpose::fromIndex(-1).has_value());
    EXPECT_EQ(MemoryPurpose(StandardPurpose::NetworkBuffers).name(), "network-buffers");
    EXPECT_EQ(MemoryPurpose(StandardPurpose::JitCodeCache).displayName(), "JIT code cache");
}

TEST(MemoryPurpose, CustomNamesAreTheirOwnCategory)
{
    const auto a = MemoryPurpose::fromName("shader-cache-test");
    const auto b = MemoryPurpose::fromName("shader-cache-test");
    const auto c = MemoryPurpose::fromName("audio-ring-test");
    EXPECT_TRUE(a.isCustom());
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_EQ(a.name(), "shader-cache-test");
    EXPECT_EQ(c.displayName(), "audio-ring-test");
    EXPECT_GE(MemoryPurpose::count(), 10u);
    EXPECT_EQ(MemoryPurpose::all().size(), MemoryPurpose::count());
    EXPECT_EQ(MemoryPurpose::fromName("asset_cache"), MemoryPurpose(StandardPurpose::AssetCache));
}

TEST(MemoryPressure, NamesIndicesAndThresholds)
{
    EXPECT_EQ(memoryPressureFromString("CRITICAL"), MemoryPressure::Critical);
    EXPECT_EQ(memoryPressureFromString("Medium"), MemoryPressure::Medium);
    EXPECT_FALSE(memoryPressureFromString("severe").has_value());
    EXPECT_EQ(memoryPressureFromIndex(2), MemoryPressure::High);
    EXPECT_FALSE(memoryPressureFromIndex(4).has_value());
    EXPECT_EQ(toString(MemoryPressure::Low), "low");

    const std::uint64_t total = 1000;
    EXPECT_EQ(computePressure(699, total), MemoryPressure::Low);
    EXPECT_EQ(computePressure(700, total), MemoryPressure::Medium);
    EXPECT_EQ(computePressure(849, total), MemoryPressure::Medium);
    EXPECT_EQ(computePressure(850, total), MemoryPressure::High);
    EXPECT_EQ(computePressure(949, total), MemoryPressure::High);
    EXPECT_EQ(computePressure(950, total), MemoryPressure::Critical);
    EXPECT_EQ(computePressure(2000, total), MemoryPressure::Critical);
    EXPECT_EQ(computePressure(5, 0), MemoryPressure::Low);
    // Exactly 70 % of 512 MiB in bytes.
    const std::uint64_t mib512 = 512ull << 20;
    // 70 % of 512 MiB is 375809638.4 bytes: the first whole byte at or above it is medium.
    EXPECT_EQ(computePressure(375809639, mib512), MemoryPressure::Medium);
    EXPECT_EQ(computePressure(375809638, mib512), MemoryPressure::Low);
    const PressureThresholds custom{0.5, 0.6, 0.7};
    EXPECT_EQ(computePressure(500, total, custom), MemoryPressure::Medium);
    EXPECT_EQ(computePressure(700, total, custom), MemoryPressure::Critical);
}

TEST(MemoryErrorCode, KebabNamesAndGoIndices)
{
    EXPECT_EQ(toString(MemoryErrorCode::LimitExceeded), "limit-exceeded");
    EXPECT_EQ(memoryErrorCodeFromString("already-freed"), MemoryErrorCode::AlreadyFreed);
    EXPECT_EQ(memoryErrorCodeFromString("INVALID_ALLOCATION"), MemoryErrorCode::InvalidAllocation);
    EXPECT_FALSE(memoryErrorCodeFromString("oops").has_value());
    EXPECT_EQ(memoryErrorCodeFromIndex(1), MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(memoryErrorCodeFromIndex(7), MemoryErrorCode::FragmentationError);
    EXPECT_FALSE(memoryErrorCodeFromIndex(8).has_value());
    const Result<int> r = makeError(MemoryErrorCode::InvalidSize, "zero bytes", "a-1", 42);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().details, "a-1");
    EXPECT_EQ(r.error().timestampMs, 42);
}
