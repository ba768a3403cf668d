// SPDX-License-Identifier: MIT
#include "reports/purpose_bars_chart.h"

#include "reports/chart_axis.h"
#include "reports/report_format.h"

#include <algorithm>

namespace flight::reports {

ChartScene purposeBarsChart(const SessionReport& r, double width)
{
    constexpr double kRow = 26;
    ChartScene scene;
    scene.width = width;
    const std::size_t rows = std::max<std::size_t>(1, r.purposes.size());
    scene.height = 58 + kRow * static_cast<double>(rows) + 40;
    scene.title = r.sessionId + " · usage by purpose";
    scene.label(12, 20, scene.title, 14, TextAnchor::Start, std::string(kInkColor), true);

    PlotArea plot;
    plot.left = 150;
    plot.right = width - 230;
    plot.top = 40;
    plot.bottom = plot.top + kRow * static_cast<double>(rows);
    if (r.purposes.empty()) {
        scene.label(plot.left, plot.top + 16, "No memory held by any purpose in this range.", 11);
        return scene;
    }
    std::uint64_t max = 1;
    for (const PurposeFigures& p : r.purposes)
        max = std::max(max, p.peakBytes);
    const ByteScale scale = chooseByteScale(static_cast<double>(max));
    const auto ticks = niceTicks(0, static_cast<double>(max) / scale.unitBytes, 5);
    plot.xFrom = 0;
    plot.xTo = ticks.back() * scale.unitBytes;
    for (double t : ticks) {
        const double x = plot.x(t * scale.unitBytes);
        scene.line(x, plot.top - 4, x, plot.bottom, std::string(kGridColor), 0.6).series = "grid";
        scene.label(x, plot.bottom + 14, tickText(t) + " " + scale.unitName, 10, TextAnchor::Middle);
    }
    double y = plot.top;
    for (const PurposeFigures& p : r.purposes) {
        const std::string colour = purposeColor(p.purpose);
        const std::string name(p.purpose.name());
        scene.label(plot.left - 8, y + 17, p.purpose.displayName(), 11, TextAnchor::End);
        scene.rect(plot.left, y + 5, plot.x(static_cast<double>(p.peakBytes)) - plot.left, 16, colour, 0.35).series =
            name + "-peak";
        scene.rect(plot.left, y + 8, plot.x(static_cast<double>(p.endBytes)) - plot.left, 10, colour).series =
            name + "-end";
        const double ax = plot.x(static_cast<double>(p.averageBytes));
        scene.line(ax, y + 3, ax, y + 23, std::string(kInkColor), 1.5).series = name + "-average";
        scene.label(plot.right + 10, y + 17,
                    "peak " + formatBytes(p.peakBytes) + " · end " + formatBytes(p.endBytes), 10.5);
        y += kRow;
    }
    scene.line(plot.left, plot.top - 4, plot.left, plot.bottom, std::string(kInkColor), 1.0).series = "axis";
    std::vector<LegendEntry> legend = {{"peak", "#9aa3b5"}, {"end of range", "#4b5568"},
                                       {"average", std::string(kInkColor), true}};
    drawLegend(scene, legend, plot.left, plot.bottom + 34, width - 24);
    return scene;
}

} // namespace flight::reports
