// SPDX-License-Identifier: MIT
#pragma once
// A min/max pyramid over a session's used-bytes series, so a chart can ask for
// "the extent of used in each of N columns over [t0, t1]" at a cost that
// depends on N, not on the number of events: the timeline of a 10-million-event
// recording costs the same per frame as one of 1,000 events.
//
// Level 0 summarises buckets of kBucket consecutive events; each level above
// halves the count. A column takes whole buckets from the highest level that
// fits. A column's edges are widened to whole buckets, so where a column holds
// only a few buckets its extent overstates; a caller wanting exact columns
// there reads the events directly (the timeline does when few are in view).

#include "model/session_model.h"

#include <cstdint>
#include <vector>

namespace flight {

struct UsageExtent {
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::uint64_t minUsed = 0;
    std::uint64_t maxUsed = 0;
    std::int64_t maxAtMs = 0;   // when the maximum was reached (for stack readouts)
    bool empty = true;          // no event inside: the level is carried from before
    // Usage by purpose at maxAtMs when the pyramid kept it (built from a session, not
    // appended without purposes); valid while the pyramid is. Saves a model query per column.
    const PurposeUsage* usageAtMax = nullptr;
};

class UsagePyramid {
public:
    static constexpr std::size_t kBucket = 64;

    UsagePyramid() = default;
    // Builds over every event of the session: O(events), once.
    explicit UsagePyramid(const SessionModel& session);

    // Appends one more change (live sessions); times must not go backwards. With
    // `usage` (by purpose after the change) the column queries can answer usageAtMax.
    void append(std::int64_t t, std::uint64_t used, const PurposeUsage* usage = nullptr);

    std::size_t eventCount() const { return m_events; }
    // Extent of used over [from, to): whole buckets overlapping the range.
    UsageExtent extent(std::int64_t from, std::int64_t to) const;
    // `columns` equal slices of [from, to): at most two points per column to draw.
    std::vector<UsageExtent> columns(std::int64_t from, std::int64_t to, int columns) const;
    // Where column c of columns() over [from, to) starts (column c ends where c + 1 starts, the last at to).
    static std::int64_t columnStart(std::int64_t from, std::int64_t to, int columns, int c);
    // The events with time in [from, to), rounded up to the whole buckets they sit in (an
    // upper bound, in O(log buckets)), for choosing how to draw a range.
    std::size_t eventsBetween(std::int64_t from, std::int64_t to) const;

private:
    struct Node {
        std::int64_t firstMs;
        std::int64_t lastMs;
        std::uint64_t minUsed;
        std::uint64_t maxUsed;
        std::int64_t maxAtMs;
        std::size_t maxBucket; // level-0 bucket holding the maximum (its usage snapshot)
    };
    const PurposeUsage* snapshot(std::size_t bucket) const;
    static Node merge(const Node& a, const Node& b);
    void pushLevel(std::size_t level, const Node& n);
    // Max over level-0 buckets [first, last] in O(log) using the levels above.
    Node query(std::size_t first, std::size_t last) const;
    // extent() searching its buckets from `hint` on, which it moves to where this search began.
    UsageExtent extent(std::int64_t from, std::int64_t to, std::size_t& hint) const;

    std::vector<std::vector<Node>> m_levels; // m_levels[0]: buckets
    Node m_open{};                           // the bucket being filled
    std::size_t m_openCount = 0;
    // Per level-0 bucket: usage by purpose at its maximum, and whether it is known.
    std::vector<PurposeUsage> m_snapshots;
    std::vector<std::uint8_t> m_snapshotKnown;
    PurposeUsage m_openSnapshot;
    bool m_openKnown = false;
    std::size_t m_events = 0;
};

} // namespace flight
