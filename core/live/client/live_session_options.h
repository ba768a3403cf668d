// SPDX-License-Identifier: MIT
#pragma once
// How a LiveSession connects, records and publishes.

#include "live/client/live_connection.h"
#include "model/retention_policy.h"
#include "protocol/recording_writer.h"

#include <chrono>
#include <cstddef>
#include <string>

namespace flight::live {

struct LiveSessionOptions {
    LiveConnectionOptions connection;          // url, token, backoff, size limit, trusted certificates
    std::string recordingPath;                 // empty: do not record
    // Format 2 (docs/recordings.md) by default; JSON Lines, zstd with compressRecording.
    protocol::RecordingFormat recordingFormat = protocol::RecordingFormat::Compact;
    bool compressRecording = false;            // zstd (JSON Lines)
    // Snapshots to the UI side, at most this often: 40 ms keeps send-to-screen p99 under
    // 50 ms (docs/performance.md, Live sessions) at 25 cheap, coalesced updates a second.
    std::chrono::milliseconds publishInterval{40};
    std::chrono::milliseconds flushInterval{250};   // recording flushIfDue timer
    // What the models keep in memory (the recording keeps everything), applied
    // on the worker thread every compactInterval (0: fullDetail / 8, within 1..60 s).
    RetentionPolicy retention;
    std::chrono::milliseconds compactInterval{0};
    // Ended sessions kept in the store (the models): beyond this many, the
    // ones that ended first are dropped from memory and counted
    // (LiveStats::endedSessionsDropped); sessions that have not ended are
    // never dropped, and the recording keeps everything. A producer of short
    // sessions (the demo starts one every 12,000 messages) thus does not grow
    // the client without bound. SIZE_MAX keeps them all.
    std::size_t maxEndedSessions = 100;
};

} // namespace flight::live
