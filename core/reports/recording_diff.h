// SPDX-License-Identifier: MIT
#pragma once
// `flight-inspector diff A B`: what changed between two recordings, session by
// session and purpose by purpose. Format-independent figures; the writers are
// in recording_diff_writers.h. GUI-free.
//
// Pairing: a session of A goes with the session of B that has the same
// sessionId (the first one not yet taken); the sessions left over on both sides
// are then paired in order (the first left of A with the first left of B, ...).
// Whatever is still left has no partner and is listed alone ("only in A/B").
//
// Figures of one session are over the whole session: per purpose its own peak,
// its time-weighted average (kPercentileSamples instants, as `report`), its
// bytes at the end and the number of allocations made; the same for used
// (peak, average, end) and all allocations. Changes are B - A (PurposeUsage
// arithmetic), relative changes are (B - A) / A, unset when A is 0.
// Budget verdicts: usage at peak against the shipped budget of each session's
// own platform (builtinBudgets), before (A) and after (B).

#include "budgets/budget.h"
#include "budgets/budget_verdict.h"
#include "model/purpose_usage.h"
#include "model/session_model.h"
#include "protocol/summary_json.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace flight::reports {

// One session's side of a diff.
struct DiffSessionFigures {
    std::string source;
    std::string sessionId;
    std::string platform;
    std::uint64_t peakBytes = 0;        // used
    std::uint64_t averageBytes = 0;     // used, time-weighted
    std::uint64_t endBytes = 0;         // used at the last event
    std::uint64_t allocations = 0;      // made in the session
    PurposeUsage peak;                  // each purpose's own peak
    PurposeUsage average;               // time-weighted
    PurposeUsage end;
    PurposeUsage allocationCounts;      // allocations made, by purpose
    std::optional<Budget> budget;       // the shipped budget of the platform, if any
    std::optional<BudgetVerdict> verdict; // at peak against it (verdict.budget is null: read budget)
};

struct DiffFigure {
    std::int64_t before = 0;            // A
    std::int64_t after = 0;             // B
    std::int64_t change = 0;            // after - before
    std::optional<double> percent;      // change / before * 100; unset when before is 0

    // Grows by more than pct percent, or from 0 to more than 0.
    bool growsMoreThan(double pct) const;
};
DiffFigure diffFigure(std::int64_t before, std::int64_t change);

struct PurposeDiff {
    MemoryPurpose purpose;
    DiffFigure peak;
    DiffFigure average;
    DiffFigure end;
    DiffFigure allocations;
};

enum class DiffPairing : std::uint8_t { SessionId, Order, OnlyInA, OnlyInB };
std::string_view toString(DiffPairing p); // "sessionId", "order", "onlyInA", "onlyInB"

struct SessionDiff {
    DiffPairing pairing = DiffPairing::SessionId;
    std::optional<DiffSessionFigures> a;
    std::optional<DiffSessionFigures> b;
    // B - A by purpose (a missing side counts as zero).
    PurposeUsage peakChange;
    PurposeUsage averageChange;
    PurposeUsage endChange;
    PurposeUsage allocationsChange;
    DiffFigure peak;                    // used
    DiffFigure average;
    DiffFigure end;
    DiffFigure allocations;
    std::vector<PurposeDiff> purposes;  // every purpose non-zero on either side, in id order

    bool paired() const { return a && b; }
};

struct RecordingDiff {
    std::vector<std::string> inputsA;
    std::vector<std::string> inputsB;
    std::vector<SessionDiff> sessions;  // pairs in A's order, then only-in-A, then only-in-B
};

DiffSessionFigures diffSessionFigures(const SessionModel& session, std::string source = {});
SessionDiff diffSessions(std::optional<DiffSessionFigures> a, std::optional<DiffSessionFigures> b, DiffPairing pairing);
// Every session of every source of A against B. The stores may go after this returns.
RecordingDiff diffRecordings(std::span<const protocol::SummarySource> a, std::span<const protocol::SummarySource> b);

struct PeakGrowth {
    std::string sessionId;              // B's
    MemoryPurpose purpose;
    DiffFigure peak;
};
// Purposes of paired sessions whose peak grows by more than pct percent (or
// from 0 to more than 0). Unpaired sessions are not counted.
std::vector<PeakGrowth> peakGrowth(const RecordingDiff& diff, double pct);

} // namespace flight::reports
