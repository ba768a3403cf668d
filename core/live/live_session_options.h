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
    std::chrono::milliseconds publishInterval{100}; // snapshots to the UI side, at most this often
    std::chrono::milliseconds flushInterval{250};   // recording flushIfDue timer
};

} // namespace flight::live
