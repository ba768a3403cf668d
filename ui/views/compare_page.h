// SPDX-License-Identifier: MIT
#pragma once
// Two sessions side by side: a timeline each, their time axes synchronised
// (zoom or pan one, the other follows), aligned on each session's start or on
// absolute time; below, per purpose, peak / p95 / end of both with the change.
// A is the session selected in the sessions table; B is picked here.

#include "loading/loaded_recording.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QTableWidget;

namespace flight::ui {

class TimelineSync;
class TimelineView;

struct SessionRef {
    QString label;                 // "file · session"
    LoadedRecordingPtr recording;
    std::size_t index = 0;
    const SessionModel& session() const { return recording->store->session(index); }
    const SessionAnalytics& analytics() const { return recording->analytics[index]; }
};

class ComparePage : public QWidget {
    Q_OBJECT
public:
    explicit ComparePage(QWidget* parent = nullptr);

    void setSessions(std::vector<SessionRef> sessions);
    void setCurrent(int index); // A
    int otherIndex() const;     // B, -1 when there is nothing to compare with
    void setOther(int index);
    QTableWidget* table() const { return m_table; }
    TimelineView* timelineA() const { return m_timelineA; }
    TimelineView* timelineB() const { return m_timelineB; }

    // Relative: both axes count from their own session's start (recordings made at
    // different times line up). Absolute: one clock for both.
    enum class Alignment { Relative, Absolute };
    Alignment alignment() const;
    void setAlignment(Alignment a);

private:
    void refresh();
    void alignTimelines();
    void fillTable(const SessionRef& ra, const SessionRef& rb);

    std::vector<SessionRef> m_sessions;
    int m_current = -1;
    QComboBox* m_other = nullptr;
    QComboBox* m_align = nullptr;
    TimelineView* m_timelineA = nullptr;
    TimelineView* m_timelineB = nullptr;
    TimelineSync* m_sync = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_hint = nullptr;
};

} // namespace flight::ui
