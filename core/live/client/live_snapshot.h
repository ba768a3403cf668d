// SPDX-License-Identifier: MIT
#pragma once
// What the UI side of a LiveSession sees: plain values, copied out of the
// worker thread every publish interval (40 ms by default). No pointer into
// the worker's SessionStore; safe to keep and to pass between threads.

#include "live/client/connection_state.h"
#include "model/memory_pressure.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flight::live {

struct LiveSessionFigures {
    std::string sessionId;
    std::string platform;
    std::string label;
    std::uint64_t totalBytes = 0;
    std::uint64_t usedBytes = 0;
    std::uint64_t trackedBytes = 0;
    std::uint64_t peakBytes = 0;
    MemoryPressure pressure = MemoryPressure::Low;           // computed
    std::optional<MemoryPressure> reportedPressure;          // the producer's own, if any
    std::vector<std::pair<std::string, std::uint64_t>> trackedByPurpose; // canonical purpose name, bytes (non-zero only)
    std::uint64_t activeAllocations = 0;
    std::uint64_t totalAllocations = 0;
    std::uint64_t freedAllocations = 0;
    std::uint64_t markers = 0;
    std::uint64_t events = 0;                                // session events (errors, crossings)
    bool ended = false;
    std::int64_t lastMs = 0;
    // Bounded memory: full detail from here on (0: all of it), history buckets before.
    std::int64_t fullDetailFromMs = 0;
    std::int64_t historyResolutionMs = 0;
    std::uint64_t allocationsDropped = 0;  // freed before the window, counted in the totals
    // Its producer went away without ending it (the producer restarted: a new
    // instance, see LiveWorker): wall-clock ms since then; 0 while it may go on.
    std::int64_t producerGoneSinceMs = 0;
    // A restarted producer's session that reuses an earlier session's id: kept
    // apart as "<continues>~<run>" (run 2, 3, ...); empty and 1 otherwise.
    std::string continues;
    std::uint32_t run = 1;
};

struct LiveStats {
    ConnectionState state = ConnectionState::Closed;
    QString stateText;                 // redacted: no token, no URL credentials
    QString url;                       // redacted
    std::uint64_t framesReceived = 0;  // every frame the socket delivered (none is dropped)
    std::uint64_t bytesReceived = 0;
    std::uint64_t messagesApplied = 0; // by the store (duplicates excluded)
    std::uint64_t decodeErrors = 0;
    std::uint64_t sessionErrors = 0;
    std::uint64_t warnings = 0;
    std::uint64_t duplicatesDropped = 0;
    std::uint64_t seqGaps = 0;         // messages missing according to seq
    std::uint64_t seqOutOfOrder = 0;   // applied although a higher seq came first (a jump, then on from below)
    std::uint64_t oversizedRefused = 0;
    std::uint64_t attempts = 0;
    std::uint64_t connects = 0;
    std::uint64_t reconnects = 0;
    std::uint64_t recordedMessages = 0;
    std::string recordingError;         // empty while the recording is fine
    std::uint64_t snapshotsPublished = 0;  // by the worker
    std::uint64_t snapshotsCoalesced = 0;  // replaced before the UI side took them
    std::uint64_t framesCoalesced = 0;     // frames whose own snapshot was replaced (their effect is in a later one)
    std::string retention;                 // RetentionPolicy::describe()
    std::uint64_t compactions = 0;         // compaction passes that changed something
    double lastCompactionMs = 0.0;         // how long the last one held the worker
    std::uint64_t endedSessionsDropped = 0; // ended sessions dropped from memory (LiveSessionOptions::maxEndedSessions)
    std::uint64_t producerRestarts = 0;    // hellos naming a new producer instance: the held seqs were reset
    std::string producerInstance;          // the producer's instance id from its hello (empty: it sends none)
    std::int64_t disconnectedSinceMs = 0;  // wall-clock ms the link went down; 0 while connected (or not yet)
};

struct LiveSnapshot {
    std::uint64_t sequence = 0;         // rises by one per published snapshot
    std::vector<LiveSessionFigures> sessions; // creation order
    LiveStats stats;
};

} // namespace flight::live

Q_DECLARE_METATYPE(flight::live::LiveSnapshot)
