// SPDX-License-Identifier: MIT
#pragma once
// The views' read-only tables of records, set up one way: a whole row selected
// at a time, alternating colours, no row numbers, the last column stretched,
// one line a row.

class QTableView;

namespace flight::ui {

void setUpRowTable(QTableView* view);

} // namespace flight::ui
