// SPDX-License-Identifier: MIT
#include "reports/timeline_chart.h"

#include "reports/chart_axis.h"
#include "reports/report_format.h"
#include "reports/used_envelope.h"

#include <algorithm>
#include <array>

namespace flight::reports {
namespace {

std::vector<LegendEntry> legendFor(const SessionReport& r)
{
    std::vector<LegendEntry> entries;
    for (const PurposeFigures& p : r.purposes)
        entries.push_back({p.purpose.displayName(), purposeColor(p.purpose)});
    entries.push_back({"used", std::string(kInkColor), true});
    if (r.model && !r.model->samples().empty())
        entries.push_back({"untracked", std::string(kUntrackedColor)});
    if (r.totalBytes > 0)
        entries.push_back({"total " + formatBytes(r.totalBytes), std::string(kInkColor), true, true});
    if (r.limits && r.limits->softLimit.bytes > 0)
        entries.push_back({"soft limit", pressureColor(MemoryPressure::High), true, true});
    if (r.limits && r.limits->hardLimit.bytes > 0)
        entries.push_back({"hard limit", pressureColor(MemoryPressure::Critical), true, true});
    return entries;
}

void drawBands(ChartScene& scene, const PlotArea& plot, const SessionReport& r)
{
    if (r.totalBytes == 0 || !r.model)
        return;
    const PressureThresholds th = r.model->info().thresholds;
    const std::array<double, 4> edges = {th.medium, th.high, th.critical, 1.0};
    const std::array<MemoryPressure, 3> levels = {MemoryPressure::Medium, MemoryPressure::High,
                                                  MemoryPressure::Critical};
    for (std::size_t i = 0; i < 3; ++i) {
        const double lo = std::min(plot.y(edges[i] * static_cast<double>(r.totalBytes)), plot.bottom);
        const double hi = std::max(plot.y(edges[i + 1] * static_cast<double>(r.totalBytes)), plot.top);
        if (lo > hi)
            scene.rect(plot.left, hi, plot.width(), lo - hi, pressureColor(levels[i]), 0.13).series = "pressure-band";
    }
}

void drawAreas(ChartScene& scene, const PlotArea& plot, const SessionReport& r)
{
    if (r.purposes.empty())
        return;
    const int samples = std::max(2, static_cast<int>(plot.width() / 2));
    const double span = static_cast<double>(std::max<std::int64_t>(1, r.toMs - r.fromMs));
    std::vector<std::vector<double>> stack(r.purposes.size(), std::vector<double>(static_cast<std::size_t>(samples)));
    std::vector<double> xs(static_cast<std::size_t>(samples));
    for (int k = 0; k < samples; ++k) {
        const auto t = r.fromMs + static_cast<std::int64_t>(span * k / (samples - 1));
        xs[static_cast<std::size_t>(k)] = plot.x(static_cast<double>(t));
        const PurposeUsage u = r.model->usageAt(t);
        double sum = 0;
        for (std::size_t p = 0; p < r.purposes.size(); ++p) {
            sum += static_cast<double>(std::max<std::int64_t>(0, u[r.purposes[p].purpose]));
            stack[p][static_cast<std::size_t>(k)] = sum;
        }
    }
    for (std::size_t p = 0; p < r.purposes.size(); ++p) {
        std::vector<ChartPoint> pts;
        pts.reserve(static_cast<std::size_t>(samples) * 2);
        for (int k = 0; k < samples; ++k)
            pts.push_back({xs[static_cast<std::size_t>(k)], plot.y(stack[p][static_cast<std::size_t>(k)])});
        for (int k = samples - 1; k >= 0; --k)
            pts.push_back({xs[static_cast<std::size_t>(k)], p == 0 ? plot.bottom : plot.y(stack[p - 1][static_cast<std::size_t>(k)])});
        const std::string colour = purposeColor(r.purposes[p].purpose);
        auto& item = scene.path(ChartItemKind::Polygon, std::move(pts), colour, colour,
                                std::string(r.purposes[p].purpose.name()));
        item.fillOpacity = 0.8;
        item.strokeWidth = 0.6;
    }
}

void drawLevel(ChartScene& scene, const PlotArea& plot, std::uint64_t bytes, const std::string& colour,
               const std::string& text, bool dashed, bool labelRight)
{
    if (bytes == 0 || static_cast<double>(bytes) > plot.yTo)
        return;
    const double y = plot.y(static_cast<double>(bytes));
    scene.line(plot.left, y, plot.right, y, colour, 1.4, dashed).series = "limit";
    if (labelRight)
        scene.label(plot.right - 4, y - 4, text, 10, TextAnchor::End, colour);
    else
        scene.label(plot.left + 4, y - 4, text, 10, TextAnchor::Start, colour);
}

void drawMarkers(ChartScene& scene, const PlotArea& plot, const SessionReport& r)
{
    std::array<double, 2> rowEnd = {-1e9, -1e9};
    for (const Marker& m : r.markers) {
        const double x = plot.x(static_cast<double>(m.timeMs));
        scene.line(x, plot.top - 2, x, plot.bottom, std::string(kMarkerColor), 0.9, true).series = "marker";
        std::string text = m.label.size() > 28 ? m.label.substr(0, 27) + "…" : m.label;
        const double w = approxTextWidth(text, 10);
        double left = std::clamp(x - w / 2, plot.left, plot.right - w);
        std::size_t row = rowEnd[0] <= left - 6 ? 0 : rowEnd[1] <= left - 6 ? 1 : 2;
        if (row == 2)
            continue; // no room: the line stays, the label is in the markers table
        rowEnd[row] = left + w;
        scene.label(left, plot.top - 8 - 13.0 * static_cast<double>(1 - row), text, 10, TextAnchor::Start,
                    std::string(kMarkerColor));
    }
}

} // namespace

ChartScene timelineChart(const SessionReport& r, double width, double height)
{
    ChartScene scene;
    scene.width = width;
    scene.height = height;
    scene.title = r.sessionId + " · " + r.platformText() + " — memory by purpose";

    // Legend height first (dry run), so the plot takes the rest.
    ChartScene dry;
    const auto legend = legendFor(r);
    const double legendHeight = drawLegend(dry, legend, 0, 0, width - 24);

    PlotArea plot;
    plot.left = 78;
    plot.right = width - 18;
    plot.top = 62;
    plot.bottom = height - 28 - legendHeight;
    plot.xFrom = static_cast<double>(r.fromMs);
    plot.xTo = static_cast<double>(std::max(r.toMs, r.fromMs + 1));

    scene.label(12, 20, scene.title, 14, TextAnchor::Start, std::string(kInkColor), true);
    std::uint64_t top = std::max(r.totalBytes, r.peakBytes);
    if (r.limits)
        top = std::max({top, r.limits->softLimit.bytes, r.limits->hardLimit.bytes});
    drawBytesAxis(scene, plot, static_cast<double>(std::max<std::uint64_t>(top, 1)));
    drawBands(scene, plot, r);
    if (r.model) {
        std::vector<ChartPoint> used;
        for (const UsedPoint& p : usedEnvelope(*r.model, r.fromMs, std::max(r.toMs, r.fromMs + 1),
                                               static_cast<int>(plot.width())))
            used.push_back({plot.x(p.timeMs), plot.y(static_cast<double>(p.used))});
        // Under the used line, lightly: what no purpose accounts for (untracked) shows above the stack.
        std::vector<ChartPoint> under = used;
        if (!under.empty()) {
            under.push_back({under.back().x, plot.bottom});
            under.push_back({under.front().x, plot.bottom});
            scene.path(ChartItemKind::Polygon, std::move(under), {}, std::string(kUntrackedColor), "untracked")
                .fillOpacity = 0.35;
        }
        drawAreas(scene, plot, r);
        scene.path(ChartItemKind::Polyline, std::move(used), std::string(kInkColor), {}, "used").strokeWidth = 1.3;
    }
    drawLevel(scene, plot, r.totalBytes, std::string(kInkColor), "total " + formatBytes(r.totalBytes), true, true);
    if (r.limits) {
        drawLevel(scene, plot, r.limits->softLimit.bytes, pressureColor(MemoryPressure::High),
                  "soft limit " + formatBytes(r.limits->softLimit.bytes), true, false);
        drawLevel(scene, plot, r.limits->hardLimit.bytes, pressureColor(MemoryPressure::Critical),
                  "hard limit " + formatBytes(r.limits->hardLimit.bytes), true, false);
    }
    drawMarkers(scene, plot, r);
    drawSecondsAxis(scene, plot, r.firstMs);
    scene.line(plot.left, plot.top, plot.left, plot.bottom, std::string(kInkColor), 1.0).series = "axis";
    drawLegend(scene, legend, 12, height - legendHeight + 10, width - 24);
    return scene;
}

} // namespace flight::reports
