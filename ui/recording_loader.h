#pragma once
// Loads recordings on a worker thread, hotspot-style: one typed signal per
// result, throttled progress, and a generation number so that a result for a
// load the user has since replaced or cancelled is dropped, never shown.

#include "loaded_recording.h"

#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

namespace flight::ui {

class RecordingLoader : public QObject {
    Q_OBJECT
public:
    explicit RecordingLoader(QObject* parent = nullptr);
    ~RecordingLoader() override;

    // Starts loading `paths` (each its own recording), cancelling any load in flight.
    void load(const QStringList& paths);
    void cancel();
    bool isLoading() const { return m_pending > 0; }

Q_SIGNALS:
    void started(const QStringList& paths);
    void progressChanged(double fraction); // 0..1 over all files, at most ~20 times a second
    void recordingLoaded(const flight::ui::LoadedRecordingPtr& recording);
    void loadFailed(const QString& path, const QString& reason);
    void finished(); // every file of the current load has reported

private:
    struct Job;
    void finishOne(quint64 generation);

    quint64 m_generation = 0;
    int m_pending = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace flight::ui
