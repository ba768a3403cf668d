// SPDX-License-Identifier: MIT
#include "table_column_fitter.h"

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QStyle>
#include <QTableView>

#include <algorithm>

namespace flight::ui {

TableColumnFitter::TableColumnFitter(QTableView* table, int stretchColumn)
    : QObject(table)
    , m_table(table)
    , m_stretch(stretchColumn)
{
    QAbstractItemModel* model = table->model();
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) { grow(from.column(), to.column()); });
    connect(model, &QAbstractItemModel::rowsInserted, this, &TableColumnFitter::refit);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &TableColumnFitter::refit);
    connect(model, &QAbstractItemModel::modelReset, this, &TableColumnFitter::refit);
    connect(model, &QAbstractItemModel::layoutChanged, this, &TableColumnFitter::refit);
    refit();
}

void TableColumnFitter::setWidestText(int column, const QString& text)
{
    m_widest[column] = text;
    refit();
}

int TableColumnFitter::cellWidthFor(const QTableView* table, const QString& text)
{
    // QCommonStyle draws item text inside the cell less PM_FocusFrameHMargin + 1 on each side.
    const int margin = table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1;
    return table->fontMetrics().horizontalAdvance(text) + 2 * margin + (table->showGrid() ? 1 : 0);
}

int TableColumnFitter::needed(int column) const
{
    // QTableView hides sizeHintForColumn (protected); QAbstractItemView's public one is the same virtual.
    const QAbstractItemView* view = m_table;
    int width = std::max(view->sizeHintForColumn(column), m_table->horizontalHeader()->sectionSizeHint(column));
    if (const auto it = m_widest.find(column); it != m_widest.end())
        width = std::max(width, cellWidthFor(m_table, it->second));
    return width;
}

void TableColumnFitter::refit()
{
    QHeaderView* header = m_table->horizontalHeader();
    for (int c = 0; c < m_table->model()->columnCount(); ++c) {
        if (c == m_stretch) {
            header->setSectionResizeMode(c, QHeaderView::Stretch);
            continue;
        }
        header->setSectionResizeMode(c, QHeaderView::Interactive);
        m_table->setColumnWidth(c, needed(c));
    }
}

void TableColumnFitter::grow(int first, int last)
{
    for (int c = std::max(first, 0); c <= last; ++c)
        if (c != m_stretch && needed(c) > m_table->columnWidth(c))
            m_table->setColumnWidth(c, needed(c));
}

} // namespace flight::ui
