// SPDX-License-Identifier: MIT
#pragma once
// Does a session's usage fit a budget? Per purpose and in total, with the
// headroom (negative when over). Usage is taken at one point of the session:
// its end, its peak, or its 95th percentile.
//
// - End: usage by purpose when the session ends (or now, while live); total = used.
// - Peak: each purpose at its own peak, and total = the peak of used (the sum of
//   per-purpose peaks can exceed it: they need not coincide).
// - P95: time-weighted 95th percentile of each purpose and of used, from the
//   series sampled at kPercentileSamples evenly spaced instants.

#include "budget.h"

#include "model/purpose_usage.h"
#include "model/session_model.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace flight {

enum class UsagePoint : std::uint8_t { End, Peak, P95 };
std::string_view toString(UsagePoint p);
std::optional<UsagePoint> usagePointFromString(std::string_view text); // "end", "peak", "p95"

inline constexpr int kPercentileSamples = 2000;

struct SessionUsage {
    PurposeUsage byPurpose;
    std::uint64_t totalBytes = 0;
    // SessionModel::overflowErrors(): changes left out for passing 2^63-1
    // bytes. Non-zero: the figures above are not the session's real usage.
    std::uint64_t overflowErrors = 0;
};

// Over [fromMs, toMs] when given (a selected range), else the whole session.
SessionUsage sessionUsage(const SessionModel& session, UsagePoint at, std::optional<std::int64_t> fromMs = {},
                          std::optional<std::int64_t> toMs = {});

struct PurposeVerdict {
    MemoryPurpose purpose;
    std::uint64_t usedBytes = 0;
    std::optional<std::uint64_t> budgetBytes; // none: this budget does not limit the purpose
    std::int64_t headroomBytes = 0;           // budget - used (0 when no budget)
    bool fits = true;
};

struct BudgetVerdict {
    const Budget* budget = nullptr;
    std::uint64_t usedBytes = 0;
    std::int64_t headroomBytes = 0;           // budget total - used
    bool totalFits = true;
    // The session's totals overflowed (SessionUsage::overflowErrors): it
    // never fits, whatever the figures say (totalFits and fits are false).
    bool overflowed = false;
    bool fits = true;                         // total and every purpose, and not overflowed
    std::vector<PurposeVerdict> purposes;     // every purpose used or budgeted
};

BudgetVerdict evaluateBudget(const SessionUsage& usage, const Budget& budget);

} // namespace flight
