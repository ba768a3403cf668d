// SPDX-License-Identifier: MIT
#include "reports/chart_axis.h"

#include "reports/report_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace flight::reports {

std::vector<double> niceTicks(double lo, double hi, int maxTicks)
{
    std::vector<double> out;
    if (!(hi > lo) || maxTicks < 1)
        return {lo};
    const double raw = (hi - lo) / maxTicks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag * 10;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (mag * m >= raw) {
            step = mag * m;
            break;
        }
    const double first = std::floor(lo / step) * step;
    for (double v = first; v < hi + step * 0.999; v += step)
        out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return out;
}

std::string tickText(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0')
        s.pop_back();
    if (!s.empty() && s.back() == '.')
        s.pop_back();
    return s == "-0" ? "0" : s;
}

ByteScale chooseByteScale(double maxBytes)
{
    if (maxBytes >= 1024.0 * 1024 * 1024)
        return {1024.0 * 1024 * 1024, "GB"};
    if (maxBytes >= 1024.0 * 1024)
        return {1024.0 * 1024, "MB"};
    if (maxBytes >= 1024.0)
        return {1024.0, "KB"};
    return {1.0, "B"};
}

void drawBytesAxis(ChartScene& scene, PlotArea& plot, double maxBytes)
{
    const ByteScale scale = chooseByteScale(std::max(1.0, maxBytes));
    const auto ticks = niceTicks(0, std::max(1.0, maxBytes) / scale.unitBytes, 5);
    plot.yFrom = 0;
    plot.yTo = std::max(ticks.back(), 1e-9) * scale.unitBytes;
    for (double t : ticks) {
        const double y = plot.y(t * scale.unitBytes);
        scene.line(plot.left, y, plot.right, y, std::string(kGridColor), 0.6).series = "grid";
        scene.label(plot.left - 6, y + 3.5, tickText(t) + " " + scale.unitName, 10, TextAnchor::End);
    }
}

void drawPercentAxis(ChartScene& scene, const PlotArea& plot)
{
    for (double t : {0.0, 25.0, 50.0, 75.0, 100.0}) {
        const double y = plot.y(t);
        scene.line(plot.left, y, plot.right, y, std::string(kGridColor), 0.6).series = "grid";
        scene.label(plot.left - 6, y + 3.5, tickText(t) + " %", 10, TextAnchor::End);
    }
}

void drawSecondsAxis(ChartScene& scene, const PlotArea& plot, std::int64_t originMs)
{
    const double from = (plot.xFrom - static_cast<double>(originMs)) / 1000.0;
    const double to = (plot.xTo - static_cast<double>(originMs)) / 1000.0;
    const int maxTicks = std::max(2, static_cast<int>(plot.width() / 90));
    scene.line(plot.left, plot.bottom, plot.right, plot.bottom, std::string(kInkColor), 1.0).series = "axis";
    for (double t : niceTicks(from, to, maxTicks)) {
        if (t < from - 1e-9 || t > to + 1e-9)
            continue;
        const double x = plot.x(t * 1000.0 + static_cast<double>(originMs));
        scene.line(x, plot.bottom, x, plot.bottom + 4, std::string(kInkColor), 1.0).series = "axis";
        scene.label(x, plot.bottom + 16, tickText(t) + " s", 10, TextAnchor::Middle);
    }
}

double drawLegend(ChartScene& scene, const std::vector<LegendEntry>& entries, double x, double y, double maxX)
{
    double cx = x;
    const double fontSize = 10.5;
    for (const LegendEntry& e : entries) {
        const double w = 18 + approxTextWidth(e.label, fontSize) + 16;
        if (cx + w > maxX && cx > x) {
            cx = x;
            y += 17;
        }
        if (e.line)
            scene.line(cx, y - 4, cx + 13, y - 4, e.colour, 2.0, e.dashed).series = "legend";
        else
            scene.rect(cx, y - 10, 12, 12, e.colour).series = "legend";
        scene.label(cx + 18, y, e.label, fontSize);
        cx += w;
    }
    return y + 17;
}

} // namespace flight::reports
