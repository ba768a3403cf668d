// SPDX-License-Identifier: MIT
#include "reports/pressure_chart.h"

#include "reports/chart_axis.h"
#include "reports/report_format.h"
#include "reports/used_envelope.h"

#include <algorithm>

namespace flight::reports {

ChartScene pressureChart(const SessionReport& r, double width, double height)
{
    ChartScene scene;
    scene.width = width;
    scene.height = height;
    scene.title = r.sessionId + " · pressure over time";
    scene.label(12, 20, scene.title, 14, TextAnchor::Start, std::string(kInkColor), true);

    // Time at each level, as a legend.
    std::vector<LegendEntry> legend;
    for (int level = 0; level < kPressureLevelCount; ++level) {
        const auto p = static_cast<MemoryPressure>(level);
        legend.push_back({std::string(toString(p)) + " " + formatDuration(r.pressureMs[static_cast<std::size_t>(level)]),
                          pressureColor(p)});
    }
    ChartScene dry;
    const double legendHeight = drawLegend(dry, legend, 0, 0, width - 24);

    PlotArea plot;
    plot.left = 78;
    plot.right = width - 96; // the thresholds are labelled to the right
    plot.top = 34;
    plot.bottom = height - 28 - legendHeight;
    plot.xFrom = static_cast<double>(r.fromMs);
    plot.xTo = static_cast<double>(std::max(r.toMs, r.fromMs + 1));
    plot.yFrom = 0;
    plot.yTo = 100;

    if (r.totalBytes == 0 || !r.model) {
        scene.label(width / 2, (plot.top + plot.bottom) / 2, "Total unknown: pressure cannot be computed (stays low).",
                    12, TextAnchor::Middle);
        drawLegend(scene, legend, 12, height - legendHeight + 10, width - 24);
        return scene;
    }
    const auto total = static_cast<double>(r.totalBytes);
    const PressureThresholds th = r.model->info().thresholds;
    const auto points = usedEnvelope(*r.model, r.fromMs, std::max(r.toMs, r.fromMs + 1), static_cast<int>(plot.width()));

    // Background runs by level (the highest level reached in each stretch).
    double runStart = plot.left;
    MemoryPressure runLevel = computePressure(points.empty() ? 0 : points.front().used, r.totalBytes, th);
    auto closeRun = [&](double x) {
        if (x > runStart)
            scene.rect(runStart, plot.top, x - runStart, plot.height(), pressureColor(runLevel), 0.22).series =
                std::string("pressure-") + std::string(toString(runLevel));
    };
    for (const UsedPoint& p : points) {
        const MemoryPressure level = computePressure(p.used, r.totalBytes, th);
        const double x = std::clamp(plot.x(p.timeMs), plot.left, plot.right);
        if (level != runLevel) {
            closeRun(x);
            runStart = x;
            runLevel = level;
        }
    }
    closeRun(plot.right);

    drawPercentAxis(scene, plot);
    const std::pair<double, MemoryPressure> thresholds[] = {
        {th.medium, MemoryPressure::Medium}, {th.high, MemoryPressure::High}, {th.critical, MemoryPressure::Critical}};
    for (const auto& [fraction, level] : thresholds) {
        const double y = plot.y(fraction * 100);
        scene.line(plot.left, y, plot.right, y, pressureColor(level), 1.2, true).series = "threshold";
        scene.label(plot.right + 6, y + 3.5, std::string(toString(level)) + " " + tickText(fraction * 100) + " %", 9.5,
                    TextAnchor::Start, std::string(kInkColor));
    }
    std::vector<ChartPoint> line;
    line.reserve(points.size());
    for (const UsedPoint& p : points)
        line.push_back({plot.x(p.timeMs), plot.y(std::min(100.0, static_cast<double>(p.used) / total * 100))});
    scene.path(ChartItemKind::Polyline, std::move(line), std::string(kInkColor), {}, "used-percent").strokeWidth = 1.3;
    drawSecondsAxis(scene, plot, r.firstMs);
    scene.line(plot.left, plot.top, plot.left, plot.bottom, std::string(kInkColor), 1.0).series = "axis";
    drawLegend(scene, legend, 12, height - legendHeight + 10, width - 24);
    return scene;
}

} // namespace flight::reports
