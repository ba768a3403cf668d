// SPDX-License-Identifier: MIT
// Bounded memory (retention_policy.h): a compacted model against the same
// session kept whole. Inside the full-detail window every figure is the same;
// before it the model holds a bounded history whose peaks are exact.
#include "model/session_model.h"

#include "live_like_feed.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <deque>
#include <random>
#include <string>

using namespace flight;
using namespace std::chrono_literals;

namespace {
using flight::test::Feed;
using flight::test::T0;

void expectSameTotals(const SessionModel& a, const SessionModel& b)
{
    const MemoryStats x = MemoryAnalytics(a).calculateMemoryStats(), y = MemoryAnalytics(b).calculateMemoryStats();
    EXPECT_EQ(x.totalAllocations, y.totalAllocations);
    EXPECT_EQ(x.freedAllocations, y.freedAllocations);
    EXPECT_EQ(x.activeAllocations, y.activeAllocations);
    EXPECT_EQ(x.currentBytes, y.currentBytes);
    EXPECT_EQ(x.trackedBytes, y.trackedBytes);
    EXPECT_EQ(x.peakBytes, y.peakBytes);
    EXPECT_EQ(x.averageAllocationSize, y.averageAllocationSize);
    EXPECT_EQ(x.byPurpose, y.byPurpose);
    EXPECT_EQ(a.listAllocations(), b.listAllocations());
}

// Every figure at or after `from` (every 997 ms, and summaries of a few ranges).
void expectSameFrom(const SessionModel& a, const SessionModel& b, std::int64_t from)
{
    for (std::int64_t t = from; t <= a.lastMs(); t += 997) {
        ASSERT_EQ(a.usageAt(t), b.usageAt(t)) << "at " << t - T0;
        ASSERT_EQ(a.usedAt(t), b.usedAt(t)) << "at " << t - T0;
    }
    for (std::int64_t len : {1'000, 60'000, 300'000}) {
        for (std::int64_t s = from; s + len <= a.lastMs(); s += 61'000) {
            const RangeSummary x = a.rangeSummary(s, s + len), y = b.rangeSummary(s, s + len);
            ASSERT_EQ(x.peakUsedBytes, y.peakUsedBytes);
            ASSERT_EQ(x.peakUsedAtMs, y.peakUsedAtMs);
            ASSERT_EQ(x.averageUsedBytes, y.averageUsedBytes);
            ASSERT_EQ(x.allocationsInRange, y.allocationsInRange);
            ASSERT_EQ(x.freesInRange, y.freesInRange);
            ASSERT_EQ(x.peakByPurpose, y.peakByPurpose);
            ASSERT_EQ(x.atStart, y.atStart);
        }
    }
    EXPECT_EQ(a.listAllocationsAt(from), b.listAllocationsAt(from));
}
} // namespace

TEST(SessionRetention, PolicyDescribesItself)
{
    RetentionPolicy p;
    EXPECT_EQ(p.describe(), "full detail for the last 10 min (at most 2000000 changes), 1 s resolution before (coarser past 68 "
                            "min of history)");
    EXPECT_EQ(p.resolutionFor(60'000), 1000);
    EXPECT_EQ(p.resolutionFor(4095'000), 1000);
    EXPECT_EQ(p.resolutionFor(4096'000), 2000);
    EXPECT_EQ(p.resolutionFor(3LL * 24 * 3600'000), 64'000); // three days of history: 64 s buckets
    p.enabled = false;
    EXPECT_EQ(p.describe(), "all detail kept in memory");
}

// 30 minutes at 100 allocations/s (180,000 allocations, ~360,000 timeline
// events), compacted once to a 10-minute window at 1 s resolution.
TEST(SessionRetention, CompactionKeepsTheWindowExactAndTheHistoryBounded)
{
    SessionModel whole(SessionInfo{"s", "v6r-small", "", 1ULL << 30, {}, T0});
    SessionModel kept(SessionInfo{"s", "v6r-small", "", 1ULL << 30, {}, T0});
    Feed feed(10, 7);
    feed.run({&whole, &kept}, 30 * 60'000);

    const RetentionPolicy policy; // 10 min, 1 s
    const CompactionResult r = kept.compactHistory(policy);
    ASSERT_TRUE(r.compacted);
    const std::int64_t cutoff = kept.lastMs() - 10 * 60'000;
    EXPECT_EQ(r.fullDetailFromMs, cutoff);
    EXPECT_EQ(r.resolutionMs, 1000);
    EXPECT_EQ(kept.retention().fullDetailFromMs, cutoff);

    // Bound: the window's own events, plus per history bucket (20 min of 1 s)
    // three kept states of at most 4 changes each (3 purposes + untracked,
    // the jit level moving with samples).
    std::size_t windowEvents = 0;
    whole.forEachUsedChange(cutoff - 1, whole.lastMs(), [&](std::int64_t, std::uint64_t) { ++windowEvents; });
    const std::size_t historyBound = 20 * 60 * 3 * 5;
    std::printf("[ figures ] timeline events: whole %zu, compacted %zu (window %zu, history %zu, bound %zu); "
                "allocations held: whole %zu, compacted %zu; footprint %zu -> %zu bytes\n",
                whole.timelineEventCount(), kept.timelineEventCount(), windowEvents,
                kept.timelineEventCount() - windowEvents, historyBound, whole.allocationCount(),
                kept.allocationCount(), whole.memoryFootprint(), kept.memoryFootprint());
    EXPECT_EQ(r.timelineEventsBefore, whole.timelineEventCount());
    EXPECT_EQ(r.timelineEventsAfter, kept.timelineEventCount());
    EXPECT_LE(kept.timelineEventCount(), windowEvents + historyBound);
    EXPECT_LT(kept.memoryFootprint(), whole.memoryFootprint() / 2);

    // Allocations: every one live at or made after the window's start, and only those.
    std::size_t expected = 0;
    for (std::size_t i = 0; i < whole.allocationCount(); ++i) {
        const MemoryAllocation a = whole.allocation(i);
        if (!a.freedAt || *a.freedAt >= cutoff)
            ++expected;
    }
    EXPECT_EQ(kept.allocationCount(), expected);
    EXPECT_EQ(r.allocationsDropped, whole.allocationCount() - expected);
    EXPECT_EQ(kept.allocation(kept.allocationCount() - 1), whole.allocation(whole.allocationCount() - 1));

    expectSameTotals(whole, kept);
    expectSameFrom(whole, kept, cutoff);

    // History: the peak and its time, and each minute's peak, as in the whole model.
    const RangeSummary wh = whole.rangeSummary(T0, cutoff - 1), kh = kept.rangeSummary(T0, cutoff - 1);
    EXPECT_EQ(kh.peakUsedBytes, wh.peakUsedBytes);
    EXPECT_EQ(kh.peakUsedAtMs, wh.peakUsedAtMs);
    for (std::int64_t m = T0; m + 60'000 <= cutoff; m += 60'000)
        ASSERT_EQ(kept.rangeSummary(m, m + 59'999).peakUsedBytes, whole.rangeSummary(m, m + 59'999).peakUsedBytes);
    // Usage at the end of each history second is exact (each bucket keeps its end).
    for (std::int64_t t = T0 + 999; t < cutoff; t += 1000)
        ASSERT_EQ(kept.usedAt(t), whole.usedAt(t)) << "at " << t - T0;

    // Samples: one per history second, all in the window; events and markers: newest 1000 before it.
    EXPECT_LE(kept.samples().size(), 30u * 60u + 1u);
    EXPECT_EQ(kept.samples().back().timeMs, whole.samples().back().timeMs);
    EXPECT_EQ(kept.markers().size(), whole.markers().size()); // 180 markers: under the cap
    EXPECT_EQ(kept.events().size(), whole.events().size());

    // A second call with nothing new is a no-op.
    EXPECT_FALSE(kept.compactHistory(policy).compacted);
}

// Three hours at 20 allocations/s, compacted every 75 s of session time as the
// live worker does, with a 5-minute window and at most 256 history buckets: the
// model stays bounded (the history's resolution doubles as it grows) and the
// totals, the peak and the window stay exact.
TEST(SessionRetention, RepeatedCompactionStaysBoundedForHours)
{
    SessionModel whole(SessionInfo{"s", "v6r-small", "", 1ULL << 30, {}, T0});
    SessionModel kept(SessionInfo{"s", "v6r-small", "", 1ULL << 30, {}, T0});
    RetentionPolicy policy;
    policy.fullDetail = 5min;
    policy.maxHistoryBuckets = 256;
    policy.maxHistoryEntries = 100;
    Feed feed(50, 11);
    std::size_t maxEvents = 0, eventsAt1h = 0;
    std::size_t footprintAt1h = 0, maxFootprintAfter1h = 0;
    for (std::int64_t until = 75'000; until <= 3 * 3600'000; until += 75'000) {
        feed.run({&whole, &kept}, until);
        kept.compactHistory(policy);
        maxEvents = std::max(maxEvents, kept.timelineEventCount());
        if (until == 3600'000) {
            eventsAt1h = kept.timelineEventCount();
            footprintAt1h = kept.memoryFootprint();
        } else if (until > 3600'000) {
            maxFootprintAfter1h = std::max(maxFootprintAfter1h, kept.memoryFootprint());
        }
    }
    const RetentionState& st = kept.retention();
    std::printf("[ figures ] after 3 h: timeline events whole %zu, compacted %zu (max %zu, at 1 h %zu); "
                "footprint at 1 h %zu, max after %zu, whole %zu bytes; resolution %lld ms; %llu compactions\n",
                whole.timelineEventCount(), kept.timelineEventCount(), maxEvents, eventsAt1h, footprintAt1h,
                maxFootprintAfter1h, whole.memoryFootprint(), static_cast<long long>(st.resolutionMs),
                static_cast<unsigned long long>(st.compactions));
    EXPECT_EQ(st.resolutionMs, 64'000); // 175 min of history in at most 256 buckets
    EXPECT_EQ(st.compactions, 3u * 48u - 4u); // every 75 s once the session is past its window
    // 5 min at 20/s: ~6,000 allocations + ~6,000 frees + samples in the window;
    // history: 256 buckets x 3 states x at most 5 changes.
    EXPECT_LE(maxEvents, 14'000u + 256u * 15u);
    EXPECT_LT(maxFootprintAfter1h, footprintAt1h + footprintAt1h / 5); // flat after the first hour
    EXPECT_LT(kept.memoryFootprint() * 10, whole.memoryFootprint());
    EXPECT_LE(kept.markers().size(), 100u + 30u);

    expectSameTotals(whole, kept);
    expectSameFrom(whole, kept, st.fullDetailFromMs);
    const RangeSummary wh = whole.rangeSummary(T0, kept.lastMs()), kh = kept.rangeSummary(T0, kept.lastMs());
    EXPECT_EQ(kh.peakUsedBytes, wh.peakUsedBytes);
    EXPECT_EQ(kh.peakUsedAtMs, wh.peakUsedAtMs);
}

// A busy session: 10 minutes at 100 allocations/s (~120,000 changes), with
// the window's 10 minutes capped at 20,000 changes: the window starts at the
// 20,000th change from the end, everything from there on stays exact, and
// compacting again with nothing new is a no-op.
TEST(SessionRetention, TheEventCapShortensTheWindowOfABusySession)
{
    SessionModel whole(SessionInfo{"s", "v6r-small", "", 1ULL << 30, {}, T0});
    SessionModel kept(SessionInfo{"s", "v6r-small", "", 1ULL << 30, {}, T0});
    Feed feed(10, 5);
    feed.run({&whole, &kept}, 10 * 60'000);
    RetentionPolicy policy; // 10 min: by time alone nothing is old enough
    policy.maxFullDetailEvents = 20'000;

    const std::size_t before = kept.timelineEventCount();
    ASSERT_GT(before, 100'000u);
    // The time of the 20,000th change from the end, as a reader of the whole model sees it.
    std::vector<std::int64_t> times;
    whole.forEachUsedChange(T0 - 1, whole.lastMs(), [&](std::int64_t t, std::uint64_t) { times.push_back(t); });
    ASSERT_EQ(times.size(), before);
    const std::int64_t cutoff = times[before - 20'000];

    const CompactionResult r = kept.compactHistory(policy);
    ASSERT_TRUE(r.compacted);
    EXPECT_EQ(r.fullDetailFromMs, cutoff);
    EXPECT_EQ(kept.retention().fullDetailFromMs, cutoff);
    std::size_t window = 0;
    kept.forEachUsedChange(cutoff - 1, kept.lastMs(), [&](std::int64_t, std::uint64_t) { ++window; });
    EXPECT_GE(window, 20'000u); // the changes at the cutoff's own time too
    EXPECT_LE(window, 20'010u);
    EXPECT_LT(kept.timelineEventCount(), before / 3);
    std::printf("[ figures ] capped at 20000 changes: %zu -> %zu timeline events, window from %lld ms of %lld\n",
                before, kept.timelineEventCount(), static_cast<long long>(cutoff - T0),
                static_cast<long long>(kept.lastMs() - T0));
    expectSameTotals(whole, kept);
    expectSameFrom(whole, kept, cutoff);
    EXPECT_FALSE(kept.compactHistory(policy).compacted);

    // Without the cap the same policy keeps everything (10 minutes are not old yet).
    SessionModel uncapped = whole.clone();
    policy.maxFullDetailEvents = 0;
    EXPECT_FALSE(uncapped.compactHistory(policy).compacted);
    EXPECT_EQ(uncapped.timelineEventCount(), before);
}

TEST(SessionRetention, CloneIsIndependent)
{
    SessionModel a(SessionInfo{"s", "psp", "", 0, {}, T0});
    Feed feed(10, 3);
    feed.run({&a}, 60'000);
    SessionModel b = a.clone();
    expectSameTotals(a, b);
    expectSameFrom(a, b, T0);
    ASSERT_TRUE(b.recordAllocation("only-in-b", 100, MemoryPurpose(StandardPurpose::VmHeap), b.lastMs()));
    EXPECT_EQ(b.allocationCount(), a.allocationCount() + 1);
    EXPECT_EQ(a.listAllocations().size() + 1, b.listAllocations().size());
}

TEST(SessionRetention, DisabledOrTooYoungIsANoOp)
{
    SessionModel a(SessionInfo{"s", "psp", "", 0, {}, T0});
    Feed feed(10, 5);
    feed.run({&a}, 5 * 60'000);
    const std::size_t events = a.timelineEventCount();
    EXPECT_FALSE(a.compactHistory(RetentionPolicy{}).compacted); // 5 min < 10 min window
    RetentionPolicy off;
    off.enabled = false;
    off.fullDetail = 1min;
    EXPECT_FALSE(a.compactHistory(off).compacted);
    EXPECT_EQ(a.timelineEventCount(), events);
    EXPECT_EQ(a.retention().compactions, 0u);
}

// A session that went quiet: compacted against the stream's time (the store's
// latest), it becomes all history once, its end state exact, then is left alone.
TEST(SessionRetention, QuietSessionIsCompactedOnceAgainstTheStreamTime)
{
    SessionModel whole(SessionInfo{"s", "psp", "", 0, {}, T0});
    SessionModel kept(SessionInfo{"s", "psp", "", 0, {}, T0});
    Feed feed(10, 9);
    feed.run({&whole, &kept}, 2 * 60'000);
    const std::int64_t streamNow = kept.lastMs() + 30 * 60'000; // others went on for 30 min
    const CompactionResult r = kept.compactHistory(RetentionPolicy{}, streamNow);
    ASSERT_TRUE(r.compacted);
    EXPECT_EQ(r.fullDetailFromMs, kept.lastMs() + 1);
    EXPECT_EQ(kept.allocationCount(), whole.listAllocations().size()); // only the live ones
    expectSameTotals(whole, kept);
    EXPECT_EQ(kept.usedAt(kept.lastMs()), whole.usedAt(whole.lastMs()));
    EXPECT_EQ(kept.usageAt(kept.lastMs()), whole.usageAt(whole.lastMs()));
    EXPECT_LE(kept.timelineEventCount(), 2u * 60u * 3u * 5u);
    EXPECT_FALSE(kept.compactHistory(RetentionPolicy{}, streamNow + 60'000).compacted);
}
