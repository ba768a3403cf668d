// SPDX-License-Identifier: MIT
#include "table_column_fitter.h"

#include <QAbstractItemModel>
#include <QEvent>
#include <QHeaderView>
#include <QStyle>
#include <QStyleOptionViewItem>
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
            [this](const QModelIndex& from, const QModelIndex& to) { grow(from, to); });
    connect(model, &QAbstractItemModel::rowsInserted, this, &TableColumnFitter::refit);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &TableColumnFitter::refit);
    connect(model, &QAbstractItemModel::modelReset, this, &TableColumnFitter::refit);
    connect(model, &QAbstractItemModel::layoutChanged, this, &TableColumnFitter::refit);
    table->viewport()->installEventFilter(this);
    refit();
}

bool TableColumnFitter::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize && watched == m_table->viewport())
        balance();
    return QObject::eventFilter(watched, event);
}

void TableColumnFitter::balance()
{
    // The stretching column takes the spare width, but never less than its text needs:
    // when the others leave too little, it keeps its width and the table scrolls.
    QHeaderView* header = m_table->horizontalHeader();
    if (m_stretch < 0 || m_stretch >= m_table->model()->columnCount())
        return;
    int others = 0;
    for (int c = 0; c < m_table->model()->columnCount(); ++c)
        if (c != m_stretch && !m_table->isColumnHidden(c))
            others += m_table->columnWidth(c);
    const bool fits = others + m_stretchNeeds <= m_table->viewport()->width();
    const auto mode = fits ? QHeaderView::Stretch : QHeaderView::Interactive;
    if (header->sectionResizeMode(m_stretch) != mode)
        header->setSectionResizeMode(m_stretch, mode);
    if (!fits && m_table->columnWidth(m_stretch) != m_stretchNeeds)
        m_table->setColumnWidth(m_stretch, m_stretchNeeds);
}

void TableColumnFitter::setWidestText(int column, const QString& text)
{
    m_widest[column] = text;
    refit();
}

void TableColumnFitter::setCapText(int column, const QString& text)
{
    m_cap[column] = text;
    refit();
}

int TableColumnFitter::capped(int column, int width) const
{
    const auto it = m_cap.find(column);
    return it == m_cap.end() ? width : std::min(width, cellWidthFor(m_table, it->second));
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
    m_cellWidths.clear(); // rows came or went, or the font changed: measure afresh
    QHeaderView* header = m_table->horizontalHeader();
    for (int c = 0; c < m_table->model()->columnCount(); ++c) {
        if (c == m_stretch) {
            m_stretchNeeds = needed(c);
            continue;
        }
        header->setSectionResizeMode(c, QHeaderView::Interactive);
        m_table->setColumnWidth(c, capped(c, needed(c)));
    }
    balance();
}

namespace {
// The cache key of a cell's text: every digit as '8'. Live figures change at every
// snapshot but seldom their number of digits, and UI fonts draw digits at one width
// (tabular figures), so "1,135" and "1,136" need the same width: measured once, not
// laid out again 25 times a second.
QString widthKey(int column, const QString& text)
{
    QString figures = text;
    for (QChar& c : figures)
        if (c.isDigit())
            c = QLatin1Char('8');
    return QString::number(column) + QChar(0x1f) + figures;
}
} // namespace

int TableColumnFitter::cellNeeds(const QModelIndex& index)
{
    const QString text = index.data(Qt::DisplayRole).toString();
    const QString key = widthKey(index.column(), text);
    if (const auto it = m_cellWidths.constFind(key); it != m_cellWidths.cend())
        return it.value();
    if (m_cellWidths.size() > 4096) // live figures never repeat for long: keep the cache small
        m_cellWidths.clear();
    // The delegate's hint: text, margins and decoration, as sizeHintForColumn measures each cell.
    QStyleOptionViewItem option;
    option.initFrom(m_table);
    option.widget = m_table;
    option.font = m_table->font();
    option.fontMetrics = m_table->fontMetrics();
    const QSize icons = m_table->iconSize();
    const int small = m_table->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_table);
    option.decorationSize = icons.isValid() ? icons : QSize(small, small);
    option.showDecorationSelected = m_table->style()->styleHint(QStyle::SH_ItemView_ShowDecorationSelected, nullptr, m_table);
    const QAbstractItemView* view = m_table;
    const int width = view->itemDelegateForIndex(index)->sizeHint(option, index).width() + (m_table->showGrid() ? 1 : 0);
    m_cellWidths.insert(key, width);
    return width;
}

void TableColumnFitter::grow(const QModelIndex& from, const QModelIndex& to)
{
    const QAbstractItemModel* model = m_table->model();
    bool grew = false;
    for (int c = std::max(from.column(), 0); c <= to.column(); ++c) {
        if (m_table->isColumnHidden(c))
            continue;
        if (c == m_stretch) {
            for (int r = std::max(from.row(), 0); r <= to.row(); ++r)
                if (const int w = cellNeeds(model->index(r, c, from.parent())); w > m_stretchNeeds) {
                    m_stretchNeeds = w;
                    grew = true;
                }
            continue;
        }
        int width = m_table->columnWidth(c);
        for (int r = std::max(from.row(), 0); r <= to.row(); ++r)
            width = std::max(width, cellNeeds(model->index(r, c, from.parent())));
        width = capped(c, width);
        if (width > m_table->columnWidth(c)) {
            m_table->setColumnWidth(c, width);
            grew = true;
        }
    }
    if (grew)
        balance();
}

} // namespace flight::ui
