// SPDX-License-Identifier: MIT
#include "reports/budget_chart.h"

#include "reports/chart_axis.h"
#include "reports/report_format.h"

#include <algorithm>
#include <cmath>

namespace flight::reports {

const VerdictFigures* chartedVerdict(const SessionReport& r)
{
    for (const VerdictFigures& v : r.verdicts)
        if (v.highlighted)
            return &v;
    return r.verdicts.empty() ? nullptr : &r.verdicts.front();
}

ChartScene budgetChart(const SessionReport& r, double width)
{
    constexpr double kRow = 26;
    ChartScene scene;
    scene.width = width;
    const VerdictFigures* v = chartedVerdict(r);
    struct Row {
        std::string label;
        std::uint64_t used;
        std::uint64_t budget;
    };
    std::vector<Row> rows;
    if (v) {
        rows.push_back({"Total", v->verdict.usedBytes, v->budget.totalBytes});
        for (const PurposeVerdict& p : v->verdict.purposes)
            if (p.budgetBytes)
                rows.push_back({p.purpose.displayName(), p.usedBytes, *p.budgetBytes});
    }
    scene.height = 62 + kRow * static_cast<double>(std::max<std::size_t>(1, rows.size())) + 30;
    scene.title = r.sessionId + " · budget " + (v ? v->budget.name : std::string("(none)"));
    scene.label(12, 20, scene.title, 14, TextAnchor::Start, std::string(kInkColor), true);
    if (!v) {
        scene.label(12, 52, "No budget for this session's platform: give one with --budgets FILE.", 11);
        return scene;
    }
    scene.label(12, 38,
                std::string(v->verdict.fits ? "Fits" : "Over budget") +
                    (v->budget.source.empty() ? std::string() : "  ·  " + v->budget.source),
                10.5, TextAnchor::Start, v->verdict.fits ? "#2e7d32" : "#9b1c13", true);
    double maxPct = 100;
    for (const Row& row : rows)
        if (row.budget > 0)
            maxPct = std::max(maxPct, 100.0 * static_cast<double>(row.used) / static_cast<double>(row.budget));
    maxPct = std::min(maxPct, 300.0);
    PlotArea plot;
    plot.left = 150;
    plot.right = width - 250;
    plot.top = 50;
    plot.bottom = plot.top + kRow * static_cast<double>(rows.size());
    plot.xFrom = 0;
    plot.xTo = niceTicks(0, maxPct, 4).back();
    for (double t : niceTicks(0, maxPct, 4)) {
        const double x = plot.x(t);
        scene.line(x, plot.top - 4, x, plot.bottom, std::string(kGridColor), 0.6).series = "grid";
        scene.label(x, plot.bottom + 14, tickText(t) + " %", 10, TextAnchor::Middle);
    }
    double y = plot.top;
    for (const Row& row : rows) {
        const double pct = row.budget ? 100.0 * static_cast<double>(row.used) / static_cast<double>(row.budget) : 0;
        const bool fits = row.used <= row.budget;
        scene.label(plot.left - 8, y + 17, row.label, 11, TextAnchor::End, std::string(kInkColor), row.label == "Total");
        scene.rect(plot.left, y + 5, std::max(0.0, plot.x(std::min(pct, plot.xTo)) - plot.left), 16,
                   fits ? pressureColor(MemoryPressure::Low) : pressureColor(MemoryPressure::Critical))
            .series = fits ? "fits" : "over";
        scene.label(plot.right + 10, y + 17,
                    formatBytes(row.used) + " / " + formatBytes(row.budget) + " (" + tickText(std::round(pct)) + " %)",
                    10.5, TextAnchor::Start, fits ? std::string(kInkColor) : std::string("#9b1c13"));
        y += kRow;
    }
    const double x100 = plot.x(100);
    scene.line(x100, plot.top - 6, x100, plot.bottom, std::string(kInkColor), 1.4, true).series = "budget-line";
    scene.line(plot.left, plot.top - 4, plot.left, plot.bottom, std::string(kInkColor), 1.0).series = "axis";
    return scene;
}

} // namespace flight::reports
