// SPDX-License-Identifier: MIT
#pragma once
// The page shown once something is open: every session in a sortable table
// (SessionTable), the selected session in detail below it (SessionDetail), and
// the load's problems. The page keeps the loads behind the table and tells the
// detail when the selected session's data changes.

#include "loading/loaded_recording.h"

#include "live/client/live_snapshot.h"

#include <QElapsedTimer>
#include <QWidget>

#include <optional>
#include <set>
#include <utility>
#include <vector>

class QLabel;
class QTableView;

namespace flight::ui {

class PressureGauge;
class SessionDetail;
class SessionListModel;
class SessionTable;
class StatisticsPage;
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
    SessionListModel* model() const;
    // The selected session's live connection, -1 when none or a recording.
    int currentLiveId() const;
    // The two halves: the sessions list (the main window docks it) and the selected session's views.
    SessionTable* table() const { return m_table; }
    SessionDetail* detail() const { return m_detail; }
    // The sessions list as a table view; the main window docks it.
    QTableView* sessionTable() const;
    // The detail's pressure gauge; the main window docks it.
    PressureGauge* gauge() const;
    StatisticsPage* statistics() const;

Q_SIGNALS:
    // A session was closed; `liveRowsLeft` is how many sessions of its live connection are
    // still shown (0 for a recording, or when the connection has nothing left to show).
    void sessionClosed(const QString& source, const QString& sessionId, int liveId, int liveRowsLeft);

private:
    void sessionRemoved(const SessionRow& closed);
    void updateRecording(const LoadedRecordingPtr& recording);
    void updateProblems();
    // `live`: a live refresh (a hidden compare page takes it when shown).
    void updateCompareSessions(bool live = false);

    SessionTable* m_table = nullptr;
    SessionDetail* m_detail = nullptr;
    QLabel* m_problems = nullptr;
    std::set<quint64> m_loadIds; // loads whose sessions have been shown
    std::vector<LoadedRecordingPtr> m_recordings;
    QElapsedTimer m_gaugeClock; // the gauge's last update from a live snapshot
};

} // namespace flight::ui
