// SPDX-License-Identifier: MIT
// The time index against a brute-force replay, and the memory/throughput figures.
#include "model/session_model.h"

#include "model/id_hash.h"
#include "model/memory_analytics.h"
#include "model/usage_timeline.h"
#include "reports/text_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>

using namespace flight;

namespace {
constexpr std::int64_t T0 = 1764000000000;
__extension__ typedef __int128 Wide;

// One change of the brute-force replay: either a purpose delta or an untracked value.
struct Change {
    std::int64_t t;
    int purpose;          // -1: untracked set
    std::int64_t delta;
    std::uint64_t untracked;
    bool isFree;
};
struct State {
    std::vector<std::int64_t> usage;
    std::int64_t tracked = 0;
    std::uint64_t untracked = 0;
    std::uint64_t used() const { return static_cast<std::uint64_t>(std::max<std::int64_t>(tracked, 0)) + untracked; }
};
struct Alloc {
    std::string id;
    std::uint64_t bytes;
    int purpose;
    std::int64_t at;
    std::int64_t freedAt = INT64_MAX;
};

struct Brute {
    std::vector<Change> changes;
    std::vector<Alloc> allocs;
    std::size_t purposes = 9;

    void apply(State& s, const Change& c) const
    {
        if (c.purpose < 0) {
            s.untracked = c.untracked;
        } else {
            s.usage[static_cast<std::size_t>(c.purpose)] += c.delta;
            s.tracked += c.delta;
        }
    }
    State at(std::int64_t t) const
    {
        State s;
        s.usage.assign(purposes, 0);
        for (const auto& c : changes) {
            if (c.t > t)
                break;
            apply(s, c);
        }
        return s;
    }
};

std::vector<MemoryPurpose> testPurposes()
{
    std::vector<MemoryPurpose> p;
    for (std::uint16_t i = 0; i < kStandardPurposeCount; ++i)
        p.push_back(MemoryPurpose::fromId(i));
    p.push_back(MemoryPurpose::fromName("timeline-test-custom"));
    return p;
}

} // namespace

TEST(SessionTimeline, MatchesBruteForceOnRandomEvents)
{
    const auto purposes = testPurposes();
    SessionInfo info;
    info.sessionId = "random";
    info.totalBytes = 1ull << 32;
    SessionModel m(info);
    Brute b;
    b.purposes = purposes.back().id() + 1u;
    std::mt19937_64 rng(12345);
    std::vector<std::size_t> live; // indices into b.allocs
    std::int64_t t = T0;
    std::int64_t tracked = 0;
    std::uint64_t untracked = 0;
    const int kEvents = 100000;
    for (int n = 0; n < kEvents; ++n) {
        const auto gap = rng() % 10;
        t += gap < 4 ? 0 : static_cast<std::int64_t>(rng() % 50); // many events share an instant
        const auto what = rng() % 100;
        if (what < 55 || live.empty()) {
            Alloc a;
            a.id = "id-" + std::to_string(n);
            a.bytes = 1 + rng() % 100000;
            a.purpose = static_cast<int>(rng() % purposes.size());
            a.at = t;
            ASSERT_TRUE(m.recordAllocation(a.id, a.bytes, purposes[static_cast<std::size_t>(a.purpose)], t));
            const int pid = purposes[static_cast<std::size_t>(a.purpose)].id();
            b.changes.push_back({t, pid, static_cast<std::int64_t>(a.bytes), 0, false});
            tracked += static_cast<std::int64_t>(a.bytes);
            live.push_back(b.allocs.size());
            b.allocs.push_back(std::move(a));
        } else if (what < 97) {
            const std::size_t k = rng() % live.size();
            Alloc& a = b.allocs[live[k]];
            live[k] = live.back();
            live.pop_back();
            ASSERT_TRUE(m.recordFree(a.id, t));
            a.freedAt = t;
            const int pid = purposes[static_cast<std::size_t>(a.purpose)].id();
            b.changes.push_back({t, pid, -static_cast<std::int64_t>(a.bytes), 0, true});
            tracked -= static_cast<std::int64_t>(a.bytes);
        } else {
            const std::uint64_t reported = static_cast<std::uint64_t>(std::max<std::int64_t>(tracked, 0)) + rng() % 3000000 -
                                           std::min<std::uint64_t>(1000000, static_cast<std::uint64_t>(tracked));
            m.recordSample({t, reported, 0, std::nullopt, 0.0});
            const std::uint64_t tr = static_cast<std::uint64_t>(std::max<std::int64_t>(tracked, 0));
            const std::uint64_t u = reported > tr ? reported - tr : 0;
            if (u != untracked) {
                b.changes.push_back({t, -1, 0, u, false});
                untracked = u;
            }
        }
    }
    const std::int64_t tEnd = t;
    ASSERT_EQ(m.lastMs(), tEnd);
    EXPECT_TRUE(m.events().empty());

    // Points: usageAt, usedAt, pressureAt, listAllocationsAt.
    std::uniform_int_distribution<std::int64_t> anyTime(T0 - 10, tEnd + 10);
    for (int q = 0; q < 300; ++q) {
        const std::int64_t at = q == 0 ? T0 - 1 : q == 1 ? tEnd : q == 2 ? T0 : anyTime(rng);
        const State s = b.at(at);
        const PurposeUsage u = m.usageAt(at);
        for (const auto p : purposes)
            ASSERT_EQ(u[p], s.usage[p.id()]) << "t=" << at << " purpose " << p.id();
        ASSERT_EQ(m.usedAt(at), s.used()) << "t=" << at;
        ASSERT_EQ(m.snapshotAt(at).used.bytes, s.used());
        ASSERT_EQ(m.pressureAt(at), computePressure(s.used(), info.totalBytes));
        if (q % 10 == 0) {
            std::vector<std::string> expected;
            for (const auto& a : b.allocs)
                if (a.at <= at && a.freedAt > at)
                    expected.push_back(a.id);
            const auto list = m.listAllocationsAt(at);
            ASSERT_EQ(list.size(), expected.size()) << "t=" << at;
            for (std::size_t i = 0; i < list.size(); ++i)
                ASSERT_EQ(list[i].id, expected[i]);
        }
    }
    const State endState = b.at(tEnd);
    EXPECT_EQ(m.usedBytes(), endState.used());
    EXPECT_EQ(m.usage(), m.usageAt(tEnd));
    EXPECT_EQ(m.listAllocations().size(), live.size());

    // Ranges: peak (value, first instant), each purpose's peak, time-weighted average, counts.
    std::uint64_t overallPeak = 0;
    for (int q = 0; q < 80; ++q) {
        std::int64_t from = anyTime(rng);
        std::int64_t to = anyTime(rng);
        if (q == 0) {
            from = T0 - 5;
            to = tEnd + 5;
        } else if (q == 1) {
            from = to = tEnd / 2 + T0 / 2;
        } else if (q < 10) {
            to = std::min(tEnd, from + static_cast<std::int64_t>(rng() % 300)); // short ranges
        } else if (q < 30) {
            // Ending at the time of an index block's first event (UsageTimeline::kBlock),
            // one before or after it: the blocks taken whole from their checkpoints end there.
            const std::size_t block = rng() % (b.changes.size() / UsageTimeline::kBlock - 1) + 1;
            to = b.changes[block * UsageTimeline::kBlock].t + static_cast<std::int64_t>(q % 3) - 1;
            from = q % 2 == 0 ? T0 - 5 : std::min(to, from);
        }
        if (to < from)
            std::swap(from, to);
        State s = b.at(from);
        std::uint64_t peak = s.used();
        std::int64_t peakAt = from;
        std::vector<std::int64_t> peakBy = s.usage;
        Wide area = 0;
        std::int64_t prevT = from;
        std::uint64_t frees = 0;
        for (const auto& c : b.changes) {
            if (c.t < from || c.t > to)
                continue;
            if (c.isFree)
                ++frees;
            if (c.t == from)
                continue; // already in the state at from
            area += static_cast<Wide>(s.used()) * (c.t - prevT);
            prevT = c.t;
            b.apply(s, c);
            if (s.used() > peak) {
                peak = s.used();
                peakAt = c.t;
            }
            if (c.purpose >= 0)
                peakBy[static_cast<std::size_t>(c.purpose)] =
                    std::max(peakBy[static_cast<std::size_t>(c.purpose)], s.usage[static_cast<std::size_t>(c.purpose)]);
        }
        area += static_cast<Wide>(s.used()) * (to - prevT);
        const std::uint64_t average = to > from ? static_cast<std::uint64_t>(area / (to - from)) : s.used();
        std::uint64_t allocsIn = 0;
        for (const auto& a : b.allocs)
            allocsIn += (a.at >= from && a.at <= to) ? 1 : 0;

        const RangeSummary r = m.rangeSummary(from, to);
        ASSERT_EQ(r.fromMs, from);
        ASSERT_EQ(r.toMs, to);
        ASSERT_EQ(r.peakUsedBytes, peak) << from << ".." << to;
        ASSERT_EQ(r.peakUsedAtMs, peakAt) << from << ".." << to;
        ASSERT_EQ(r.averageUsedBytes, average) << from << ".." << to;
        ASSERT_EQ(r.allocationsInRange, allocsIn);
        ASSERT_EQ(r.freesInRange, frees);
        for (const auto p : purposes) {
            ASSERT_EQ(r.peakByPurpose[p], peakBy[p.id()]) << "purpose " << p.id();
            ASSERT_EQ(r.atStart[p], b.at(from).usage[p.id()]);
            ASSERT_EQ(r.atEnd[p], s.usage[p.id()]);
        }
        if (q == 0)
            overallPeak = peak;
    }
    EXPECT_EQ(m.peakBytes(), overallPeak);
    EXPECT_GT(overallPeak, 0u);
}

TEST(SessionTimeline, MemoryPerAllocation)
{
    SessionInfo info;
    info.sessionId = "footprint";
    SessionModel m(info);
    const std::size_t base = m.memoryFootprint();
    constexpr std::size_t N = 1000000;
    std::size_t idBytes = 0;
    for (std::size_t i = 0; i < N; ++i) {
        const std::string id = "alloc-" + std::to_string(i);
        idBytes += id.size();
        ASSERT_TRUE(m.recordAllocation(id, 64 + i % 4096, MemoryPurpose::fromId(static_cast<std::uint16_t>(i % 8)),
                                       T0 + static_cast<std::int64_t>(i / 16)));
    }
    const double avgId = static_cast<double>(idBytes) / N;
    const double live = static_cast<double>(m.memoryFootprint() - base) / N;
    // A free naming an id that is not live builds the table of every id (the worst case).
    ASSERT_FALSE(m.recordFree("never-allocated", T0 + 100000));
    const double liveWithTable = static_cast<double>(m.memoryFootprint() - base) / N;
    for (std::size_t i = 0; i < N; ++i)
        ASSERT_TRUE(m.recordFree("alloc-" + std::to_string(i), T0 + 100000 + static_cast<std::int64_t>(i / 16)));
    const double freed = static_cast<double>(m.memoryFootprint() - base) / N;
    std::printf("[ figures  ] bytes per allocation: %.1f live, %.1f live with the table of every id, %.1f after its "
                "free (ids avg %.1f bytes)\n",
                live, liveWithTable, freed, avgId);
    EXPECT_LE(live, static_cast<double>(SessionModel::kBytesPerAllocation) + avgId);
    EXPECT_LE(liveWithTable, static_cast<double>(SessionModel::kBytesPerAllocation) + avgId);
    EXPECT_LE(freed, static_cast<double>(SessionModel::kBytesPerAllocation) + avgId);
    EXPECT_EQ(MemoryAnalytics(m).calculateMemoryStats().freedAllocations, N);
    EXPECT_EQ(m.usedBytes(), 0u);
    EXPECT_EQ(m.allocation(N - 1).id, "alloc-999999");
}

TEST(SessionTimeline, RangeSummaryByHand)
{
    SessionInfo info;
    info.sessionId = "hand";
    info.startedAt = T0;
    SessionModel m(info);
    const MemoryPurpose heap = StandardPurpose::VmHeap;
    const MemoryPurpose cache = StandardPurpose::AssetCache;
    ASSERT_TRUE(m.recordAllocation("a", 100, heap, T0 + 10));  // used 100
    ASSERT_TRUE(m.recordAllocation("b", 300, cache, T0 + 20)); // used 400
    ASSERT_TRUE(m.recordFree("b", T0 + 30));                   // used 100
    ASSERT_TRUE(m.recordAllocation("c", 50, cache, T0 + 40));  // used 150
    const RangeSummary r = m.rangeSummary(T0 + 15, T0 + 45);
    EXPECT_EQ(r.atStart[heap], 100);
    EXPECT_EQ(r.atStart[cache], 0);
    EXPECT_EQ(r.atEnd[heap], 100);
    EXPECT_EQ(r.atEnd[cache], 50);
    EXPECT_EQ(r.peakByPurpose[heap], 100);
    EXPECT_EQ(r.peakByPurpose[cache], 300);
    EXPECT_EQ(r.peakUsedBytes, 400u);
    EXPECT_EQ(r.peakUsedAtMs, T0 + 20);
    // 5 ms at 100, 10 at 400, 10 at 100, 5 at 150 over 30 ms.
    EXPECT_EQ(r.averageUsedBytes, (5 * 100 + 10 * 400 + 10 * 100 + 5 * 150) / 30u);
    EXPECT_EQ(r.allocationsInRange, 2u);
    EXPECT_EQ(r.freesInRange, 1u);
    // Swapped bounds are put in order; a single instant averages to its level.
    const RangeSummary same = m.rangeSummary(T0 + 25, T0 + 25);
    EXPECT_EQ(same.averageUsedBytes, 400u);
    EXPECT_EQ(same.peakUsedBytes, 400u);
    EXPECT_EQ(m.rangeSummary(T0 + 45, T0 + 15).peakUsedBytes, 400u);
    // Before anything happened.
    const RangeSummary before = m.rangeSummary(T0 - 100, T0 - 1);
    EXPECT_EQ(before.peakUsedBytes, 0u);
    EXPECT_EQ(before.allocationsInRange, 0u);
}

TEST(SessionTimeline, IdHashSpreadsSequentialIds)
{
    // Keys of sequential ids: no 64-bit collision, and the low bits (the table
    // index) are spread evenly over 1024 buckets.
    constexpr std::size_t N = 1 << 20;
    std::vector<std::uint64_t> keys;
    keys.reserve(N);
    std::vector<std::size_t> buckets(1024, 0);
    for (std::size_t i = 0; i < N; ++i) {
        keys.push_back(hashId("a-" + std::to_string(i)));
        ++buckets[keys.back() & 1023];
    }
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end());
    double chi = 0;
    const double expected = static_cast<double>(N) / 1024.0;
    for (auto b : buckets)
        chi += (static_cast<double>(b) - expected) * (static_cast<double>(b) - expected) / expected;
    EXPECT_LT(chi, 1200.0); // 1023 degrees of freedom: mean 1023, sd ~45
    EXPECT_NE(hashId(""), hashId(std::string(1, '\0')));
    EXPECT_NE(hashId("abcdefgh"), hashId(std::string_view("abcdefgh\0", 9)));
}

TEST(SessionTimeline, LongAndCustomIds)
{
    SessionInfo info;
    info.sessionId = "ids";
    SessionModel m(info);
    const std::string longId(70000, 'x');
    const std::string otherLong = longId + "y";
    const MemoryPurpose shader = MemoryPurpose::fromName("shader-cache-test");
    ASSERT_TRUE(m.recordAllocation(longId, 10, shader, T0));
    ASSERT_TRUE(m.recordAllocation(otherLong, 20, shader, T0 + 1)); // shares its first 65535 bytes
    ASSERT_TRUE(m.recordAllocation("", 5, StandardPurpose::Temporary, T0 + 2));
    EXPECT_EQ(m.recordAllocation(longId, 1, shader, T0 + 3).error().code, MemoryErrorCode::InvalidAllocation);
    ASSERT_TRUE(m.recordFree(longId, T0 + 4));
    EXPECT_EQ(m.usedBytes(), 25u);
    EXPECT_EQ(m.usage()[shader], 20);
    EXPECT_EQ(m.allocation(0).id.size(), 65535u); // kept text is capped
    EXPECT_EQ(m.allocation(2).id, "");
    ASSERT_TRUE(m.recordFree("", T0 + 5));
    EXPECT_EQ(m.usedBytes(), 20u);
    EXPECT_NE(reports::textReport(m).find("shader-cache-test:"), std::string::npos);
}

TEST(SessionTimeline, PointQueriesDoNotReplay)
{
    SessionInfo info;
    info.sessionId = "queries";
    SessionModel m(info);
    constexpr std::size_t N = 1000000;
    for (std::size_t i = 0; i < N; ++i)
        ASSERT_TRUE(m.recordAllocation("q" + std::to_string(i), 1, StandardPurpose::VmHeap,
                                       T0 + static_cast<std::int64_t>(i)));
    std::mt19937_64 rng(7);
    constexpr int Q = 100000;
    std::uint64_t sum = 0;
    std::uint64_t expectedSum = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int q = 0; q < Q; ++q) {
        const auto i = static_cast<std::int64_t>(rng() % N);
        sum += m.usedAt(T0 + i);
        expectedSum += static_cast<std::uint64_t>(i + 1);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("[ figures  ] usedAt over 1M events: %.2f us per query\n", seconds * 1e6 / Q);
    EXPECT_EQ(sum, expectedSum);
    // A replay would cost ~1M steps (ms); checkpoint + <=256 steps is a few us.
    EXPECT_LT(seconds * 1e6 / Q, 100.0);
}
