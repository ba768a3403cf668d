// SPDX-License-Identifier: MIT
#pragma once
// The allocations of the selected session: a table with filters by purpose,
// by id text, "live at the pinned cursor" and "leak candidates in the selected
// range" (allocated there and never freed), and totals by purpose. A row leads
// on: double-click (or Show on Timeline in its context menu) selects the
// allocation's lifetime on the timeline; Copy (Ctrl+C) puts the selected rows on
// the clipboard, tab-separated as shown; Filter by This Purpose sets the purpose
// filter. Filters belong to one session: resetFilters() when another is shown.
// A session without allocation records (a history from Prometheus, a producer
// that sends only memory updates) shows why instead of an empty table.

#include "analytics/allocation_query.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace flight::ui {

class AllocationTableModel;

class AllocationsPage : public QWidget {
    Q_OBJECT
public:
    explicit AllocationsPage(QWidget* parent = nullptr);

    void setSession(const SessionModel* session, std::shared_ptr<const std::vector<AllocationRow>> rows);
    void setPinnedTime(std::optional<std::int64_t> timeMs);
    void setSelectedRange(std::optional<std::pair<std::int64_t, std::int64_t>> range);
    AllocationTableModel* model() const { return m_model; }
    QComboBox* modeBox() const { return m_mode; }
    QLabel* totalsLabel() const { return m_totals; }
    // Shown instead of the table when the session holds no allocation records.
    QLabel* emptyNote() const { return m_empty; }
    // Back to all allocations of every purpose, no id text (another session is shown).
    void resetFilters();

Q_SIGNALS:
    // Show [fromMs, toMs] (an allocation's lifetime; to the session's end while it lives) on the timeline.
    void showOnTimelineRequested(std::int64_t fromMs, std::int64_t toMs);

private:
    void applyFilter();
    void updateTotals();
    void setUpRowActions();
    void showOnTimeline(const QModelIndex& index);
    void copySelectedRows();
    void filterByPurposeOf(const QModelIndex& index);

    const SessionModel* m_session = nullptr;
    AllocationTableModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QComboBox* m_purpose = nullptr;
    QComboBox* m_mode = nullptr;
    QLineEdit* m_text = nullptr;
    QLabel* m_totals = nullptr;
    QLabel* m_empty = nullptr;
    QTimer* m_textDelay = nullptr;
    std::optional<std::int64_t> m_pinned;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_range;
};

} // namespace flight::ui
