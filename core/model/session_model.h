// SPDX-License-Identifier: MIT
#pragma once
// What one session did, in time order: what producers observed, recorded.
//
// `record*` applies what a producer observed (it happened, so it is kept even
// above a limit; crossings become events). The memory-operations of
// flight:memory@1.0.0, which validate first and refuse, are MemoryOperations
// (memory_operations.h); its memory-analytics are MemoryAnalytics
// (model/memory_analytics.h); the text report is reports::textReport.
// Times are ms since the Unix epoch. A time earlier than the last one is kept
// as the last one (the timeline stays ordered) and flagged as an event.
//
// Time queries (usageAt, rangeSummary, ...) are O(log n + checkpoint interval),
// never a replay from the start. Memory cost per allocation: see
// kBytesPerAllocation (the record, its id-index slots and its id text).

#include "allocation_record.h"
#include "checked_bytes.h"
#include "id_lookahead.h"
#include "id_hash.h"
#include "memory_error.h"
#include "memory_pressure.h"
#include "memory_purpose.h"
#include "memory_records.h"
#include "purpose_usage.h"
#include "retention_policy.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flight {

struct SessionInfo {
    std::string sessionId;
    std::string platform;          // profile id; "custom" or any name with totalBytes
    std::string label;
    std::uint64_t totalBytes = 0;  // 0 = unknown (pressure then stays low)
    PressureThresholds thresholds;
    std::int64_t startedAt = 0;
};

enum class SessionEventKind : std::uint8_t {
    OperationError,    // memory-operations error raised by the model (code set)
    ReportedError,     // memory-error sent by the producer (code set)
    SoftLimitCrossed,  // used went above the soft limit
    HardLimitCrossed,  // used went above the hard limit
    TimeWentBackwards, // a timestamp earlier than the previous one, clamped
};

struct SessionEvent {
    SessionEventKind kind;
    std::int64_t timeMs = 0;
    MemoryError error;             // code/message/details; for crossings the code is limit-exceeded
};

struct Marker {
    std::int64_t timeMs = 0;
    std::string label;
};

// A usage sample as reported by the producer (memory_update).
struct ReportedSample {
    std::int64_t timeMs = 0;
    std::uint64_t usedBytes = 0;
    std::uint64_t totalBytes = 0;
    std::optional<MemoryPressure> reportedPressure;
    double fragmentationRatio = 0.0;
};

struct RangeSummary {
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    PurposeUsage atStart;          // tracked per purpose at fromMs
    PurposeUsage atEnd;            // tracked per purpose at toMs
    PurposeUsage peakByPurpose;    // each purpose's own maximum in the range
    std::uint64_t peakUsedBytes = 0;
    std::int64_t peakUsedAtMs = 0;
    std::uint64_t averageUsedBytes = 0; // time-weighted
    std::uint64_t allocationsInRange = 0; // allocated within [from, to]
    std::uint64_t freesInRange = 0;
};

class SessionModel {
public:
    // Bytes the model keeps per allocation, excluding its id text: the 32-byte
    // record (arrays grow by 1/8, so up to ~4 bytes of slack), while live its
    // slot in the index of live ids (8 bytes, load 1/2..3/4, so ~11-16), 4
    // bytes per time-index event (its allocation and its free, + 1/8 slack)
    // and a share of the checkpoints (~1 byte per event). The table of every id
    // ever (5.33 bytes a slot, load 3/8..3/4, so ~7-14) is only built once a
    // free names an id that is not live. Measured at 1M allocations
    // (session_timeline_test.cpp, MemoryPerAllocation): ~55 while live, ~48
    // once freed, ~64 / ~56 with the table built. The id text is stored once in
    // an arena (grown by 1/8).
    static constexpr std::size_t kBytesPerAllocation = 64;

    explicit SessionModel(SessionInfo info);
    ~SessionModel();
    SessionModel(SessionModel&&) noexcept;
    SessionModel& operator=(SessionModel&&) noexcept;

    const SessionInfo& info() const;
    void setTotalBytes(std::uint64_t total);
    void setPlatform(std::string platform);
    void setThresholds(PressureThresholds t);
    void setEnded(std::int64_t atMs);
    std::optional<std::int64_t> endedAt() const;

    // --- observed events -------------------------------------------------
    // Errors: invalid-size (0 bytes, or bytes that would take used, tracked or
    // the purpose's level past 2^63-1: checked_bytes.h, counted in
    // overflowErrors()), invalid-allocation (id live already).
    // The error is also kept as an OperationError event.
    Result<void> recordAllocation(std::string_view id, std::uint64_t bytes, MemoryPurpose purpose,
                                  std::int64_t atMs, std::optional<std::int64_t> freedAtMs = std::nullopt);
    // Errors: invalid-allocation (unknown id), already-freed, invalid-size (a
    // level would pass -(2^63-1): only after samples set levels below live allocations).
    Result<void> recordFree(std::string_view id, std::int64_t atMs);
    // The same with the id already hashed (id.key == hashId(id.text)).
    Result<void> recordAllocation(HashedId id, std::uint64_t bytes, MemoryPurpose purpose, std::int64_t atMs,
                                  std::optional<std::int64_t> freedAtMs = std::nullopt);
    Result<void> recordFree(HashedId id, std::int64_t atMs);
    // A hint for bulk loading, no effect on the model: start fetching what
    // events naming the ids hashed to these keys a few events from now will
    // touch. Stage 0 (keys[0]): the slot in the index of live ids; stage 1 (an
    // event later): the allocation record found there; stage 2: the record's
    // id text. A stage without a key is skipped. See loadRecording.
    void prefetchIds(const std::array<std::optional<std::uint64_t>, 3>& keys) const;
    // The same stages one at a time, inline (id_lookahead.h): for a loop that
    // applies a run of events to this model. Valid as long as the model is.
    IdLookahead lookahead() const;
    // A memory_update. Untracked bytes become max(0, usedBytes - tracked) and stay
    // so until the next sample; a non-zero totalBytes becomes the session total.
    // byPurpose, when given, sets purposes' tracked levels (for producers that
    // sample totals instead of sending allocations): every non-zero entry, and
    // every purpose an earlier sample set (absent or 0 now means 0).
    // Error invalid-size (nothing applied, counted in overflowErrors()): used,
    // a level or the tracked sum above 2^63-1 bytes; a negative level is taken
    // as a size above 2^63-1 that wrapped to int64.
    Result<void> recordSample(const ReportedSample& sample, const PurposeUsage* byPurpose = nullptr);
    // atMs 0 means "now" (a limits message carries no time). New limits are
    // checked against used at once: being above them is a crossing event.
    void recordLimits(const MemoryLimits& limits, std::int64_t atMs);
    void recordReportedError(const MemoryError& error);
    void addMarker(std::int64_t atMs, std::string label);

    // A memory-operation refused (MemoryOperations): kept as an OperationError
    // event at atMs (clamped and flagged like any time); returns `error` with that time.
    MemoryError recordOperationError(MemoryError error, std::int64_t atMs);
    std::optional<MemoryLimits> limits() const;

    // --- now ---------------------------------------------------------------
    MemoryUsageSnapshot snapshot() const;
    std::uint64_t usedBytes() const;      // tracked + untracked
    std::uint64_t trackedBytes() const;
    std::uint64_t untrackedBytes() const; // reported used above tracked, from the last sample
    std::uint64_t peakBytes() const;
    PurposeUsage usage() const;
    MemoryPressure pressure() const;      // computed
    std::optional<MemoryPressure> reportedPressure() const;
    // Changes refused because a level would pass 2^63-1 bytes (checked_bytes.h):
    // the session's figures leave out what they asked for, so no budget
    // verdict may call it a fit (budget_verdict.h).
    std::uint64_t overflowErrors() const;
    bool softLimitExceeded() const;       // ever
    bool hardLimitExceeded() const;       // ever
    std::int64_t firstMs() const;
    std::int64_t lastMs() const;

    // --- any instant / range -----------------------------------------------
    PurposeUsage usageAt(std::int64_t t) const;   // tracked per purpose after every event at or before t
    std::uint64_t usedAt(std::int64_t t) const;
    MemoryPressure pressureAt(std::int64_t t) const; // used at t against today's total and thresholds
    MemoryUsageSnapshot snapshotAt(std::int64_t t) const;
    RangeSummary rangeSummary(std::int64_t fromMs, std::int64_t toMs) const;

    // --- allocations ---------------------------------------------------------
    std::vector<MemoryAllocation> listAllocations() const;          // live now
    std::vector<MemoryAllocation> listAllocationsAt(std::int64_t t) const; // live at t
    // Held: every allocation ever made, less the freed ones compactHistory dropped.
    std::size_t allocationCount() const;
    MemoryAllocation allocation(std::size_t index) const;             // 0..allocationCount()-1, creation order
    // The same allocation as kept (32 bytes, no strings): for passes over every
    // allocation, ~50x cheaper than allocation(). index < allocationCount().
    const AllocationRecord& allocationRecord(std::size_t index) const;

    // --- totals (for MemoryAnalytics) -----------------------------------------
    // Frees applied to the allocations held (compactHistory's dropped ones are in retention()).
    std::uint64_t freesHeld() const;
    // The sizes of every allocation ever made, summed (up to 2^30 sizes of up to 2^63: 128 bits).
    WideUBytes allocatedBytesEver() const;

    // --- events --------------------------------------------------------------
    const std::vector<SessionEvent>& events() const;
    const std::vector<Marker>& markers() const;
    const std::vector<ReportedSample>& samples() const;
    std::vector<MemoryErrorCode> reportedErrorCodes() const;

    // Heap bytes the model holds now (for the memory-per-allocation figures).
    std::size_t memoryFootprint() const;

    // Every change of used in (from, to], in time order: (time, used after it).
    // For building summaries such as the timeline's min/max pyramid; O(events in range).
    void forEachUsedChange(std::int64_t from, std::int64_t to,
                           const std::function<void(std::int64_t, std::uint64_t)>& f) const;
    // The same changes with the usage by purpose after each (for the pyramid's stack snapshots).
    void forEachUsageChange(std::int64_t from, std::int64_t to,
                            const std::function<void(std::int64_t, std::uint64_t, const PurposeUsage&)>& f) const;
    // The changes from the `first`-th on (0-based, of timelineEventCount()), each event
    // once: an incremental reader's next part (UsagePyramid::append, live views).
    void forEachUsageChangeFrom(std::size_t first,
                                const std::function<void(std::int64_t, std::uint64_t, const PurposeUsage&)>& f) const;
    std::size_t timelineEventCount() const;

    // --- bounded memory (retention_policy.h) ---------------------------------
    // Keeps full detail from nowMs - policy.fullDetail on (nowMs: the stream's
    // latest time, lastMs() when unset) and a downsampled history before it; a
    // session whose last event is older than that becomes all history (its
    // state at the end stays exact). A no-op when the window's start has not
    // moved past the last compaction's. O(events + allocations held). Totals,
    // peak and every figure at or after the window's start stay as they were.
    CompactionResult compactHistory(const RetentionPolicy& policy, std::optional<std::int64_t> nowMs = std::nullopt);
    const RetentionState& retention() const;
    // An independent copy (for a view that reads while this one goes on).
    SessionModel clone() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight
