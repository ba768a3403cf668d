// SPDX-License-Identifier: MIT
#pragma once
// Opening any file the inspector reads: a Flight recording through
// loadRecording, or a heaptrack or massif file (recognised by its first line,
// protocol::recordingKindOf) imported into the store as one session whose
// allocations get purposes from the rules. Malformed lines of an imported
// file are the store's decode errors ("line 12: ..."), like a recording's.

#include "import/purpose_rules.h"
#include "protocol/recording_content.h"
#include "protocol/session_store.h"

#include <string>

namespace flight::import {

// What the store holds after importing (nullopt for a Flight recording):
// a one-line summary, also added to the store as a note, with the rule
// coverage ("purpose rules classified 93.1 % of the bytes allocated").
struct ImportSummary {
    protocol::RecordingKind kind = protocol::RecordingKind::Flight;
    std::uint64_t allocations = 0;      // heaptrack
    std::uint64_t frees = 0;            // heaptrack
    std::uint64_t snapshots = 0;        // massif
    std::uint64_t peakBytes = 0;
    std::uint64_t coveredBytes = 0;     // the bytes the coverage is of (heaptrack: allocated; massif: at the peak detailed snapshot)
    std::uint64_t classifiedBytes = 0;
    double coveragePercent() const
    {
        return coveredBytes ? 100.0 * static_cast<double>(classifiedBytes) / static_cast<double>(coveredBytes) : 100.0;
    }
    std::string text;
};

// `rules` may be empty (everything unclassified). The summary, when the file
// was imported, goes to *summary.
protocol::RecordingReadResult loadAnyRecording(const std::string& path, protocol::SessionStore& store,
                                               const PurposeRules& rules,
                                               const protocol::RecordingReadOptions& options = {},
                                               ImportSummary* summary = nullptr);

} // namespace flight::import
