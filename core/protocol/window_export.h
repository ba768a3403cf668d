// SPDX-License-Identifier: MIT
#pragma once
// "Save the last N minutes": the recent window of every session in a store,
// written as a recording (protocol.md section 5) that loads to the same state.
//
// For each session with data in the window [from, now] (now = the latest
// lastMs in the store; from = now - window, moved later to the session's
// full-detail start when a retention policy has compacted what came before):
//   - session_started at `from` (platform, label, total, current limits);
//   - an allocation message at `from` for every allocation live just before
//     `from` (synthesized: its original time is not in the file; its id, size
//     and purpose are), so the file starts in the state the session was in;
//   - a memory_update at `from` when untracked bytes or sampled purpose levels
//     were non-zero then;
//   - then, in time order, every allocation made and every free in the window,
//     each memory_update (carrying the model's used and sampled purpose
//     levels at its instant, so the loaded state is the same even when a
//     sample and allocations share a millisecond), marker and reported error;
//     session_ended when the session has ended.
// Loaded with loadRecording, usage at and after `from` (per purpose, used,
// summaries, live allocations) equals the source model's.

#include "model/memory_error.h"
#include "protocol/recording_writer.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace flight::protocol {

class SessionStore;

struct WindowExportSummary {
    std::size_t sessions = 0;          // written
    std::uint64_t messages = 0;        // after the header
    std::int64_t fromMs = 0;           // the earliest window start written
    std::int64_t toMs = 0;             // now
    bool clamped = false;              // some session's window began later (compacted before)
};

Result<WindowExportSummary> exportRecentWindow(const SessionStore& store, std::chrono::milliseconds window,
                                               const std::string& path, RecordingWriterOptions options = {});

} // namespace flight::protocol
