// SPDX-License-Identifier: MIT
#pragma once
// The time index of a session: every change of tracked or untracked bytes, in
// time order, as one 32-bit code (2-bit kind + 30-bit index):
//   allocation i / free i  -> time, size and purpose come from AllocationRecord i
//   level j                -> a purpose level set by a sample (time, purpose, delta)
//   untracked j            -> the untracked bytes set by a sample (time, value)
// Every kBlock events a checkpoint keeps the full state before the block (per
// purpose usage, untracked, area under `used`, frees so far) and the block's
// maxima (used, and each purpose). A point query is a binary search over the
// checkpoints plus at most kBlock decoded events; a range query steps through
// the partial blocks at its ends and takes whole blocks from their maxima.
//
// used = max(0, tracked) + untracked, where tracked = sum of the purpose levels.

#include "allocation_record.h"
#include "purpose_usage.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace flight {

__extension__ typedef __int128 TimelineArea; // bytes x ms: exceeds 64 bits quickly

struct TimelineState {
    static constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

    std::size_t index = 0;          // events applied
    PurposeUsage usage;             // tracked per purpose
    std::int64_t tracked = 0;       // usage.total()
    std::uint64_t untracked = 0;
    std::int64_t lastTime = kNoTime; // time of the last applied event
    TimelineArea area = 0;          // integral of used from the first event to lastTime
    std::uint64_t frees = 0;        // free events applied

    std::uint64_t used() const { return (tracked > 0 ? static_cast<std::uint64_t>(tracked) : 0) + untracked; }
    // Integral of used from the first event to t (t >= lastTime).
    TimelineArea areaUntil(std::int64_t t) const
    {
        if (lastTime == kNoTime)
            return 0;
        return area + static_cast<TimelineArea>(used()) * (t - lastTime);
    }
};

struct TimelineRange {
    TimelineState start;            // after every event at or before from
    TimelineState end;              // after every event at or before to
    std::uint64_t peakUsed = 0;
    std::int64_t peakUsedAt = 0;
    PurposeUsage peakByPurpose;
};

class UsageTimeline {
public:
    static constexpr std::size_t kBlock = 256;
    static constexpr std::uint32_t kMaxIndex = (1u << 30) - 1;
    using Allocations = GrowArray<AllocationRecord>;

    // Times must not go backwards (the model clamps them before).
    void appendAllocation(std::uint32_t index, const AllocationRecord& r);
    void appendFree(std::uint32_t index, const AllocationRecord& r);
    void appendLevel(std::int64_t t, std::uint16_t purpose, std::int64_t delta);
    void appendUntracked(std::int64_t t, std::uint64_t value);

    const TimelineState& current() const { return m_cur; }
    std::size_t eventCount() const { return m_log.size(); }
    // The time of event i (i < eventCount()).
    std::int64_t timeOf(std::size_t i, const Allocations& allocs) const { return decode(m_log[i], allocs).t; }

    // State after every event at or before t.
    TimelineState stateAt(std::int64_t t, const Allocations& allocs) const;
    TimelineRange range(std::int64_t from, std::int64_t to, const Allocations& allocs) const;
    // (time, used) after each event with time in (from, to], in order; for trends.
    template <typename F>
    void forEachUsed(std::int64_t from, std::int64_t to, const Allocations& allocs, F&& f) const
    {
        forEachState(from, to, allocs, [&f](std::int64_t t, const TimelineState& s) { f(t, s.used()); });
    }

    // The state after each event with time in (from, to], in order (usage by purpose included).
    template <typename F>
    void forEachState(std::int64_t from, std::int64_t to, const Allocations& allocs, F&& f) const
    {
        TimelineState s = stateAt(from, allocs);
        while (s.index < m_log.size()) {
            const Decoded d = decode(m_log[s.index], allocs);
            if (d.t > to)
                break;
            step(s, d);
            f(d.t, s);
        }
    }

    // The state after each event from index `first` on (index order, every event
    // of a time included): what a reader that has seen `first` events lacks (live views).
    template <typename F>
    void forEachStateFrom(std::size_t first, const Allocations& allocs, F&& f) const
    {
        if (first >= m_log.size())
            return;
        TimelineState s = m_checkpoints[first / kBlock].start;
        while (s.index < m_log.size()) {
            const Decoded d = decode(m_log[s.index], allocs);
            step(s, d);
            if (s.index > first)
                f(d.t, s);
        }
    }
    std::size_t footprint() const;

    // Compaction (compaction/timeline_compaction.cpp, for SessionModel::compactHistory): a
    // new timeline whose events before `cutoff` are downsampled to buckets of
    // `resolution` ms aligned on multiples of it (per bucket, the states at its
    // lowest and highest used and at its end, at their own times, written as
    // level and untracked events), followed by every event at or after
    // `cutoff` unchanged; allocation i becomes newIndex[i] (the caller keeps
    // every allocation whose event is at or after the cutoff). The state at and
    // after the cutoff is the same as here, as are the history's used extremes.
    UsageTimeline compacted(std::int64_t cutoff, std::int64_t resolution, const Allocations& allocs,
                            const std::vector<std::uint32_t>& newIndex) const;

private:
    enum Kind : std::uint32_t { kAlloc = 0, kFree = 1, kLevel = 2, kUntracked = 3 };
    struct Decoded {
        std::int64_t t;
        std::int64_t delta;
        std::uint64_t untracked;
        std::uint16_t purpose;
        std::uint8_t kind;
    };
    struct Level {
        std::int64_t t;
        std::int64_t delta;
        std::uint16_t purpose;
    };
    struct Untracked {
        std::int64_t t;
        std::uint64_t value;
    };
    struct Checkpoint {
        TimelineState start;
        std::int64_t firstTime = 0;
        std::uint64_t maxUsed = 0;
        std::int64_t maxUsedAt = 0;
        PurposeUsage maxByPurpose;
    };

    Decoded decode(std::uint32_t code, const Allocations& allocs) const;
    static void step(TimelineState& s, const Decoded& d);
    // Raises the peaks (used, when, and by purpose) to the state s after event d.
    static void raisePeaks(const TimelineState& s, const Decoded& d, std::uint64_t& peak, std::int64_t& peakAt,
                           PurposeUsage& peakByPurpose);
    void append(std::uint32_t code, const Decoded& d);

    GrowArray<std::uint32_t> m_log;
    std::vector<Level> m_levels;
    std::vector<Untracked> m_untracked;
    std::vector<Checkpoint> m_checkpoints;
    TimelineState m_cur;
};

// The appends are inline: a bulk load makes one per event (tens of millions);
// append() always (GCC kept it out of line).
inline void UsageTimeline::step(TimelineState& s, const Decoded& d)
{
    if (s.lastTime != TimelineState::kNoTime)
        s.area += static_cast<TimelineArea>(s.used()) * (d.t - s.lastTime);
    s.lastTime = d.t;
    if (d.kind == kUntracked) {
        s.untracked = d.untracked;
    } else {
        s.usage.at(MemoryPurpose::fromId(d.purpose)) += d.delta;
        s.tracked += d.delta;
        if (d.kind == kFree)
            ++s.frees;
    }
    ++s.index;
}

[[gnu::always_inline]] inline void UsageTimeline::append(std::uint32_t code, const Decoded& d)
{
    if (m_log.size() % kBlock == 0) {
        Checkpoint cp;
        cp.start = m_cur;
        cp.firstTime = d.t;
        cp.maxByPurpose = m_cur.usage;
        m_checkpoints.push_back(std::move(cp));
    }
    m_log.push_back(code);
    step(m_cur, d);
    Checkpoint& cp = m_checkpoints.back();
    raisePeaks(m_cur, d, cp.maxUsed, cp.maxUsedAt, cp.maxByPurpose);
}

inline void UsageTimeline::raisePeaks(const TimelineState& s, const Decoded& d, std::uint64_t& peak, std::int64_t& peakAt,
                               PurposeUsage& peakByPurpose)
{
    const std::uint64_t used = s.used();
    if (used > peak) {
        peak = used;
        peakAt = d.t;
    }
    if (d.kind != kUntracked) {
        const auto p = MemoryPurpose::fromId(d.purpose);
        auto& m = peakByPurpose.at(p);
        m = std::max(m, s.usage[p]);
    }
}

inline void UsageTimeline::appendAllocation(std::uint32_t index, const AllocationRecord& r)
{
    append((kAlloc << 30) | index, {r.allocatedAt, static_cast<std::int64_t>(r.bytes), 0, r.purpose, kAlloc});
}

inline void UsageTimeline::appendFree(std::uint32_t index, const AllocationRecord& r)
{
    const std::uint32_t code = (kFree << 30) | index;
    const Decoded d{r.freedAt, -static_cast<std::int64_t>(r.bytes), 0, r.purpose, kFree};
    if (m_log.size() % kBlock == 0) [[unlikely]] {
        append(code, d);
        return;
    }
    // A free lowers used and its purpose's level: within a block it cannot
    // raise the block's maxima (as a block's first event it sets them: append).
    m_log.push_back(code);
    step(m_cur, d);
}


} // namespace flight
