// SPDX-License-Identifier: MIT
// Byte totals never wrap (issue 15, attack 5): a change that would take used,
// tracked or a purpose's level past 2^63-1 bytes is refused with a typed error,
// counted, and no budget verdict calls such a session a fit.
#include "budgets/budget_verdict.h"
#include "model/checked_bytes.h"
#include "model/session_model.h"
#include "protocol/session_store.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

using namespace flight;

namespace {

constexpr std::int64_t T0 = 1764000000000;
constexpr std::uint64_t MiB = 1024 * 1024;
constexpr std::uint64_t kTwo63 = std::uint64_t{1} << 63;
const MemoryPurpose VmHeap = StandardPurpose::VmHeap;
const MemoryPurpose Cache = StandardPurpose::AssetCache;

SessionModel makeSession()
{
    SessionInfo info;
    info.sessionId = "vm-7";
    info.platform = "dreamcast";
    info.totalBytes = 16 * MiB;
    info.startedAt = T0;
    return SessionModel(std::move(info));
}

} // namespace

TEST(CheckedTotals, TwoAllocationsOf2To63AreRefusedNotWrapped)
{
    SessionModel m = makeSession();
    auto r1 = m.recordAllocation("a-1", kTwo63, VmHeap, T0 + 1);
    auto r2 = m.recordAllocation("a-2", kTwo63, VmHeap, T0 + 2);
    ASSERT_TRUE(m.recordAllocation("a-3", MiB, VmHeap, T0 + 3));
    ASSERT_FALSE(r1);
    ASSERT_FALSE(r2);
    EXPECT_EQ(r1.error().code, MemoryErrorCode::InvalidSize);
    EXPECT_NE(r1.error().message.find("9223372036854775808 bytes is refused"), std::string::npos) << r1.error().message;
    EXPECT_NE(r1.error().message.find("2^63-1"), std::string::npos);
    EXPECT_EQ(r1.error().details, "a-1");
    EXPECT_EQ(m.overflowErrors(), 2u);
    EXPECT_EQ(m.usedBytes(), MiB);
    EXPECT_EQ(m.peakBytes(), MiB);
    EXPECT_EQ(m.allocationCount(), 1u);
}

TEST(CheckedTotals, ASumPast2To63Minus1IsRefusedAtTheAllocationThatWouldCrossIt)
{
    SessionModel m = makeSession();
    ASSERT_TRUE(m.recordAllocation("big", kMaxTrackedBytes, Cache, T0 + 1)); // exactly the bound: kept
    auto r = m.recordAllocation("one-more", 1, VmHeap, T0 + 2);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("used now 9223372036854775807 bytes"), std::string::npos) << r.error().message;
    EXPECT_EQ(m.usedBytes(), kMaxTrackedBytes);
    EXPECT_EQ(m.usage()[Cache], std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(m.overflowErrors(), 1u);
    // Freed, room again: the refusal cost nothing.
    ASSERT_TRUE(m.recordFree("big", T0 + 3));
    ASSERT_TRUE(m.recordAllocation("one-more", 1, VmHeap, T0 + 4));
    EXPECT_EQ(m.usedBytes(), 1u);
    EXPECT_EQ(m.peakBytes(), kMaxTrackedBytes);
    // The time-weighted average over the range stays exact in 128 bits.
    const RangeSummary s = m.rangeSummary(T0 + 1, T0 + 3);
    EXPECT_EQ(s.peakUsedBytes, kMaxTrackedBytes);
    EXPECT_EQ(s.averageUsedBytes, kMaxTrackedBytes);
}

TEST(CheckedTotals, UntrackedBytesCountTowardsTheBound)
{
    SessionModel m = makeSession();
    ReportedSample s;
    s.timeMs = T0 + 1;
    s.usedBytes = kMaxTrackedBytes - MiB;
    ASSERT_TRUE(m.recordSample(s));
    EXPECT_FALSE(m.recordAllocation("a", 2 * MiB, VmHeap, T0 + 2));
    EXPECT_TRUE(m.recordAllocation("b", MiB, VmHeap, T0 + 3));
    EXPECT_EQ(m.usedBytes(), kMaxTrackedBytes);
    EXPECT_EQ(m.overflowErrors(), 1u);
}

TEST(CheckedTotals, SamplesAboveTheBoundAreRefusedWhole)
{
    SessionModel m = makeSession();
    ASSERT_TRUE(m.recordAllocation("a", MiB, VmHeap, T0));
    ReportedSample s;
    s.timeMs = T0 + 1;
    s.usedBytes = kTwo63; // used above 2^63-1
    EXPECT_FALSE(m.recordSample(s));
    // A purpose level above 2^63-1 arrives wrapped to a negative int64 (SessionStore).
    PurposeUsage levels;
    levels.at(Cache) = static_cast<std::int64_t>(kTwo63 + 5);
    s.usedBytes = MiB;
    auto r = m.recordSample(s, &levels);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("asset-cache at 9223372036854775813 bytes"), std::string::npos) << r.error().message;
    // Two levels each within the bound whose sum is not.
    PurposeUsage two;
    two.at(Cache) = std::numeric_limits<std::int64_t>::max() - 10;
    two.at(StandardPurpose::Temporary) = 20;
    EXPECT_FALSE(m.recordSample(s, &two));
    EXPECT_EQ(m.overflowErrors(), 3u);
    EXPECT_TRUE(m.samples().empty()); // nothing of them applied
    EXPECT_EQ(m.usedBytes(), MiB);
    EXPECT_EQ(m.usage()[Cache], 0);
}

TEST(CheckedTotals, AverageAllocationSizeOverSizesSummingPast2To64)
{
    SessionModel m = makeSession();
    const std::uint64_t quarter = std::uint64_t{1} << 62;
    for (int i = 0; i < 5; ++i) { // 5 x 2^62 = 1.25 x 2^64 allocated over time
        const std::string id = "q" + std::to_string(i);
        ASSERT_TRUE(m.recordAllocation(id, quarter, VmHeap, T0 + 2 * i));
        ASSERT_TRUE(m.recordFree(id, T0 + 2 * i + 1));
    }
    EXPECT_EQ(MemoryAnalytics(m).calculateMemoryStats().averageAllocationSize, quarter);
    EXPECT_EQ(m.overflowErrors(), 0u);
}

TEST(CheckedTotals, ABudgetNeverFitsASessionWhoseTotalsOverflowed)
{
    SessionModel m = makeSession();
    ASSERT_TRUE(m.recordAllocation("a-3", MiB, VmHeap, T0));
    (void)m.recordAllocation("a-1", kTwo63, VmHeap, T0 + 1);
    m.setEnded(T0 + 10);
    Budget b;
    b.name = "Dreamcast";
    b.platform = "dreamcast";
    b.totalBytes = 16 * MiB;
    for (UsagePoint at : {UsagePoint::End, UsagePoint::Peak, UsagePoint::P95}) {
        const SessionUsage u = sessionUsage(m, at);
        EXPECT_EQ(u.totalBytes, MiB);
        EXPECT_EQ(u.overflowErrors, 1u);
        const BudgetVerdict v = evaluateBudget(u, b);
        EXPECT_TRUE(v.overflowed);
        EXPECT_FALSE(v.totalFits);
        EXPECT_FALSE(v.fits);
        EXPECT_EQ(v.headroomBytes, static_cast<std::int64_t>(15 * MiB));
    }
    // Headroom of a budget above 2^63-1 saturates instead of wrapping negative.
    b.totalBytes = std::numeric_limits<std::uint64_t>::max();
    EXPECT_EQ(evaluateBudget(sessionUsage(m, UsagePoint::End), b).headroomBytes,
              std::numeric_limits<std::int64_t>::max());
}

TEST(CheckedTotals, TheStoreListsTheRefusedLineAsASessionError)
{
    protocol::SessionStore store;
    const std::string lines[] = {
        R"({"type":"session_started","sessionId":"vm-7","platform":"dreamcast","timestamp":1764000000000})",
        R"({"type":"allocation","allocation":{"id":"a-1","sessionId":"vm-7","size":{"bytes":9223372036854775808},"purpose":"vm-heap","allocatedAt":1764000000001}})",
        R"({"type":"allocation","allocation":{"id":"a-2","sessionId":"vm-7","size":{"bytes":"9223372036854775808"},"purpose":"vm-heap","allocatedAt":1764000000002}})",
        R"({"type":"allocation","allocation":{"id":"a-3","sessionId":"vm-7","size":{"bytes":1048576},"purpose":"vm-heap","allocatedAt":1764000000003}})",
        R"({"type":"memory_update","sessionId":"vm-7","timestamp":1764000000004,"usage":"1MB","byPurpose":{"asset-cache":{"bytes":18446744073709551615}}})",
    };
    std::uint64_t n = 0;
    for (const auto& l : lines)
        store.ingest(l, ++n);
    ASSERT_EQ(store.sessionCount(), 1u);
    EXPECT_EQ(store.decodeErrors(), 0u);
    EXPECT_EQ(store.sessionErrors(), 3u);
    EXPECT_EQ(store.session(0).overflowErrors(), 3u);
    EXPECT_EQ(store.session(0).usedBytes(), MiB);
    ASSERT_EQ(store.problems().size(), 3u);
    EXPECT_EQ(store.problems()[0].line, 2u);
    EXPECT_EQ(store.problems()[0].message.rfind("line 2: invalid-size: allocation \"a-1\" of 9223372036854775808 bytes", 0),
              0u)
        << store.problems()[0].message;
    EXPECT_EQ(store.problems()[1].line, 3u);
    EXPECT_EQ(store.problems()[2].line, 5u);
    EXPECT_NE(store.problems()[2].message.find("asset-cache at 18446744073709551615 bytes"), std::string::npos)
        << store.problems()[2].message;
}
