// SPDX-License-Identifier: MIT
#pragma once
// Keeps a table's columns wide enough for their text while the figures change
// (live sessions update several times a second). A cell that outgrows its
// column widens it at once; columns never shrink while only the figures change
// (no jitter as "99.9MB" becomes "100.0MB"); they are refitted when rows come
// or go. One column takes the spare width, but never less than its text needs. A floor per column (the widest
// plausible text, e.g. "8888.8 MiB") keeps live figures from widening it at all.
// A change measures only the cells it names (each text once: widths are cached, a
// figure's by its shape, digits alike), never the whole column: live rows change 25
// times a second.

#include <QObject>

#include <QHash>
#include <QString>

#include <map>

class QModelIndex;
class QTableView;

namespace flight::ui {

class TableColumnFitter : public QObject {
    Q_OBJECT
public:
    // Follows `table`'s model (set it first); `stretchColumn` gets the spare width.
    TableColumnFitter(QTableView* table, int stretchColumn);

    // `column` is never narrower than `text` needs in a cell.
    void setWidestText(int column, const QString& text);
    // `column` is never wider than `text` needs (longer cells are elided; their tooltip has them
    // whole): a long text in one column must not squeeze the stretching one to "…".
    void setCapText(int column, const QString& text);
    // The width a cell needs to show `text` whole in `table` (text, margins, grid line).
    static int cellWidthFor(const QTableView* table, const QString& text);
    // Fits every column to its contents (and floor) now, narrower or wider.
    void refit();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override; // the table's width changed

private:
    // Stretch or, when the others leave it too little, a fixed width and a scroll bar.
    void balance();
    void grow(const QModelIndex& from, const QModelIndex& to);
    int needed(int column) const;
    // What the delegate needs for one cell, cached by column and text.
    int cellNeeds(const QModelIndex& index);

    QTableView* m_table;
    int m_stretch;
    std::map<int, QString> m_widest;
    std::map<int, QString> m_cap;
    int m_stretchNeeds = 0; // what the stretching column's widest cell needs
    int capped(int column, int width) const;
    QHash<QString, int> m_cellWidths; // key: column, U+001F, display text
};

} // namespace flight::ui
