// SPDX-License-Identifier: MIT
#pragma once
// Every figure of `flight-inspector report`, collected once into plain structs
// so the HTML, Markdown, CSV, JSON and PDF writers only format. GUI-free.
//
// A report covers every session of every input. With a range (seconds from
// each session's first event), every figure below except the whole-session
// ones marked "whole" is taken over that range.

#include "analytics/pressure_changes.h"
#include "budgets/budget.h"
#include "budgets/budget_verdict.h"
#include "model/memory_pressure.h"
#include "model/memory_records.h"
#include "model/memory_size.h"
#include "model/session_model.h"
#include "protocol/summary_json.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace flight::reports {

inline constexpr std::size_t kTopAllocations = 20;

struct ReportOptions {
    std::optional<std::string> platform;   // only this platform's budgets (and highlighted)
    std::vector<Budget> userBudgets;       // from --budgets files
    std::optional<double> rangeFromSeconds; // from each session's first event
    std::optional<double> rangeToSeconds;
    UsagePoint at = UsagePoint::Peak;      // usage compared with budgets
};

struct PurposeFigures {
    MemoryPurpose purpose;
    std::uint64_t endBytes = 0;      // at the range end
    std::uint64_t peakBytes = 0;     // its own peak in the range
    std::uint64_t averageBytes = 0;  // time-weighted (kPercentileSamples instants)
    std::uint64_t p95Bytes = 0;
};

struct LimitCrossing {
    std::int64_t timeMs = 0;
    bool hard = false;               // else soft
};

struct VerdictFigures {
    Budget budget;                   // a copy; read this, not verdict.budget (null)
    BudgetVerdict verdict;
    bool highlighted = false;        // the --platform's or the session's own platform
};

// The purposes over their own budget and by how much, the largest first:
// "asset-cache by 12.3MB, temporary by 1.0KB"; empty when every purpose fits
// (the total may not). Past `most` purposes the rest are counted: "(+3 more)".
std::string overInText(const BudgetVerdict& verdict, std::size_t most = SIZE_MAX, ByteUnits units = ByteUnits::Protocol);

struct SessionReport {
    std::string source;              // the input it came from
    const SessionModel* model = nullptr;
    std::string sessionId;
    std::string platform;
    std::uint64_t totalBytes = 0;
    std::int64_t firstMs = 0;        // whole session
    std::int64_t lastMs = 0;
    std::int64_t fromMs = 0;         // the range reported
    std::int64_t toMs = 0;
    std::uint64_t endBytes = 0;      // used at toMs
    std::uint64_t peakBytes = 0;
    std::int64_t peakAtMs = 0;
    std::uint64_t averageBytes = 0;  // time-weighted
    std::uint64_t p95Bytes = 0;      // time-weighted 95th percentile
    MemoryPressure endPressure = MemoryPressure::Low;
    std::array<std::int64_t, kPressureLevelCount> pressureMs{}; // time at each level in the range
    std::optional<MemoryLimits> limits;
    std::vector<LimitCrossing> crossings;
    std::vector<PressureChange> pressureChanges; // starting in the range, bursts folded as in the Events view
    std::vector<PurposeFigures> purposes; // every purpose holding bytes in the range
    std::vector<VerdictFigures> verdicts;
    std::vector<MemoryAllocation> largestAllocations; // live at some instant of the range, largest first
    std::vector<MemoryAllocation> leakCandidates;     // isLeakCandidate (leak_candidates.h), largest first
    std::uint64_t leakCandidateCount = 0;             // all of them (the list holds kTopAllocations)
    std::uint64_t leakCandidateBytes = 0;
    std::map<std::string, std::uint64_t> errorsByCode; // operation + reported errors, by code
    std::vector<Marker> markers;                       // in the range
    std::uint64_t allocationsInRange = 0;
    std::uint64_t freesInRange = 0;
    // A session imported from heaptrack or massif (core/import) or traced by
    // `flight-agent run`: the share of its bytes a tag or purpose rule
    // classified, in percent (with allocations: of all bytes allocated;
    // massif's samples only: of the bytes at the peak). nullopt for other
    // Flight recordings.
    std::optional<double> ruleCoveragePercent;

    std::int64_t durationMs() const { return toMs - fromMs; }
    // For titles: the platform, or "no platform" when the producer named none.
    std::string platformText() const { return platform.empty() ? std::string("no platform") : platform; }
};

struct ProblemLine {
    std::string source;
    std::uint64_t line = 0;
    std::string kind;                // "decode", "session"
    std::string message;
};

struct ReportData {
    std::vector<std::string> inputs;
    std::vector<SessionReport> sessions;
    std::uint64_t decodeErrors = 0;
    std::uint64_t sessionErrors = 0;
    std::uint64_t warnings = 0;
    std::vector<ProblemLine> problems; // decode and session errors, by input then line
    std::optional<std::string> platform;
    UsagePoint at = UsagePoint::Peak;
    bool ranged = false;
    double rangeFromSeconds = 0;
    double rangeToSeconds = 0;
};

// Reads every figure of every session. The sources (and their stores) must
// outlive the result: SessionReport::model points into them.
ReportData collectReport(std::span<const protocol::SummarySource> sources, const ReportOptions& options);

// One session (tests, `--chart` of a single session).
SessionReport collectSession(const SessionModel& session, const ReportOptions& options, std::string source = {});

// "--range 10..60" (seconds; either side may be empty: "..60", "10..").
// Error malformed-input, its message for the user, when it does not parse or T1 <= T0.
Result<std::pair<std::optional<double>, std::optional<double>>> parseRange(std::string_view text);

// "soft ×8 (first at 66.6 s), hard ×1 (first at 110.9 s)", or "none".
std::string crossingsText(const SessionReport& session);

// "10..60 s", "10.. s", "whole session".
std::string reportRangeText(const ReportData& data);

// The purposes worth a column or a colour: every purpose with bytes in any session, in id order.
std::vector<MemoryPurpose> reportPurposes(const ReportData& data);

} // namespace flight::reports
