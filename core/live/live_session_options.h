#pragma once
// How a LiveSession connects, records and publishes.

#include "live/live_connection.h"

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
};

} // namespace flight::live
