// SPDX-License-Identifier: MIT
#pragma once
// The Statistics view: memory-analytics stats, the trend, untracked memory,
// errors by code and the largest / longest-lived allocations of the selected
// session, or of the timeline's selected range when there is one. Figures are
// computed on a worker (computeSessionStatistics) with a generation number, so
// a stale result for an older range or session is dropped.

#include "analytics/session_statistics.h"

#include <QMap>
#include <QWidget>

#include <memory>
#include <optional>

class QFormLayout;
class QLabel;
class QScrollArea;
class QTableView;

namespace flight::ui {

class RankedAllocationModel;

class StatisticsPage : public QWidget {
    Q_OBJECT
public:
    explicit StatisticsPage(QWidget* parent = nullptr);

    // owner keeps the session alive while a computation runs on the worker (the
    // user may close the session meanwhile); it is held only until the result arrives.
    void setSession(const SessionModel* session, std::shared_ptr<const std::vector<EventLogEntry>> events,
                    std::shared_ptr<const void> owner = {});
    void setSelectedRange(std::optional<std::pair<std::int64_t, std::int64_t>> range);
    // The figures shown; null while the first computation runs or without a session.
    const SessionStatistics* statistics() const { return m_stats.get(); }
    bool isComputing() const { return m_computing; }
    // The text shown for a figure ("used", "tracked", "untracked", "efficiency", "peak",
    // "allocations", "trend", "predicted-peak", "until-critical", "errors", ...).
    QString figure(const QString& key) const;
    RankedAllocationModel* largestModel() const { return m_largest; }
    RankedAllocationModel* longestModel() const { return m_longest; }
    QTableView* largestView() const { return m_largestView; }

Q_SIGNALS:
    void statisticsReady();
    void allocationChosen(std::int64_t allocatedAtMs); // a ranked row was clicked: move the cursor there

private:
    void recompute();
    void showStatistics(std::shared_ptr<const SessionStatistics> stats);
    QLabel* addFigure(QFormLayout* form, const QString& key, const QString& title, const QString& tip);
    QTableView* makeTable(RankedAllocationModel* model);
    void fitFiguresColumn();

    const SessionModel* m_session = nullptr;
    std::shared_ptr<const std::vector<EventLogEntry>> m_events;
    std::shared_ptr<const void> m_owner;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_range;
    std::shared_ptr<const SessionStatistics> m_stats;
    quint64 m_generation = 0;
    bool m_computing = false;
    QMap<QString, QLabel*> m_figures;
    QLabel* m_scope = nullptr;
    QWidget* m_left = nullptr;
    QScrollArea* m_leftScroll = nullptr;
    RankedAllocationModel* m_largest = nullptr;
    RankedAllocationModel* m_longest = nullptr;
    QTableView* m_largestView = nullptr;
    QTableView* m_longestView = nullptr;
};

} // namespace flight::ui
