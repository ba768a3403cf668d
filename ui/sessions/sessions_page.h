// SPDX-License-Identifier: MIT
#pragma once
// The page shown once something is open: every session in a sortable table,
// the selected session's memory report beside it, and the load's problems.

#include "loading/loaded_recording.h"

#include "live/live_snapshot.h"

#include <QWidget>

#include <set>

class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;

namespace flight::ui {

class AllocationsPage;
class BudgetsPage;
class ComparePage;
class EventsPage;
class PendingView;
class StatisticsPage;
class PressureGauge;
class ReplayBar;
class SessionListModel;
class TableColumnFitter;
class TimelineView;
struct SessionRow;

class SessionsPage : public QWidget {
    Q_OBJECT
public:
    explicit SessionsPage(QWidget* parent = nullptr);

    // A recording at any stage of its load (loaded_recording.h): a later stage
    // of a load already shown takes its place, keeping the user's zoom; views
    // whose data has not arrived yet say so instead of showing anything else.
    void addRecording(const LoadedRecordingPtr& recording);
    // Removes the sessions of loads that never completed (cancelled, replaced by another load).
    void dropIncompleteLoads();
    // The loader's overall progress (0..1), shown while a preview is on screen.
    void setLoadProgress(double fraction);
    // What is shown instead of the view named as in showView() while its data is on the way; empty when shown.
    QString pendingNote(const QString& view) const;
    // The line over the views saying the timeline is a preview (empty when hidden).
    QString loadingNote() const;
    void applyLiveSnapshot(int liveId, const live::LiveSnapshot& snapshot);
    void setLiveRecording(int liveId, const LoadedRecordingPtr& recording);
    void clear();
    int sessionCount() const;
    // Every recording behind the table (live ones as recorded so far), once each; a file
    // still loading (a preview, or waiting for its details) is left out: exports see whole files only.
    std::vector<LoadedRecordingPtr> recordings() const;
    // The timeline's selection in seconds from the selected session's start.
    std::optional<std::pair<double, double>> selectedRangeSeconds() const;
    // Shows the tab named "timeline", "statistics", "events", "allocations", "budgets",
    // "compare" or "report"; false for an unknown name.
    bool showView(const QString& name);
    // Selects the row-th session in the table's (sorted) order; false when there is no such row.
    // Files opened together finish loading in any order: this makes the choice not depend on it.
    bool selectSession(int row);
    // Closes the row-th session in the table's order (or the selected one), leaving the others
    // open; the views move to the session that takes its place. False when there is no such row.
    bool closeSession(int row);
    bool closeSelectedSession();
    SessionListModel* model() const { return m_model; }
    // The selected session's live connection, -1 when none or a recording.
    int currentLiveId() const;
    // The sessions list; the main window docks it.
    QTableView* sessionTable() const { return m_table; }
    TimelineView* timeline() const { return m_timeline; }
    PressureGauge* gauge() const { return m_gauge; }
    AllocationsPage* allocations() const { return m_allocations; }
    BudgetsPage* budgets() const { return m_budgets; }
    ComparePage* compare() const { return m_compare; }
    ReplayBar* replay() const { return m_replay; }
    StatisticsPage* statistics() const { return m_statistics; }
    EventsPage* events() const { return m_events; }
    // The shared cursor (the replay's playhead): every view follows it.
    void moveCursorTo(std::int64_t timeMs, bool showTimeline);

Q_SIGNALS:
    // A session was closed; `liveRowsLeft` is how many sessions of its live connection are
    // still shown (0 for a recording, or when the connection has nothing left to show).
    void sessionClosed(const QString& source, const QString& sessionId, int liveId, int liveRowsLeft);

private:
    void setUpCloseSession();
    void showSelected();
    void showDetails(const SessionRow* row);
    void updateRecording(const LoadedRecordingPtr& recording);
    void reshowKeepingView();
    void updateLoadingNote();
    void updateProblems();
    void updateReport();
    void updateCompareSessions();
    void showGaugeAt(std::optional<std::int64_t> timeMs);
    void showReplayPosition(std::int64_t timeMs);
    void setReplayRange(const SessionRow& row, const SessionModel& session);
    const SessionRow* currentRow() const;

    SessionListModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    TableColumnFitter* m_columns = nullptr;
    QTableView* m_table = nullptr;
    QTabWidget* m_tabs = nullptr;
    TimelineView* m_timeline = nullptr;
    PressureGauge* m_gauge = nullptr;
    QPlainTextEdit* m_report = nullptr;
    AllocationsPage* m_allocations = nullptr;
    BudgetsPage* m_budgets = nullptr;
    ComparePage* m_compare = nullptr;
    ReplayBar* m_replay = nullptr;
    StatisticsPage* m_statistics = nullptr;
    EventsPage* m_events = nullptr;
    bool m_refreshingLive = false; // showSelected() is re-showing the same live session with more data
    bool m_replayed = false; // the playhead was moved: the gauge rests there, not at the end
    QLabel* m_problems = nullptr;
    QLabel* m_loading = nullptr;     // "Loading x: 40 % read…" over the views while a preview shows
    double m_loadProgress = 0;
    // Pages that wait for a later stage of a load, in showView()'s order from statistics.
    PendingView* m_pendingStatistics = nullptr;
    PendingView* m_pendingEvents = nullptr;
    PendingView* m_pendingAllocations = nullptr;
    PendingView* m_pendingBudgets = nullptr;
    PendingView* m_pendingReport = nullptr;
    std::set<quint64> m_loadIds; // loads whose sessions have been shown
    std::vector<LoadedRecordingPtr> m_recordings;
};

} // namespace flight::ui
