// SPDX-License-Identifier: MIT
#pragma once
// What a load hands to the UI thread: the file's sessions, already decoded,
// at one of three stages (a preview while the file is read, the whole file
// with what the timeline needs, then everything). The UI only reads it;
// nothing mutates it after it is handed over.

#include "reports/session_analytics.h"
#include "protocol/recording_reader.h"
#include "protocol/session_store.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace flight::ui {

enum class LoadStage : std::uint8_t {
    Preview,  // a copy of what was read so far; the load goes on (loadedFraction)
    Timeline, // the whole file: sessions, pyramids and pressure durations; no rows or events yet
    Complete, // everything, analytics included
};

struct LoadedRecording {
    QString path;
    // The Timeline and Complete stages of one load share it (a preview has its own copy).
    std::shared_ptr<protocol::SessionStore> store;
    protocol::RecordingReadResult read; // Preview: empty (the read goes on)
    std::vector<SessionAnalytics> analytics; // one per store session, same order
    LoadStage stage = LoadStage::Complete;
    double loadedFraction = 1.0; // Preview: share of the file's bytes read when it was taken
    // Preview: drawn from the format-2 file's usage summary (the whole range, coarse), not a part read.
    bool fromSummary = false;
    // The same for every stage of one file's load (RecordingLoader); 0 when not from a loader.
    quint64 loadId = 0;
    // Worker thread CPU time spent building this stage once read (a preview: the
    // copy and its pyramids; Timeline: the pyramids; Complete: rows and events), in ms.
    double buildMs = 0;
};

using LoadedRecordingPtr = std::shared_ptr<const LoadedRecording>;

} // namespace flight::ui

Q_DECLARE_METATYPE(flight::ui::LoadedRecordingPtr)
