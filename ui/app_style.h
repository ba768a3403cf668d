#pragma once
// The look shared by every page: one place for colours so views agree.

#include <QColor>

class QApplication;

namespace flight::ui {

void applyAppStyle(QApplication& app);

// Pressure colours (low green, medium yellow, high orange, critical red).
QColor pressureColor(int level);

// A stable colour per purpose id: the eight standard ones fixed, customs from a ring.
QColor purposeColor(int purposeId);

} // namespace flight::ui
