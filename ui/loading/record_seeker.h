// SPDX-License-Identifier: MIT
#pragma once
// Seeks a format-2 recording to one time while its full load still runs
// (recording/records_around.h): on its own worker thread, one seek at a time;
// a seek asked while one runs waits, and only the newest waiting one runs.
// Each seek has a generation number: a result for a seek the user has since
// replaced (or cancel()led) is dropped, never shown. One typed signal per
// result. The file's block index is read on the first seek and kept.

#include "recording/compact_index.h"
#include "recording/records_around.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>
#include <optional>

namespace flight::ui {

struct SeekResult {
    QString path;
    QString sessionId;
    quint64 generation = 0;
    std::int64_t atMs = 0;
    std::optional<recording::RecordsAround> around; // empty: `error` says why
    QString error;
};
using SeekResultPtr = std::shared_ptr<const SeekResult>;

class RecordSeeker : public QObject {
    Q_OBJECT
public:
    explicit RecordSeeker(QObject* parent = nullptr);
    ~RecordSeeker() override;

    // The records of `sessionId` (empty: every session) around `atMs` in the
    // format-2 file at `path`, at most `maxRows`.
    void seek(const QString& path, const QString& sessionId, std::int64_t atMs, std::size_t maxRows = 200);
    // Drops the waiting seek and any result still to come.
    void cancel();
    quint64 generation() const { return m_generation; }
    bool isBusy() const { return m_running; }

Q_SIGNALS:
    void recordsReady(const flight::ui::SeekResultPtr& result);

private:
    struct Request {
        QString path, sessionId;
        std::int64_t atMs = 0;
        std::size_t maxRows = 0;
        quint64 generation = 0;
    };
    void start(Request request);
    void finished(const SeekResultPtr& result, std::shared_ptr<const recording::CompactIndex> index);

    QThreadPool m_pool; // its own thread: never queued behind a full load on the global pool
    quint64 m_generation = 0;
    bool m_running = false;
    std::optional<Request> m_waiting;
    QString m_indexPath;
    std::shared_ptr<const recording::CompactIndex> m_index;
};

} // namespace flight::ui

Q_DECLARE_METATYPE(flight::ui::SeekResultPtr)
