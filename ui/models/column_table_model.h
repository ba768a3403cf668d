// SPDX-License-Identifier: MIT
#pragma once
// The frame of the flat tables (sessions, events, allocations, ranked
// allocations, fleet): the columns are fixed and named by their header titles,
// given in column order, so the column count and the horizontal header come
// from them; the row count from rows(). No row has children.

#include <QAbstractTableModel>
#include <QStringList>

namespace flight::ui {

class ColumnTableModel : public QAbstractTableModel {
public:
    int rowCount(const QModelIndex& parent = {}) const final;
    int columnCount(const QModelIndex& parent = {}) const final;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const final;

protected:
    // titles: one per column, translated by the subclass (its tr()).
    ColumnTableModel(QStringList titles, QObject* parent);

private:
    virtual int rows() const = 0;

    QStringList m_titles;
};

} // namespace flight::ui
