// SPDX-License-Identifier: MIT
#pragma once
// A short ranked list of allocations (the Statistics view's "largest" and
// "longest-lived" tables): the ranking is computed on a worker, the model only
// reads the session for ids and purposes of the few rows it shows.

#include "analytics/session_statistics.h"

#include <QAbstractTableModel>

#include <vector>

namespace flight::ui {

class RankedAllocationModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Rank, Id, Purpose, Size, AllocatedAt, Lifetime, ColumnCount };
    enum Role { AllocatedAtRole = Qt::UserRole + 1, IndexRole };

    explicit RankedAllocationModel(QObject* parent = nullptr);

    void setRows(const SessionModel* session, std::vector<RankedAllocation> rows);
    const RankedAllocation& rowAt(int row) const { return m_rows[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const SessionModel* m_session = nullptr;
    std::vector<RankedAllocation> m_rows;
};

} // namespace flight::ui
