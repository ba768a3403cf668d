#pragma once
// The look shared by every page: one place for colours so views agree.

#include <QColor>

class QApplication;

namespace flight::ui {

void applyAppStyle(QApplication& app);

// Pressure colours (low green, medium yellow, high orange, critical red).
QColor pressureColor(int level);

} // namespace flight::ui
