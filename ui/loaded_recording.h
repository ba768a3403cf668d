#pragma once
// What a finished load hands to the UI thread: the file's sessions, already
// decoded. The UI only reads it; nothing mutates it after the load.

#include "session_analytics.h"

#include "protocol/recording_reader.h"
#include "protocol/session_store.h"

#include <QMetaType>
#include <QString>

#include <memory>
#include <vector>

namespace flight::ui {

struct LoadedRecording {
    QString path;
    std::unique_ptr<protocol::SessionStore> store;
    protocol::RecordingReadResult read;
    std::vector<SessionAnalytics> analytics; // one per store session, same order
};

using LoadedRecordingPtr = std::shared_ptr<const LoadedRecording>;

} // namespace flight::ui

Q_DECLARE_METATYPE(flight::ui::LoadedRecordingPtr)
