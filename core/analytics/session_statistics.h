// SPDX-License-Identifier: MIT
#pragma once
// The Statistics view's figures for a whole session or a selected range:
// memory-analytics stats, the trend, the largest and longest-lived allocations,
// untracked memory and errors by code. O(allocations + events in range): run
// it off the UI thread.

#include "analytics/session_events.h"
#include "model/memory_analytics.h"
#include "model/session_model.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace flight {

struct RankedAllocation {
    std::size_t index = 0;                // SessionModel::allocation(index)
    std::uint64_t bytes = 0;
    std::int64_t allocatedAt = 0;
    std::optional<std::int64_t> freedAt;
    std::int64_t lifetimeMs = 0;          // to its free, or to the session's last instant while live
};

struct ErrorCount {
    MemoryErrorCode code = MemoryErrorCode::MalformedInput;
    std::uint64_t count = 0;
};

struct SessionStatistics {
    bool wholeSession = true;
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    // Whole session: MemoryAnalytics::calculateMemoryStats() as is. A range: the same figures at
    // the range's end (used, tracked, by purpose, efficiency), peak within the
    // range, allocation counts of allocations made within it.
    MemoryStats stats;
    RangeSummary range;                   // over [fromMs, toMs]
    MemoryTrend trend;                    // getMemoryTrends(span), or getMemoryTrendsBetween(range)
    std::uint64_t untrackedBytes = 0;     // used minus tracked at toMs (memory the producer never reported allocating)
    std::vector<RankedAllocation> largest;     // live at some instant of the range, biggest first
    std::vector<RankedAllocation> longestLived; // same set, longest lifetime first
    std::vector<ErrorCount> errorsByCode;       // errors and decode errors within the range, most frequent first
};

// `events` is collectSessionEvents() of the session (for errors by code); `range`
// unset means the whole session. topN bounds each ranking.
SessionStatistics computeSessionStatistics(const SessionModel& session, const std::vector<EventLogEntry>& events,
                                           std::optional<std::pair<std::int64_t, std::int64_t>> range,
                                           std::size_t topN = 20);

} // namespace flight
