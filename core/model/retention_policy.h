// SPDX-License-Identifier: MIT
#pragma once
// How much of a long (live) session the model keeps in memory. The recording
// on disk keeps everything; this only bounds the model.
//
// Full detail for the last `fullDetail` (every allocation, freed ones too,
// every usage change, sample, event and marker), but never more than
// `maxFullDetailEvents` usage changes of a session: at a busy producer's rate
// the window is shorter (20,000 msg/s: 100 s), so that memory stays bounded
// by the rate as well as by time. Before that, the history:
//   - usage (per purpose, untracked, used) downsampled to buckets of
//     `historyResolution`, each bucket keeping the states at its lowest and
//     highest `used` and at its end, at their own times (peaks survive); when
//     the history spans more than `maxHistoryBuckets` buckets the resolution
//     doubles until it fits, so the history is bounded however long the session;
//   - freed allocations dropped (counted: totals, averages, frees stay exact);
//     allocations still live are always kept, whenever they were made;
//   - samples: the last one of each bucket; events and markers: the newest
//     `maxHistoryEntries` of each.
// Exact whatever the policy: peak, allocation totals, everything at or after
// the full-detail window's start (usage, summaries within the window, lists).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace flight {

struct RetentionPolicy {
    bool enabled = true;
    std::chrono::milliseconds fullDetail{std::chrono::minutes(10)};
    std::size_t maxFullDetailEvents = 2'000'000; // per session; 0: bounded by time only
    std::chrono::milliseconds historyResolution{std::chrono::seconds(1)};
    std::size_t maxHistoryBuckets = 4096;
    std::size_t maxHistoryEntries = 1000;

    // The bucket width for a history of `spanMs`: historyResolution doubled
    // until the span fits in maxHistoryBuckets.
    std::int64_t resolutionFor(std::int64_t spanMs) const;
    // One line for the UI and logs, e.g. "full detail for the last 10 min
    // (at most 2000000 changes), 1 s resolution before" ("all detail kept" when disabled).
    std::string describe() const;
};

// What one compaction did (SessionModel::compactHistory).
struct CompactionResult {
    bool compacted = false;              // false: nothing was old enough
    std::int64_t fullDetailFromMs = 0;   // the window's start after it
    std::int64_t resolutionMs = 0;       // the history's bucket width
    std::size_t timelineEventsBefore = 0;
    std::size_t timelineEventsAfter = 0;
    std::size_t allocationsDropped = 0;  // freed before the window
    std::size_t samplesDropped = 0;
    std::size_t eventsDropped = 0;
    std::size_t markersDropped = 0;
};

// Figures in the model about what earlier compactions did.
struct RetentionState {
    std::int64_t fullDetailFromMs = 0;   // 0: never compacted (all detail)
    std::int64_t resolutionMs = 0;       // history bucket width, 0 when none
    std::uint64_t allocationsDropped = 0;
    std::uint64_t samplesDropped = 0;
    std::uint64_t eventsDropped = 0;
    std::uint64_t markersDropped = 0;
    std::uint64_t compactions = 0;
};

} // namespace flight
