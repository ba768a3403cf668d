// SPDX-License-Identifier: MIT
#pragma once
// Filtering and sorting a session's allocations for the table, as a pure
// function over a compact copy of the rows, so it runs on a worker thread and
// a million rows never freeze the UI.

#include "model/session_model.h"

#include <QString>

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace flight {

// One allocation as the table needs it: 32 bytes, no strings.
struct AllocationRow {
    std::uint64_t bytes = 0;
    std::int64_t allocatedAt = 0;
    std::int64_t freedAt = std::numeric_limits<std::int64_t>::max(); // max: live at the end
    std::uint32_t index = 0;  // SessionModel::allocation(index)
    std::uint16_t purpose = 0;

    bool freed() const { return freedAt != std::numeric_limits<std::int64_t>::max(); }
};

// Every allocation of the session in creation order; O(allocations), worker thread.
std::vector<AllocationRow> buildAllocationRows(const SessionModel& session);

enum class AllocationColumn { Id, Purpose, Size, AllocatedAt, FreedAt, Lifetime, State, Count };

struct AllocationFilter {
    enum class Mode { All, LiveAt, LeakCandidates };
    Mode mode = Mode::All;
    std::int64_t atMs = 0;                       // LiveAt: allocated at or before, not freed by then
    std::int64_t fromMs = 0;                     // LeakCandidates: isLeakCandidate (leak_candidates.h)
    std::int64_t toMs = 0;
    std::optional<std::uint16_t> purpose;        // one purpose, or all
    QString text;                                // id contains (case-insensitive)
};

struct AllocationQueryResult {
    std::vector<std::uint32_t> rows;             // positions into the AllocationRow vector, sorted
    PurposeUsage totals;                          // bytes by purpose over the matching rows
    std::uint64_t totalBytes = 0;
};

AllocationQueryResult runAllocationQuery(const std::vector<AllocationRow>& rows, const SessionModel& session,
                                         const AllocationFilter& filter, AllocationColumn sortColumn,
                                         bool ascending);

} // namespace flight
