// SPDX-License-Identifier: MIT
#pragma once
// The sessions list: every open session in a sortable table (the main window
// docks it), its columns kept wide enough for live figures, and closing a
// session (Delete, the context menu). Rows are read through model(); "row" in
// this API is a row in the table's sorted order.

#include "models/session_list_model.h"

#include <QTableView>

class QSortFilterProxyModel;

namespace flight::ui {

class TableColumnFitter;

class SessionTable : public QTableView {
    Q_OBJECT
public:
    explicit SessionTable(QWidget* parent = nullptr);

    SessionListModel* sessions() const { return m_model; }
    // The selected session, or null; its row in sessions() (-1 when none).
    const SessionRow* currentRow() const;
    int currentModelRow() const;
    int rowCount() const;
    // The height that shows `rows` rows under the header without scrolling.
    int fittingHeight(int rows) const;
    // Selects the row-th session in the table's order; false when there is no such row.
    bool selectSession(int row);
    // Selects the session in row `modelRow` of sessions() and scrolls it into view.
    void selectModelRow(int modelRow);
    // Selects the first row when nothing is selected and there are rows.
    void selectFirstIfNone();
    // Removes the row-th session (or the selected one); the selection first moves to the
    // session that takes its place (the next, or the previous at the end), so that what
    // follows the selection is rebuilt once. False when there is no such row.
    bool closeSession(int row);
    bool closeSelectedSession();

Q_SIGNALS:
    // The selection moved to another session (or to none).
    void currentSessionChanged();
    // A session was removed by closeSession(); `closed` is its row as it was.
    void sessionClosed(const flight::ui::SessionRow& closed);

private:
    void setUpCloseSession();

    SessionListModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    TableColumnFitter* m_columns = nullptr;
};

} // namespace flight::ui
