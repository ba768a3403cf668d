// SPDX-License-Identifier: MIT
#pragma once
// The look shared by every page: one place for colours so views agree, in a
// light and a dark palette. "System" follows the desktop's palette as Qt 6.4
// reports it (dark when its window colour is dark; QStyleHints::colorScheme is 6.5),
// at start and whenever the desktop changes theme while the inspector runs.

#include "display_settings.h"

#include <QColor>
#include <QPalette>

#include <functional>

class QApplication;
class QChart;

namespace flight::ui {

// Fusion, the icon, and the palette for DisplaySettings' appearance; follows later changes
// of the preference and, under "System", of the desktop's theme (a QEvent::ThemeChange, or
// an application palette set by someone else): then DisplaySettings::changed() is emitted
// so views that colour their contents redraw. Calling it again only restyles.
void applyAppStyle(QApplication& app);
// Whether the palette in use is the dark one.
bool isDarkAppearance();
// The appearance `a` resolves to on this desktop (System → Light or Dark).
Appearance resolvedAppearance(Appearance a);
// The application palette for `a` (System resolved as above).
QPalette paletteFor(Appearance a);
// Where "System" reads the desktop's palette on a theme change: by default the platform
// theme's palette (the application palette with nothing of ours in it). Tests stand in for
// a desktop that changes scheme; an empty function restores the default.
void setSystemPaletteProbe(std::function<QPalette()> probe);

// Pressure colours (low green, medium yellow, high orange, critical red).
QColor pressureColor(int level);

// A stable colour per purpose id: the eight standard ones fixed, customs from a ring.
QColor purposeColor(int purposeId);

// Strong foreground for lines and the gauge's needle (navy on light, near-white on dark).
QColor inkColor();
// Secondary lines and labels (markers).
QColor mutedInkColor();
// Text meaning "worse" / "better" in tables (over budget, grew / shrank), and error messages.
QColor worseColor();
QColor betterColor();
// Cell backgrounds for fits / over verdicts.
QColor fitsBackground();
QColor overBackground();

// Background, text, grid and legend colours of a chart from the current palette
// (series keep their own colours). Call after the axes are added.
void styleChart(QChart* chart);

} // namespace flight::ui
