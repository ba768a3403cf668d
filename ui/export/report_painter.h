// SPDX-License-Identifier: MIT
#pragma once
// Paints a core ChartScene (reports/chart_scene.h) with QPainter: the PDF
// report and `report --chart x.png` draw exactly what the SVG charts of the
// HTML report show. Vector on a QPdfWriter, raster on a QImage.

#include "model/memory_error.h"
#include "reports/chart_scene.h"

#include <QRectF>
#include <QSize>
#include <QString>

class QImage;
class QPainter;

namespace flight::ui {

// Draws the scene scaled uniformly to fit `target` (top-left aligned).
void paintChart(QPainter& painter, const reports::ChartScene& scene, const QRectF& target);

// The scene on a white image of `size` pixels.
QImage renderChart(const reports::ChartScene& scene, QSize size);

// PNG (raster) or SVG (the core writer) by the file's suffix. Fails with
// IoError (cannot write) or MalformedInput (another suffix).
Result<void> writeChartFile(const reports::ChartScene& scene, QSize size, const QString& path);

} // namespace flight::ui
