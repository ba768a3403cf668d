// SPDX-License-Identifier: MIT
#pragma once
// Loads recordings on a worker thread, hotspot-style: one typed signal per
// result, throttled progress, and a generation number so that a result for a
// load the user has since replaced or cancelled is dropped, never shown.
// Per file, in this order: summaryReady (a format-2 file with a usage
// summary, before any block is read; then no previews), previewReady (long
// reads only, a few times at most), timelineReady as soon as the whole file is read and its timeline
// figures exist, then recordingLoaded with everything (or loadFailed).

#include "loaded_recording.h"

#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

namespace flight::ui {

// When to take a preview of a file still being read: the first after
// firstAfterMs of reading, each later one once the read has taken three times as
// long as at the one before (so copies cost a bounded share of the load), at
// most maxPreviews, never when the rest should take less than minRemainingMs
// at the pace so far. maxPreviews = 0: none.
struct PreviewPolicy {
    int firstAfterMs = 500;
    int minRemainingMs = 250;
    int maxPreviews = 3;
};

class RecordingLoader : public QObject {
    Q_OBJECT
public:
    explicit RecordingLoader(QObject* parent = nullptr);
    ~RecordingLoader() override;

    // Starts loading `paths` (each its own recording), cancelling any load in flight.
    void load(const QStringList& paths);
    void cancel();
    bool isLoading() const { return m_pending > 0; }
    // For the loads started after this call.
    void setPreviewPolicy(const PreviewPolicy& policy) { m_previewPolicy = policy; }
    // Purpose rules for the heaptrack and massif files of the loads started
    // after this call (docs/native-programs.md); empty: none. Read on the worker.
    void setRulesFile(const QString& path) { m_rulesFile = path; }
    const QString& rulesFile() const { return m_rulesFile; }

Q_SIGNALS:
    void started(const QStringList& paths);
    void progressChanged(double fraction); // 0..1 over all files, at most ~20 times a second
    // A snapshot of what a file still being read holds so far (stage Preview),
    // taken as PreviewPolicy says: none for a file read in under ~0.5 s.
    void previewReady(const flight::ui::LoadedRecordingPtr& preview);
    // The whole range drawn from a format-2 file's usage summary (stage Preview,
    // fromSummary, loadedFraction 0), before its blocks are read.
    void summaryReady(const flight::ui::LoadedRecordingPtr& summary);
    // The whole file, with the pyramids and pressure durations (stage Timeline).
    void timelineReady(const flight::ui::LoadedRecordingPtr& recording);
    // Everything (stage Complete): the same store as timelineReady's, plus rows and events.
    void recordingLoaded(const flight::ui::LoadedRecordingPtr& recording);
    void loadFailed(const QString& path, const QString& reason);
    void finished(); // every file of the current load has reported

private:
    void finishOne(quint64 generation);

    quint64 m_generation = 0;
    quint64 m_nextLoadId = 0;
    PreviewPolicy m_previewPolicy;
    QString m_rulesFile;
    int m_pending = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace flight::ui
