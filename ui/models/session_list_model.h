// SPDX-License-Identifier: MIT
#pragma once
// Every open session as a table row: source, platform, state, used / total,
// peak, pressure (with its colour) and allocation counts. Rows are plain
// values read from core's session models when a recording arrives.

#include "connections/live_refresh_interval.h"
#include "loading/loaded_recording.h"
#include "models/column_table_model.h"

#include "live/client/live_snapshot.h"

#include <set>
#include <utility>
#include <vector>

class QTimer;

namespace flight::ui {

struct SessionRow {
    QString source;       // file name or URL
    QString sessionId;
    QString platform;
    QString state;        // "ended", "recorded"
    quint64 usedBytes = 0;
    quint64 totalBytes = 0;
    quint64 peakBytes = 0;
    int pressure = 0;     // MemoryPressure as int
    int reportedPressure = -1;
    quint64 activeAllocations = 0;
    quint64 totalAllocations = 0;
    LoadedRecordingPtr recording; // keeps the session model alive for detail views (null: live, no data yet)
    std::size_t sessionIndex = 0;
    int liveId = -1;              // the live connection, or -1 for a recording
    QString memoryPolicy;         // live: what the model keeps in memory (the State column's tooltip)
    bool droppedFromMemory = false; // live: the client dropped this ended session from memory (the file has it)
    bool liveEnded = false;         // live: its producer ended it
    qint64 disconnectedSinceMs = 0; // live, not ended: wall-clock ms since its producer is gone (0: live)
    QString continues;            // live: the earlier session a restarted producer's session continues
    int run = 1;                  // live: 2, 3, ... for a restarted producer's session ("demo-psp-1 (2nd run)")
};

class SessionListModel : public ColumnTableModel {
    Q_OBJECT
public:
    // A live row whose only change is its allocation counts is redrawn at most this
    // often (as often as the views refresh at best); any other figure redraws it at once.
    static constexpr int kLiveCountsIntervalMs = kMinLiveRefreshMs;
    enum Column { Source, Session, Platform, State, Used, Total, Peak, Pressure, Allocations, ColumnCount };
    // Raw numbers for sorting and for other views.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit SessionListModel(QObject* parent = nullptr);
    // The State column's tooltip for a live session: its retention policy and what it dropped.
    static QString liveMemoryText(const live::LiveStats& stats, const live::LiveSessionFigures& figures);
    // "demo-psp-1 (2nd run)" for a restarted producer's session, else its id.
    static QString sessionTitle(const SessionRow& row);
    // "disconnected since 14:03:07": a live session whose producer went away (local clock).
    static QString disconnectedText(qint64 sinceMs);
    // The gauge's caption for it, "Disconnected since 14:03:07": the needle stays where it was last heard.
    static QString disconnectedCaption(qint64 sinceMs);

    void addRecording(const LoadedRecordingPtr& recording);
    // A later stage of a load already shown (same loadId): its rows take it, with
    // its figures; its sessions that had no row get one, except those the user
    // closed. Returns the rows changed or added.
    QList<int> updateRecording(const LoadedRecordingPtr& recording);
    // Live connection `liveId`: figures from its latest snapshot (state live,
    // reconnecting or ended), and its recording so far for the detail views.
    void applyLiveSnapshot(int liveId, const live::LiveSnapshot& snapshot);
    // Returns the rows whose recording changed. A row of this connection whose
    // session is no longer in the copy (the client dropped it from memory,
    // LiveSessionOptions::maxEndedSessions) lets go of its older copy, so
    // that dropped sessions do not keep old copies alive; it keeps its last
    // figures and says the recording file has it (SessionRow::droppedFromMemory).
    QList<int> setLiveRecording(int liveId, const LoadedRecordingPtr& recording);
    // "replaying" while the replay plays; empty restores the row's own state.
    void setRowState(int row, const QString& state);
    // Removes every row; the live connections behind them stay closed (see removeSession).
    void clear();
    // Removes one session's row. A live session stays closed: its connection's later
    // snapshots and recordings no longer bring it back (the connection's others go on);
    // once a connection has no row left it is closed for good (the window disconnects it).
    void removeSession(int row);
    // Rows of live connection `liveId` still shown.
    int liveRowCount(int liveId) const;
    const SessionRow& row(int index) const { return m_rows[static_cast<std::size_t>(index)]; }

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    int rows() const override;

    int findLive(int liveId, const QString& sessionId) const;
    void appendRow(SessionRow row);
    // dataChanged for each cell of `row` that differs from `before`.
    void emitChangedCells(int row, const SessionRow& before);

    QTimer* m_countsTimer = nullptr; // announces counts changed alone (kLiveCountsIntervalMs)
    std::vector<SessionRow> m_rows;
    std::set<std::pair<int, QString>> m_closedLive; // (liveId, sessionId) the user closed
    std::set<int> m_closedConnections;               // live ids whose every row was closed
    std::set<std::pair<quint64, std::size_t>> m_closedLoads; // (loadId, sessionIndex) closed while loading
};

} // namespace flight::ui
