#pragma once
// Two sessions side by side: their used lines on one chart (time from each
// session's start) and, per purpose, peak / average / end of both with the
// change. A is the session selected in the sessions table; B is picked here.

#include "loaded_recording.h"

#include <QWidget>

#include <vector>

class QChartView;
class QComboBox;
class QLabel;
class QTableWidget;

namespace flight::ui {

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

private:
    void refresh();

    std::vector<SessionRef> m_sessions;
    int m_current = -1;
    QComboBox* m_other = nullptr;
    QChartView* m_chart = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_hint = nullptr;
};

} // namespace flight::ui
