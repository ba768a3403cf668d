#pragma once
// How a LiveSession connects, records and publishes.

#include "live/live_connection.h"
#include "model/retention_policy.h"

#include <chrono>
#include <string>

namespace flight::live {

struct LiveSessionOptions {
    LiveConnectionOptions connection;          // url, token, backoff, size limit, trusted certificates
    std::string recordingPath;                 // empty: do not record
    bool compressRecording = false;            // zstd
    // Snapshots to the UI side, at most this often: 40 ms keeps send-to-screen p99 under
    // 50 ms (docs/performance.md, Live sessions) at 25 cheap, coalesced updates a second.
    std::chrono::milliseconds publishInterval{40};
    std::chrono::milliseconds flushInterval{250};   // recording flushIfDue timer
    // What the models keep in memory (the recording keeps everything), applied
    // on the worker thread every compactInterval (0: fullDetail / 8, within 1..60 s).
    RetentionPolicy retention;
    std::chrono::milliseconds compactInterval{0};
};

} // namespace flight::live
