// SPDX-License-Identifier: MIT
#pragma once
// The Events tab while a format-2 recording is shown from its summary: the
// records read around the playhead from the few blocks that hold it
// (RecordSeeker), with a line saying so: how many of the file's blocks were
// read, the span shown, and that the full Events view replaces it once the
// whole recording is read. Nothing here is computed from the rest of the file.
// Double-click or Enter on a record shows its time on the timeline.

#include "loading/record_seeker.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace flight::ui {

class RecordsAroundModel;

class RecordsAroundPage : public QWidget {
    Q_OBJECT
public:
    explicit RecordsAroundPage(QWidget* parent = nullptr);

    // A seek to `atMs` is under way (the rows shown, if any, are an earlier seek's).
    void setSeeking(const QString& fileName, std::int64_t atMs, std::int64_t originMs);
    void setResult(SeekResultPtr result, const QString& fileName, std::int64_t originMs);
    void clear();
    QString note() const;
    RecordsAroundModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }

Q_SIGNALS:
    void recordActivated(std::int64_t timeMs); // double-click / Enter: show it on the timeline

private:
    RecordsAroundModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_note = nullptr;
};

} // namespace flight::ui
