// SPDX-License-Identifier: MIT
#include "model/session_model.h"

#include "model/memory_analytics.h"
#include "model/memory_operations.h"
#include "model/memory_size.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

using namespace flight;

namespace {

constexpr std::int64_t T0 = 1764000000000;
constexpr std::uint64_t MiB = 1024 * 1024;
const MemoryPurpose VmHeap = StandardPurpose::VmHeap;
const MemoryPurpose Stack = StandardPurpose::ComponentStack;
const MemoryPurpose Cache = StandardPurpose::AssetCache;
const MemoryPurpose Jit = StandardPurpose::JitCodeCache;
const MemoryPurpose Temp = StandardPurpose::Temporary;

SessionModel makeSession(std::uint64_t total = 512 * MiB, std::string platform = "v6r-small")
{
    SessionInfo info;
    info.sessionId = "vm-7";
    info.platform = std::move(platform);
    info.totalBytes = total;
    info.startedAt = T0;
    return SessionModel(std::move(info));
}

std::size_t countEvents(const SessionModel& m, SessionEventKind kind)
{
    return static_cast<std::size_t>(std::count_if(m.events().begin(), m.events().end(),
                                                  [&](const SessionEvent& e) { return e.kind == kind; }));
}

MemoryLimits limitsOf(std::uint64_t soft, std::uint64_t hard)
{
    MemoryLimits l;
    l.softLimit = MemorySize{soft};
    l.hardLimit = MemorySize{hard};
    return l;
}

} // namespace

// --- conformance figures -----------------------------------------------------

TEST(SessionModel, ConformanceAllocationSession)
{
    auto m = makeSession();
    ASSERT_TRUE(m.recordAllocation("a-1", 256 * MiB, VmHeap, T0 + 100));
    ASSERT_TRUE(m.recordAllocation("a-2", 64 * MiB, Cache, T0 + 200));
    ASSERT_TRUE(m.recordAllocation("a-3", 1 * MiB, Temp, T0 + 300));
    ASSERT_TRUE(m.recordFree("a-3", T0 + 400));
    ASSERT_TRUE(m.recordAllocation("a-4", 32 * MiB, Jit, T0 + 500));
    m.addMarker(T0 + 550, "level 2 loaded");
    m.recordSample({T0 + 700, 369098752, 536870912, MemoryPressure::Low, 0.0});

    EXPECT_EQ(m.usedBytes(), 369098752u);
    EXPECT_EQ(m.peakBytes(), 369098752u);
    EXPECT_EQ(m.untrackedBytes(), 0u);
    const MemoryStats s = MemoryAnalytics(m).calculateMemoryStats();
    EXPECT_EQ(s.activeAllocations, 3u);
    EXPECT_EQ(s.totalAllocations, 4u);
    EXPECT_EQ(s.freedAllocations, 1u);
    EXPECT_EQ(s.byPurpose[VmHeap], 268435456);
    EXPECT_EQ(s.byPurpose[Cache], 67108864);
    EXPECT_EQ(s.byPurpose[Jit], 33554432);
    EXPECT_EQ(s.byPurpose[Temp], 0);
    EXPECT_EQ(m.pressure(), MemoryPressure::Low);
    EXPECT_EQ(m.markers().size(), 1u);
    EXPECT_EQ(m.firstMs(), T0);
    EXPECT_EQ(m.lastMs(), T0 + 700);
    EXPECT_TRUE(m.events().empty());
}

TEST(SessionModel, ConformanceSamplesOnlyPressureSeries)
{
    SessionInfo info;
    info.sessionId = "flat";
    auto m = SessionModel(info);
    const std::uint64_t used[] = {268435456, 402653184, 483183820, 524288000};
    const MemoryPressure expected[] = {MemoryPressure::Low, MemoryPressure::Medium, MemoryPressure::High,
                                       MemoryPressure::Critical};
    for (int i = 0; i < 4; ++i) {
        m.recordSample({T0 + 1000 * i, used[i], 536870912, expected[i], 0.0});
        EXPECT_EQ(m.usedBytes(), used[i]);
        EXPECT_EQ(m.pressure(), expected[i]) << i;
        EXPECT_EQ(m.reportedPressure(), expected[i]);
    }
    EXPECT_EQ(m.info().totalBytes, 536870912u);
    EXPECT_EQ(m.peakBytes(), 524288000u);
    EXPECT_EQ(m.samples().size(), 4u);
    EXPECT_EQ(m.trackedBytes(), 0u);
    EXPECT_EQ(m.untrackedBytes(), 524288000u);
    EXPECT_EQ(m.firstMs(), T0);
    EXPECT_EQ(m.lastMs(), T0 + 3000);
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(m.usedAt(T0 + 1000 * i + 999), used[i]);
        EXPECT_EQ(m.pressureAt(T0 + 1000 * i), expected[i]);
    }
    EXPECT_EQ(m.usedAt(T0 - 1), 0u);
}

// --- errors ------------------------------------------------------------------

TEST(SessionModel, RecordErrorsAreReturnedAndKeptAsEvents)
{
    auto m = makeSession();
    auto r = m.recordAllocation("z", 0, VmHeap, T0 + 1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, MemoryErrorCode::InvalidSize);
    EXPECT_EQ(r.error().details, "z");
    EXPECT_EQ(r.error().timestampMs, T0 + 1);

    ASSERT_TRUE(m.recordAllocation("a", 100, VmHeap, T0 + 2));
    r = m.recordAllocation("a", 50, Cache, T0 + 3);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, MemoryErrorCode::InvalidAllocation);

    r = m.recordFree("nope", T0 + 4);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, MemoryErrorCode::InvalidAllocation);

    ASSERT_TRUE(m.recordFree("a", T0 + 5));
    r = m.recordFree("a", T0 + 6);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, MemoryErrorCode::AlreadyFreed);

    ASSERT_EQ(m.events().size(), 4u);
    EXPECT_EQ(countEvents(m, SessionEventKind::OperationError), 4u);
    EXPECT_EQ(m.events()[0].error.code, MemoryErrorCode::InvalidSize);
    EXPECT_EQ(m.events()[1].error.code, MemoryErrorCode::InvalidAllocation);
    EXPECT_EQ(m.events()[2].error.code, MemoryErrorCode::InvalidAllocation);
    EXPECT_EQ(m.events()[3].error.code, MemoryErrorCode::AlreadyFreed);
    EXPECT_EQ(m.events()[3].timeMs, T0 + 6);
    // The model stayed consistent: nothing was applied by the failures.
    EXPECT_EQ(m.usedBytes(), 0u);
    EXPECT_EQ(m.allocationCount(), 1u);
    EXPECT_EQ(m.peakBytes(), 100u);
}

TEST(SessionModel, IdReusedAfterFreeIsANewAllocation)
{
    auto m = makeSession();
    ASSERT_TRUE(m.recordAllocation("x", 10, VmHeap, T0 + 1));
    ASSERT_TRUE(m.recordFree("x", T0 + 2));
    ASSERT_TRUE(m.recordAllocation("x", 30, Cache, T0 + 3));
    EXPECT_EQ(m.allocationCount(), 2u);
    EXPECT_EQ(m.usedBytes(), 30u);
    ASSERT_TRUE(m.recordFree("x", T0 + 4)); // frees the newest
    EXPECT_EQ(m.usedBytes(), 0u);
    EXPECT_EQ(m.allocation(0).freedAt, T0 + 2);
    EXPECT_EQ(m.allocation(1).freedAt, T0 + 4);
    EXPECT_EQ(m.allocation(1).size.bytes, 30u);
    EXPECT_EQ(m.allocation(1).purpose, Cache);
    EXPECT_EQ(m.allocation(5), MemoryAllocation{}); // out of range: empty, no throw
    EXPECT_EQ(m.recordFree("x", T0 + 5).error().code, MemoryErrorCode::AlreadyFreed);
}

TEST(SessionModel, CreateAllocationValidates)
{
    auto m = makeSession(1000);
    auto a = MemoryOperations(m).createAllocation("a", 400, VmHeap, T0 + 1);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, "a");
    EXPECT_EQ(a->sessionId, "vm-7");
    EXPECT_EQ(a->size.bytes, 400u);
    EXPECT_EQ(a->purpose, VmHeap);
    EXPECT_EQ(a->allocatedAt, T0 + 1);
    EXPECT_FALSE(a->freedAt);

    EXPECT_EQ(MemoryOperations(m).createAllocation("b", 0, VmHeap, T0 + 2).error().code, MemoryErrorCode::InvalidSize);
    EXPECT_EQ(MemoryOperations(m).createAllocation("a", 10, VmHeap, T0 + 2).error().code, MemoryErrorCode::InvalidAllocation);
    EXPECT_EQ(MemoryOperations(m).createAllocation("b", 601, VmHeap, T0 + 2).error().code, MemoryErrorCode::InsufficientMemory);
    EXPECT_TRUE(MemoryOperations(m).createAllocation("b", 600, VmHeap, T0 + 2)); // exactly the total fits
    EXPECT_EQ(MemoryOperations(m).validateAllocationRequest(1, Temp).error().code, MemoryErrorCode::InsufficientMemory);
    ASSERT_TRUE(MemoryOperations(m).freeAllocation("b", T0 + 3));
    EXPECT_EQ(MemoryOperations(m).freeAllocation("b", T0 + 4).error().code, MemoryErrorCode::AlreadyFreed);
    EXPECT_EQ(MemoryOperations(m).freeAllocation("q", T0 + 4).error().code, MemoryErrorCode::InvalidAllocation);

    ASSERT_TRUE(MemoryOperations(m).setLimits(limitsOf(500, 700), T0 + 5));
    EXPECT_TRUE(MemoryOperations(m).validateAllocationRequest(300, Temp));
    auto over = MemoryOperations(m).createAllocation("c", 301, Temp, T0 + 6);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(over.error().details, "c");
    EXPECT_EQ(over.error().timestampMs, T0 + 6);
    EXPECT_EQ(m.usedBytes(), 400u);
    EXPECT_EQ(countEvents(m, SessionEventKind::OperationError), 6u);
    EXPECT_EQ(m.allocationCount(), 2u);
}

TEST(SessionModel, PerPurposeLimitsAndSetLimitsErrors)
{
    auto m = makeSession(1000);
    MemoryLimits l = limitsOf(0, 0);
    l.heapMax = MemorySize{100};
    l.stackMax = MemorySize{20};
    l.cacheMax = MemorySize{50};
    ASSERT_TRUE(MemoryOperations(m).setLimits(l, T0));
    EXPECT_EQ(m.limits(), l);
    EXPECT_TRUE(MemoryOperations(m).createAllocation("h", 100, VmHeap, T0 + 1));
    EXPECT_EQ(MemoryOperations(m).validateAllocationRequest(1, VmHeap).error().code, MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(MemoryOperations(m).validateAllocationRequest(21, Stack).error().code, MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(MemoryOperations(m).validateAllocationRequest(51, Cache).error().code, MemoryErrorCode::LimitExceeded);
    EXPECT_TRUE(MemoryOperations(m).validateAllocationRequest(500, Temp));

    auto bad = MemoryOperations(m).setLimits(limitsOf(800, 700), T0 + 2);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, MemoryErrorCode::InvalidSize);
    EXPECT_EQ(m.limits(), l); // unchanged
}

// --- pressure ----------------------------------------------------------------

TEST(SessionModel, PressureReachedExactlyAtThresholds)
{
    auto m = makeSession(100);
    const std::pair<std::uint64_t, MemoryPressure> steps[] = {
        {69, MemoryPressure::Low},  {70, MemoryPressure::Medium}, {84, MemoryPressure::Medium},
        {85, MemoryPressure::High}, {94, MemoryPressure::High},   {95, MemoryPressure::Critical},
        {100, MemoryPressure::Critical}};
    std::uint64_t used = 0;
    std::int64_t t = T0;
    for (auto [target, level] : steps) {
        ASSERT_TRUE(m.recordAllocation("p" + std::to_string(target), target - used, VmHeap, ++t));
        used = target;
        EXPECT_EQ(m.usedBytes(), target);
        EXPECT_EQ(m.pressure(), level) << target;
        EXPECT_EQ(m.pressureAt(t), level) << target;
    }
    EXPECT_EQ(m.pressureAt(T0 + 1), MemoryPressure::Low);
    EXPECT_EQ(m.pressureAt(T0 + 2), MemoryPressure::Medium);
    m.setThresholds({0.5, 0.6, 1.0});
    EXPECT_EQ(m.pressure(), MemoryPressure::Critical);
    EXPECT_EQ(m.pressureAt(T0 + 1), MemoryPressure::High); // 69 >= 60
    m.setTotalBytes(0);
    EXPECT_EQ(m.pressure(), MemoryPressure::Low); // unknown total: no claim
}

// --- limits ------------------------------------------------------------------

TEST(SessionModel, SoftAndHardLimitCrossingsAreEvents)
{
    auto m = makeSession(1000);
    ASSERT_TRUE(MemoryOperations(m).setLimits(limitsOf(100, 200), T0));
    EXPECT_FALSE(m.softLimitExceeded());
    ASSERT_TRUE(m.recordAllocation("a", 100, VmHeap, T0 + 1)); // at the limit: not above
    EXPECT_EQ(countEvents(m, SessionEventKind::SoftLimitCrossed), 0u);
    ASSERT_TRUE(m.recordAllocation("b", 1, VmHeap, T0 + 2));
    EXPECT_EQ(countEvents(m, SessionEventKind::SoftLimitCrossed), 1u);
    EXPECT_TRUE(m.softLimitExceeded());
    EXPECT_FALSE(m.hardLimitExceeded());
    ASSERT_TRUE(m.recordAllocation("c", 50, VmHeap, T0 + 3)); // still above: no new event
    EXPECT_EQ(countEvents(m, SessionEventKind::SoftLimitCrossed), 1u);
    // Observed allocations are kept above the hard limit; the crossing is an event.
    ASSERT_TRUE(m.recordAllocation("d", 100, VmHeap, T0 + 4));
    EXPECT_EQ(m.usedBytes(), 251u);
    EXPECT_TRUE(m.hardLimitExceeded());
    ASSERT_EQ(countEvents(m, SessionEventKind::HardLimitCrossed), 1u);
    const auto& hard = *std::find_if(m.events().begin(), m.events().end(),
                                     [](const SessionEvent& e) { return e.kind == SessionEventKind::HardLimitCrossed; });
    EXPECT_EQ(hard.timeMs, T0 + 4);
    EXPECT_EQ(hard.error.code, MemoryErrorCode::LimitExceeded);
    // Down below both, then up again: crossed a second time.
    ASSERT_TRUE(m.recordFree("d", T0 + 5));
    ASSERT_TRUE(m.recordFree("c", T0 + 6));
    ASSERT_TRUE(m.recordFree("b", T0 + 7));
    ASSERT_TRUE(m.recordAllocation("e", 150, Cache, T0 + 8));
    EXPECT_EQ(countEvents(m, SessionEventKind::SoftLimitCrossed), 2u);
    EXPECT_EQ(countEvents(m, SessionEventKind::HardLimitCrossed), 2u);
    // Lowering limits below current use is a crossing at that time.
    auto m2 = makeSession(1000);
    ASSERT_TRUE(m2.recordAllocation("a", 300, VmHeap, T0 + 1));
    ASSERT_TRUE(MemoryOperations(m2).setLimits(limitsOf(100, 200), T0 + 2));
    EXPECT_EQ(countEvents(m2, SessionEventKind::SoftLimitCrossed), 1u);
    EXPECT_EQ(countEvents(m2, SessionEventKind::HardLimitCrossed), 1u);
    // Samples (untracked memory) cross limits too.
    auto m3 = makeSession(1000);
    m3.recordLimits(limitsOf(100, 200), T0);
    m3.recordSample({T0 + 1, 150, 0, std::nullopt, 0.0});
    EXPECT_TRUE(m3.softLimitExceeded());
    EXPECT_FALSE(m3.hardLimitExceeded());
}

// --- time --------------------------------------------------------------------

TEST(SessionModel, TimeGoingBackwardsIsClampedAndFlagged)
{
    auto m = makeSession();
    ASSERT_TRUE(m.recordAllocation("a", 10, VmHeap, T0 + 100));
    ASSERT_TRUE(m.recordAllocation("b", 20, VmHeap, T0 + 50)); // backwards
    EXPECT_EQ(m.allocation(1).allocatedAt, T0 + 100);
    EXPECT_EQ(m.lastMs(), T0 + 100);
    ASSERT_EQ(countEvents(m, SessionEventKind::TimeWentBackwards), 1u);
    EXPECT_EQ(m.events()[0].timeMs, T0 + 100);
    m.addMarker(T0 + 10, "late marker");
    EXPECT_EQ(m.markers()[0].timeMs, T0 + 100);
    EXPECT_EQ(countEvents(m, SessionEventKind::TimeWentBackwards), 2u);
    EXPECT_EQ(m.usedAt(T0 + 100), 30u);
    EXPECT_EQ(m.usedAt(T0 + 99), 0u);
}

TEST(SessionModel, AllocationRecordWithFreedAtIsAppliedInTimeOrder)
{
    auto m = makeSession();
    ASSERT_TRUE(m.recordAllocation("done", 100, VmHeap, T0 + 10, T0 + 50));
    EXPECT_EQ(m.usedBytes(), 100u); // live until T0+50
    ASSERT_TRUE(m.recordAllocation("b", 5, Cache, T0 + 20));
    EXPECT_EQ(m.recordFree("done", T0 + 30).error().code, MemoryErrorCode::AlreadyFreed);
    ASSERT_TRUE(m.recordAllocation("c", 7, Cache, T0 + 60)); // passes T0+50: the free applies
    EXPECT_EQ(m.usedBytes(), 12u);
    EXPECT_EQ(m.usedAt(T0 + 49), 105u);
    EXPECT_EQ(m.usedAt(T0 + 50), 5u);
    EXPECT_EQ(countEvents(m, SessionEventKind::TimeWentBackwards), 0u);
    const auto stats = MemoryAnalytics(m).calculateMemoryStats();
    EXPECT_EQ(stats.freedAllocations, 1u);
    EXPECT_EQ(stats.activeAllocations, 2u);
    // Known end of a still-pending allocation is applied at setEnded.
    ASSERT_TRUE(m.recordAllocation("late", 1000, Temp, T0 + 70, T0 + 500));
    m.setEnded(T0 + 80);
    EXPECT_EQ(m.endedAt(), T0 + 80);
    EXPECT_EQ(m.usedBytes(), 12u);
    EXPECT_EQ(m.usedAt(T0 + 499), 1012u);
    EXPECT_EQ(m.lastMs(), T0 + 500);
}

// --- samples / untracked -----------------------------------------------------

TEST(SessionModel, UntrackedIsHeldUntilTheNextSample)
{
    auto m = makeSession(1000);
    ASSERT_TRUE(m.recordAllocation("a", 100, VmHeap, T0 + 1));
    m.recordSample({T0 + 2, 300, 0, MemoryPressure::Medium, 0.25});
    EXPECT_EQ(m.trackedBytes(), 100u);
    EXPECT_EQ(m.untrackedBytes(), 200u);
    EXPECT_EQ(m.usedBytes(), 300u);
    ASSERT_TRUE(m.recordAllocation("b", 50, Cache, T0 + 3));
    EXPECT_EQ(m.usedBytes(), 350u); // untracked held
    m.recordSample({T0 + 4, 100, 0, std::nullopt, 0.5}); // reported below tracked
    EXPECT_EQ(m.untrackedBytes(), 0u);
    EXPECT_EQ(m.usedBytes(), 150u);
    EXPECT_EQ(m.peakBytes(), 350u);
    EXPECT_EQ(m.reportedPressure(), std::nullopt);
    EXPECT_EQ(m.usedAt(T0 + 2), 300u);
    EXPECT_EQ(m.usedAt(T0 + 3), 350u);
    const auto stats = MemoryAnalytics(m).calculateMemoryStats();
    EXPECT_DOUBLE_EQ(stats.fragmentationRatio, 0.5);
    EXPECT_DOUBLE_EQ(stats.efficiencyRatio, 1.0);
    EXPECT_DOUBLE_EQ(m.snapshotAt(T0 + 3).fragmentationRatio, 0.25);
    EXPECT_DOUBLE_EQ(m.snapshotAt(T0 + 1).fragmentationRatio, 0.0);
}

TEST(SessionModel, SampleByPurposeSetsLevels)
{
    auto m = makeSession(1000);
    PurposeUsage levels;
    levels.at(VmHeap) = 300;
    levels.at(Cache) = 100;
    m.recordSample({T0 + 1, 450, 0, std::nullopt, 0.0}, &levels);
    EXPECT_EQ(m.usage()[VmHeap], 300);
    EXPECT_EQ(m.usage()[Cache], 100);
    EXPECT_EQ(m.trackedBytes(), 400u);
    EXPECT_EQ(m.untrackedBytes(), 50u);
    EXPECT_EQ(m.usedBytes(), 450u);
    PurposeUsage next;
    next.at(VmHeap) = 200; // asset-cache no longer listed: it is 0 now
    m.recordSample({T0 + 2, 200, 0, std::nullopt, 0.0}, &next);
    EXPECT_EQ(m.usage()[VmHeap], 200);
    EXPECT_EQ(m.usage()[Cache], 0);
    EXPECT_EQ(m.usedBytes(), 200u);
    EXPECT_EQ(m.usageAt(T0 + 1)[Cache], 100);
    EXPECT_EQ(m.peakBytes(), 450u);
}

TEST(SessionModel, ASampleThatMovesBytesBetweenPurposesMakesNoPhantomPeak)
{
    // V6R flat updates: first only a total (untracked), then the same kind of total split
    // by purpose, then bytes moving from one purpose to another. Used never exceeds what a
    // sample reported, so neither the peak nor a limit crossing may.
    auto m = makeSession(1000);
    ASSERT_TRUE(MemoryOperations(m).setLimits(limitsOf(500, 700), T0));
    m.recordSample({T0 + 1, 400, 0, std::nullopt, 0.0});
    PurposeUsage split;
    split.at(VmHeap) = 40;
    split.at(Cache) = 400;
    m.recordSample({T0 + 2, 440, 0, std::nullopt, 0.0}, &split);
    EXPECT_EQ(m.untrackedBytes(), 0u);
    EXPECT_EQ(m.usedBytes(), 440u);
    EXPECT_EQ(m.peakBytes(), 440u);
    PurposeUsage moved;
    moved.at(VmHeap) = 400; // vm-heap comes first: it grows before asset-cache shrinks unless ordered
    moved.at(Cache) = 40;
    m.recordSample({T0 + 3, 440, 0, std::nullopt, 0.0}, &moved);
    EXPECT_EQ(m.usedBytes(), 440u);
    EXPECT_EQ(m.peakBytes(), 440u);
    EXPECT_EQ(m.rangeSummary(T0, T0 + 3).peakUsedBytes, 440u);
    EXPECT_FALSE(m.softLimitExceeded());
    EXPECT_EQ(countEvents(m, SessionEventKind::SoftLimitCrossed), 0u);
}

// --- now: snapshot, stats, lists ---------------------------------------------

TEST(SessionModel, SnapshotAndStatsEveryField)
{
    auto m = makeSession(1000, "dreamcast");
    ASSERT_TRUE(m.recordAllocation("a", 100, VmHeap, T0 + 10));
    ASSERT_TRUE(m.recordAllocation("b", 300, Cache, T0 + 20));
    ASSERT_TRUE(m.recordAllocation("c", 200, Temp, T0 + 30));
    ASSERT_TRUE(m.recordFree("b", T0 + 40));
    m.recordSample({T0 + 50, 400, 0, MemoryPressure::Low, 0.125});

    const MemoryUsageSnapshot s = m.snapshot();
    EXPECT_EQ(s.timestamp, T0 + 50);
    EXPECT_EQ(s.sessionId, "vm-7");
    EXPECT_EQ(s.platform, "dreamcast");
    EXPECT_EQ(s.total.bytes, 1000u);
    EXPECT_EQ(s.used.bytes, 400u);
    EXPECT_EQ(s.available.bytes, 600u);
    EXPECT_DOUBLE_EQ(s.fragmentationRatio, 0.125);

    const MemoryUsageSnapshot at = m.snapshotAt(T0 + 25);
    EXPECT_EQ(at.timestamp, T0 + 25);
    EXPECT_EQ(at.used.bytes, 400u);
    EXPECT_EQ(at.available.bytes, 600u);
    EXPECT_DOUBLE_EQ(at.fragmentationRatio, 0.0);

    const MemoryStats st = MemoryAnalytics(m).calculateMemoryStats();
    EXPECT_EQ(st.totalAllocations, 3u);
    EXPECT_EQ(st.activeAllocations, 2u);
    EXPECT_EQ(st.freedAllocations, 1u);
    EXPECT_EQ(st.currentBytes, 400u);
    EXPECT_EQ(st.trackedBytes, 300u);
    EXPECT_EQ(st.peakBytes, 600u);
    EXPECT_EQ(st.averageAllocationSize, 200u);
    EXPECT_EQ(st.byPurpose[VmHeap], 100);
    EXPECT_EQ(st.byPurpose[Cache], 0);
    EXPECT_EQ(st.byPurpose[Temp], 200);
    EXPECT_DOUBLE_EQ(st.fragmentationRatio, 0.125);
    EXPECT_DOUBLE_EQ(st.efficiencyRatio, 0.75);

    const auto live = m.listAllocations();
    ASSERT_EQ(live.size(), 2u);
    EXPECT_EQ(live[0].id, "a");
    EXPECT_EQ(live[1].id, "c");
    const auto past = m.listAllocationsAt(T0 + 35);
    ASSERT_EQ(past.size(), 3u);
    EXPECT_EQ(past[1].id, "b");
    EXPECT_EQ(past[1].freedAt, T0 + 40);
    EXPECT_EQ(m.listAllocationsAt(T0 + 9).size(), 0u);
    EXPECT_EQ(m.listAllocationsAt(T0 + 40).size(), 2u); // freed at t: not live at t

    auto empty = makeSession(0);
    const MemoryStats e = MemoryAnalytics(empty).calculateMemoryStats();
    EXPECT_EQ(e.totalAllocations, 0u);
    EXPECT_EQ(e.averageAllocationSize, 0u);
    EXPECT_DOUBLE_EQ(e.efficiencyRatio, 1.0);
    EXPECT_EQ(empty.snapshot().available.bytes, 0u);
}

TEST(SessionModel, ReportedErrorsAndMarkers)
{
    auto m = makeSession();
    m.recordReportedError({MemoryErrorCode::LimitExceeded, "heap over hard limit", "a-91", T0 + 600});
    m.recordReportedError({MemoryErrorCode::FragmentationError, "frag", "", 0});
    ASSERT_EQ(m.reportedErrorCodes().size(), 2u);
    EXPECT_EQ(m.reportedErrorCodes()[0], MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(m.reportedErrorCodes()[1], MemoryErrorCode::FragmentationError);
    EXPECT_EQ(countEvents(m, SessionEventKind::ReportedError), 2u);
    EXPECT_EQ(m.events()[0].timeMs, T0 + 600);
    EXPECT_EQ(m.events()[0].error.details, "a-91");
    EXPECT_EQ(m.events()[1].timeMs, T0 + 600); // no time given: now
    m.addMarker(T0 + 700, "level 2 loaded");
    ASSERT_EQ(m.markers().size(), 1u);
    EXPECT_EQ(m.markers()[0].label, "level 2 loaded");
    EXPECT_EQ(m.lastMs(), T0 + 700);
}

TEST(SessionModel, InfoSettersAndMove)
{
    auto m = makeSession(1000);
    m.setPlatform("psp");
    m.setTotalBytes(64 * MiB);
    m.setThresholds({0.6, 0.7, 0.8});
    EXPECT_EQ(m.info().platform, "psp");
    EXPECT_EQ(m.info().totalBytes, 64 * MiB);
    EXPECT_EQ(m.info().thresholds, (PressureThresholds{0.6, 0.7, 0.8}));
    EXPECT_FALSE(m.endedAt());
    ASSERT_TRUE(m.recordAllocation("a", 5, VmHeap, T0 + 1));
    SessionModel moved = std::move(m);
    EXPECT_EQ(moved.usedBytes(), 5u);
    EXPECT_EQ(moved.listAllocations().at(0).id, "a");
}
