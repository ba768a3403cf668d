// SPDX-License-Identifier: MIT
#pragma once
// The selected session in detail: the views in tabs (timeline with the pressure
// gauge, statistics, events, allocations, budgets, compare, the memory report),
// the replay bar under them whose cursor every view follows, and the notes
// shown instead of a view while its data is on the way (pending views, the
// "loading…" line). It shows the session selected in a SessionListModel, read
// each time through `currentModelRow` (rows move as sessions come and go).

#include "loading/record_seeker.h"
#include "models/session_list_model.h"
#include "views/compare_page.h"

#include <QWidget>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

class QLabel;
class QTabWidget;

namespace flight::ui {

class AllocationsPage;
class BudgetsPage;
class ComparePage;
class EventsPage;
class PendingView;
class PressureGauge;
class RecordSeeker;
class RecordsAroundPage;
class ReplayBar;
class ReportView;
class StatisticsPage;
class TimelineView;
struct SessionRef;

class SessionDetail : public QWidget {
    Q_OBJECT
Q_SIGNALS:
    // The tab in view moved between the timeline and a detail tab (showsDetails()).
    void detailsShownChanged(bool shown);

public:
    // `currentModelRow`: the selected session's row in `sessions`, -1 for none.
    SessionDetail(const SessionListModel* sessions, std::function<int()> currentModelRow, QWidget* parent = nullptr);

    // Shows the selected session from scratch (the views reset; an empty selection empties them).
    void showCurrent();
    // The selected session's data grew or was replaced: shows it keeping the user's zoom, selection and tab.
    void reshowKeepingView();
    // The selected session's load reached its details (same sessions): the tables and the report fill.
    void showCurrentDetails();
    // The selected live session went quiet or came back (SessionRow::disconnectedSinceMs): the gauge says so.
    void refreshLiveState();
    // The loader's overall progress (0..1), shown while a preview is on screen.
    void setLoadProgress(double fraction);
    // Updates the "loading…" line over the views for the selected session's stage.
    void updateLoadingNote();
    // What is shown instead of the view named as in showView() while its data is on the way; empty when shown.
    QString pendingNote(const QString& view) const;
    // The line over the views saying the timeline is a preview (empty when hidden).
    QString loadingNote() const;
    // The sessions the compare page offers, and which of them is selected. `live`:
    // a live refresh, which a hidden compare page takes when it is shown.
    void setCompareSessions(std::vector<SessionRef> sessions, bool live = false);
    // A tab that shows the session's details (not the timeline) is in view.
    bool showsDetails() const;
    // Empties every view.
    void clear();
    // Shows the tab named "timeline", "statistics", "events", "allocations", "budgets",
    // "compare" or "report"; false for an unknown name.
    bool showView(const QString& name);
    // The timeline's selection in seconds from the selected session's start.
    std::optional<std::pair<double, double>> selectedRangeSeconds() const;
    // The shared cursor (the replay's playhead): every view follows it.
    void moveCursorTo(std::int64_t timeMs, bool showTimeline);
    // Selects [fromMs, toMs] on the timeline, brings it into view and shows the timeline tab.
    void showOnTimeline(std::int64_t fromMs, std::int64_t toMs);
    // The tab `step` tabs on, round the ends (View › Next View, Ctrl+Tab / Ctrl+PgDn).
    void showNextView(int step);

    TimelineView* timeline() const { return m_timeline; }
    PressureGauge* gauge() const { return m_gauge; }
    AllocationsPage* allocations() const { return m_allocations; }
    BudgetsPage* budgets() const { return m_budgets; }
    ComparePage* compare() const { return m_compare; }
    ReplayBar* replay() const { return m_replay; }
    StatisticsPage* statistics() const { return m_statistics; }
    ReportView* report() const { return m_report; }
    EventsPage* events() const { return m_events; }
    // The Events tab's stand-in while a format-2 recording is shown from its summary.
    RecordsAroundPage* recordsAround() const { return m_around; }
    RecordSeeker* seeker() const { return m_seeker; }
    bool showsRecordsAround() const;

private:
    void showDetails(const SessionRow* row);
    void updateReport();
    void showGaugeAt(std::optional<std::int64_t> timeMs);
    void showReplayPosition(std::int64_t timeMs);
    void setReplayRange(const SessionRow& row, const SessionModel& session);
    // A live refresh updates the tab in view only; the others catch up when shown.
    bool tabHidden(int tab) const;
    void catchUp();
    const SessionRow* currentRow() const;
    // Seeking the file while its full load runs (docs/recordings.md, "Seeking while loading").
    bool seeksWhileLoading(const SessionRow* row) const;
    void seekRecordsAround(std::int64_t timeMs);
    void showRecordsAround(const SeekResultPtr& result);

    const SessionListModel* m_sessions = nullptr;
    std::function<int()> m_currentModelRow;
    QTabWidget* m_tabs = nullptr;
    TimelineView* m_timeline = nullptr;
    PressureGauge* m_gauge = nullptr;
    ReportView* m_report = nullptr;
    bool m_reportStale = false; // the report tab was hidden when its session changed
    AllocationsPage* m_allocations = nullptr;
    BudgetsPage* m_budgets = nullptr;
    ComparePage* m_compare = nullptr;
    ReplayBar* m_replay = nullptr;
    StatisticsPage* m_statistics = nullptr;
    EventsPage* m_events = nullptr;
    bool m_refreshingLive = false; // showCurrent() is re-showing the same live session with more data
    // The detail tabs skipped by live refreshes while hidden, and the copy they still point into.
    bool m_detailsStale = false;
    bool m_detailsShownSignalled = false;
    LoadedRecordingPtr m_detailsShown;
    std::optional<std::vector<SessionRef>> m_staleCompare;
    bool m_replayed = false; // the playhead was moved: the gauge rests there, not at the end
    QLabel* m_loading = nullptr;     // "Loading x: 40 % read…" over the views while a preview shows
    double m_loadProgress = 0;
    // Pages that wait for a later stage of a load, in showView()'s order from statistics.
    PendingView* m_pendingStatistics = nullptr;
    PendingView* m_pendingEvents = nullptr;
    PendingView* m_pendingAllocations = nullptr;
    PendingView* m_pendingBudgets = nullptr;
    PendingView* m_pendingReport = nullptr;
    RecordSeeker* m_seeker = nullptr;
    RecordsAroundPage* m_around = nullptr;
    bool m_aroundStale = false; // the playhead moved while the Events tab was hidden
    quint64 m_summaryLoadId = 0; // the load last shown from a format-2 summary: its Timeline stage seeks too
};

} // namespace flight::ui
