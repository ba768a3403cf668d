// SPDX-License-Identifier: MIT
#pragma once
// The allocations of one session as a table. Filtering and sorting run on a
// worker thread over a compact copy of the rows (AllocationQuery); the model
// swaps the result in when it arrives, dropping results of superseded queries.
// Only visible rows are ever formatted, so a million rows scroll freely.

#include "models/column_table_model.h"

#include "analytics/allocation_query.h"

#include <memory>

namespace flight::ui {

class AllocationTableModel : public ColumnTableModel {
    Q_OBJECT
public:
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit AllocationTableModel(QObject* parent = nullptr);
    ~AllocationTableModel() override;

    // `rows` and `session` must outlive the model's use (the page keeps the recording alive).
    void setSession(const SessionModel* session, std::shared_ptr<const std::vector<AllocationRow>> rows);
    void setFilter(const AllocationFilter& filter);
    const AllocationFilter& filter() const { return m_filter; }
    bool isBusy() const { return m_busy; }
    const AllocationQueryResult& result() const { return m_result; }
    // The allocation shown in `row` (the model's order), null when there is none.
    const AllocationRow* rowAt(int row) const;

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void queryFinished(); // rows and totals are up to date

private:
    int rows() const override;

    void runQuery();

    const SessionModel* m_session = nullptr;
    std::shared_ptr<const std::vector<AllocationRow>> m_rows;
    AllocationFilter m_filter;
    AllocationColumn m_sortColumn = AllocationColumn::Size;
    bool m_ascending = false;
    AllocationQueryResult m_result;
    quint64 m_generation = 0;
    bool m_busy = false;
};

} // namespace flight::ui
