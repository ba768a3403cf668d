// SPDX-License-Identifier: MIT
#pragma once
// Keeps a table's columns wide enough for their text while the figures change
// (live sessions update several times a second). A cell that outgrows its
// column widens it at once; columns never shrink while only the figures change
// (no jitter as "99.9MB" becomes "100.0MB"); they are refitted when rows come
// or go. One column takes the spare width. A floor per column (the widest
// plausible text, e.g. "8888.8 MiB") keeps live figures from widening it at all.

#include <QObject>

#include <map>

class QTableView;

namespace flight::ui {

class TableColumnFitter : public QObject {
    Q_OBJECT
public:
    // Follows `table`'s model (set it first); `stretchColumn` gets the spare width.
    TableColumnFitter(QTableView* table, int stretchColumn);

    // `column` is never narrower than `text` needs in a cell.
    void setWidestText(int column, const QString& text);
    // The width a cell needs to show `text` whole in `table` (text, margins, grid line).
    static int cellWidthFor(const QTableView* table, const QString& text);
    // Fits every column to its contents (and floor) now, narrower or wider.
    void refit();

private:
    void grow(int first, int last);
    int needed(int column) const;

    QTableView* m_table;
    int m_stretch;
    std::map<int, QString> m_widest;
};

} // namespace flight::ui
