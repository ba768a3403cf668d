// SPDX-License-Identifier: MIT
#include "session_table.h"

#include "table_column_fitter.h"

#include "models/session_list_model.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QScrollBar>
#include <QSortFilterProxyModel>

namespace flight::ui {

SessionTable::SessionTable(QWidget* parent)
    : QTableView(parent)
    , m_model(new SessionListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SessionListModel::SortRole);

    setModel(m_proxy);
    setSortingEnabled(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    verticalHeader()->hide();
    sortByColumn(SessionListModel::Source, Qt::AscendingOrder);
    setAlternatingRowColors(true);
    // Room for one session at least; the window layout sizes the list to its rows (fittingHeight()).
    setMinimumHeight(fittingHeight(1));
    setAccessibleName(tr("Sessions list"));
    // Live figures change many times a second: columns follow them, the source takes the spare width.
    m_columns = new TableColumnFitter(this, SessionListModel::Source);
    for (const int c : {SessionListModel::Used, SessionListModel::Total, SessionListModel::Peak})
        m_columns->setWidestText(c, QStringLiteral("8888.8 MiB"));
    // A connection's state can be a sentence ("…; reconnecting in 4 s"): it is elided, whole in its tooltip.
    m_columns->setCapText(SessionListModel::State, QStringLiteral("reconnecting in 88 s"));
    setUpCloseSession();

    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this, &SessionTable::currentSessionChanged);
}

const SessionRow* SessionTable::currentRow() const
{
    const int row = currentModelRow();
    return row >= 0 ? &m_model->row(row) : nullptr;
}

int SessionTable::currentModelRow() const
{
    const QModelIndex current = m_proxy->mapToSource(currentIndex());
    return current.isValid() ? current.row() : -1;
}

int SessionTable::fittingHeight(int rows) const
{
    return horizontalHeader()->sizeHint().height() + rows * verticalHeader()->defaultSectionSize() + 2 * frameWidth()
           + horizontalScrollBar()->sizeHint().height() / 2; // a sideways scroll bar must not hide the last row
}

int SessionTable::rowCount() const
{
    return m_proxy->rowCount();
}

bool SessionTable::selectSession(int row)
{
    if (row < 0 || row >= m_proxy->rowCount())
        return false;
    setCurrentIndex(m_proxy->index(row, 0));
    return true;
}

void SessionTable::selectModelRow(int modelRow)
{
    const QModelIndex at = m_proxy->mapFromSource(m_model->index(modelRow, 0));
    if (!at.isValid())
        return;
    setCurrentIndex(at);
    scrollTo(at);
}

void SessionTable::selectFirstIfNone()
{
    if (!currentIndex().isValid() && m_proxy->rowCount() > 0)
        setCurrentIndex(m_proxy->index(0, 0));
}

// --- closing one session --------------------------------------------------

void SessionTable::setUpCloseSession()
{
    // Delete on the table, and its context menu; File › Close Session (Ctrl+W) calls the same.
    auto* close = new QAction(tr("&Close Session"), this);
    close->setShortcut(QKeySequence::Delete);
    close->setShortcutContext(Qt::WidgetShortcut);
    close->setStatusTip(tr("Close the selected session; the others stay open"));
    connect(close, &QAction::triggered, this, &SessionTable::closeSelectedSession);
    addAction(close);
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, [this, close](const QPoint& pos) {
        const QModelIndex at = indexAt(pos);
        if (!at.isValid())
            return;
        setCurrentIndex(at); // the menu acts on the row clicked
        QMenu menu(this);
        menu.addAction(close);
        menu.exec(viewport()->mapToGlobal(pos));
    });
}

bool SessionTable::closeSelectedSession()
{
    return closeSession(currentIndex().row());
}

bool SessionTable::closeSession(int row)
{
    if (row < 0 || row >= m_proxy->rowCount())
        return false;
    const int source = m_proxy->mapToSource(m_proxy->index(row, 0)).row();
    const SessionRow closed = m_model->row(source);
    if (currentIndex().row() == row && m_proxy->rowCount() > 1)
        setCurrentIndex(m_proxy->index(row + 1 < m_proxy->rowCount() ? row + 1 : row - 1, 0));
    m_model->removeSession(source);
    Q_EMIT sessionClosed(closed);
    return true;
}

} // namespace flight::ui
