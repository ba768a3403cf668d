// SPDX-License-Identifier: MIT
#pragma once
// Right click › "Save Image…" on the window's charts: the chart view as PNG
// (what is on screen, grab()) or SVG (the chart drawn as vectors with
// QSvgGenerator), chosen by the suffix of the path.

#include "model/memory_error.h"

#include <QString>

class QChartView;

namespace flight::ui {

// Adds a "Save Image…" action to the view's context menu (Qt::ActionsContextMenu):
// a file dialog proposing defaultName (e.g. "timeline.png"), then
// saveChartImage; a failure is shown in a message box with the reason.
void addSaveImageAction(QChartView* view, const QString& defaultName);

// Writes the view to path: SVG when the path ends in .svg (any case), PNG
// otherwise, at the view's size. An IoError naming the path and the reason
// when it cannot be written.
Result<void> saveChartImage(QChartView* view, const QString& path);

} // namespace flight::ui
