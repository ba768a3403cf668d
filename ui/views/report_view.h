// SPDX-License-Identifier: MIT
#pragma once
// The Report tab: the selected session's report as `report --format html`
// writes it (reports::htmlReport, the same figures, tables and charts), shown
// in a QTextBrowser with the charts painted to images by the PDF's painter,
// and an Export button that opens File › Export Report…. The report is
// collected and written on a worker; a newer request replaces a waiting one.

#include "loading/loaded_recording.h"
#include "model/memory_size.h"

#include <QString>

#include <QWidget>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace flight::ui {

class ReportView : public QWidget {
    Q_OBJECT
public:
    explicit ReportView(QWidget* parent = nullptr);

    // The report of `recording`'s session `sessionIndex`, over `rangeMs` (the
    // timeline's selection, absolute ms) or the whole session.
    void showSession(const LoadedRecordingPtr& recording, std::size_t sessionIndex,
                     std::optional<std::pair<std::int64_t, std::int64_t>> rangeMs);
    // A note instead of a report ("waiting for its first data…"); empty clears.
    void showNote(const QString& text);
    QTextBrowser* browser() const { return m_browser; }
    QPushButton* exportButton() const { return m_export; }
    bool isWriting() const { return m_running; }

Q_SIGNALS:
    void exportRequested();
    // A written report is on screen (tests wait for it).
    void reportShown();

private:
    struct Request {
        LoadedRecordingPtr recording;
        std::size_t sessionIndex = 0;
        std::optional<std::pair<std::int64_t, std::int64_t>> rangeMs;
        ByteUnits units = ByteUnits::Protocol;   // the Units preference when asked
    };
    void start(Request request);

    QTextBrowser* m_browser = nullptr;
    QPushButton* m_export = nullptr;
    QLabel* m_status = nullptr;
    quint64 m_generation = 0;
    bool m_running = false;
    std::optional<Request> m_waiting;
};

} // namespace flight::ui
