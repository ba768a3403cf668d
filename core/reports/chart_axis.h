// SPDX-License-Identifier: MIT
#pragma once
// Axes of the report charts: round tick values, byte units, and the plot
// rectangle that maps data to pixels.

#include "reports/chart_scene.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flight::reports {

struct PlotArea {
    double left = 0, top = 0, right = 0, bottom = 0;
    double xFrom = 0, xTo = 1;   // data range on x
    double yFrom = 0, yTo = 1;   // data range on y

    double width() const { return right - left; }
    double height() const { return bottom - top; }
    double x(double v) const { return left + (v - xFrom) / (xTo - xFrom) * width(); }
    double y(double v) const { return bottom - (v - yFrom) / (yTo - yFrom) * height(); }
};

// Round ticks (1, 2, 2.5, 5 x 10^k) covering [lo, hi], at most maxTicks + 1.
std::vector<double> niceTicks(double lo, double hi, int maxTicks);
// "128", "2.5", "0.25": no trailing zeros.
std::string tickText(double v);

struct ByteScale {
    double unitBytes = 1;
    std::string unitName = "B";
};
ByteScale chooseByteScale(double maxBytes); // B, KB, MB, GB (base 1024)

// The y axis in bytes: grid lines, tick labels and the unit. Sets yTo to the last tick.
void drawBytesAxis(ChartScene& scene, PlotArea& plot, double maxBytes);
// The y axis in percent 0..100.
void drawPercentAxis(ChartScene& scene, const PlotArea& plot);
// The x axis in seconds from originMs; plot.xFrom/xTo are ms.
void drawSecondsAxis(ChartScene& scene, const PlotArea& plot, std::int64_t originMs);
// A legend row of colour swatches from (x, y), wrapping at maxX; returns the y after it.
struct LegendEntry {
    std::string label;
    std::string colour;
    bool line = false;   // a line sample instead of a swatch
    bool dashed = false;
};
double drawLegend(ChartScene& scene, const std::vector<LegendEntry>& entries, double x, double y, double maxX);

} // namespace flight::reports
