// SPDX-License-Identifier: MIT
#pragma once
// A short ranked list of allocations (the Statistics view's "largest" and
// "longest-lived" tables): the ranking is computed on a worker, the model only
// reads the session for ids and purposes of the few rows it shows.

#include "models/column_table_model.h"

#include "analytics/session_statistics.h"

#include <vector>

namespace flight::ui {

class RankedAllocationModel : public ColumnTableModel {
    Q_OBJECT
public:
    enum Column { Rank, Id, Purpose, Size, AllocatedAt, Lifetime, ColumnCount };
    enum Role { AllocatedAtRole = Qt::UserRole + 1, IndexRole };

    explicit RankedAllocationModel(QObject* parent = nullptr);

    void setRows(const SessionModel* session, std::vector<RankedAllocation> rows);
    const RankedAllocation& rowAt(int row) const { return m_rows[static_cast<std::size_t>(row)]; }

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    int rows() const override;

    const SessionModel* m_session = nullptr;
    std::vector<RankedAllocation> m_rows;
};

} // namespace flight::ui
