// SPDX-License-Identifier: MIT
#include "reports/html_report.h"

#include "analytics/leak_candidates.h"
#include "reports/budget_chart.h"
#include "reports/pressure_chart.h"
#include "reports/purpose_bars_chart.h"
#include "reports/report_format.h"
#include "reports/svg_chart.h"
#include "reports/timeline_chart.h"

#include <algorithm>

namespace flight::reports {
namespace {

constexpr std::string_view kStyle = R"(
:root { --ink: #1f2a44; --muted: #5b6275; --line: #d9dce3; --over: #9b1c13; --fits: #2e7d32; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1040px; padding: 24px; line-height: 1.4; font-size: 14px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 15px; margin: 22px 0 6px; }
p.meta { color: var(--muted); margin: 2px 0; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.highlight td { font-weight: 600; background: #f2f5fb; }
.over { color: var(--over); font-weight: 600; }
.fits { color: var(--fits); font-weight: 600; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 8px 16px; margin: 12px 0; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.figure .label { color: var(--muted); font-size: 12px; }
.figure .value { font-size: 18px; font-weight: 600; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
figure.chart { margin: 8px 0 16px; }
figure.chart svg { width: 100%; height: auto; display: block; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
.note { color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  section.session { break-before: page; }
  figure.chart, table, .figures { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  tr.highlight td { background: none; }
  a { color: inherit; text-decoration: none; }
}
)";

std::string esc(std::string_view s) { return xmlEscape(s); }

std::string td(std::string_view text, bool num = false, std::string_view cls = {})
{
    std::string c = num ? "num" : "";
    if (!cls.empty())
        c += (c.empty() ? "" : " ") + std::string(cls);
    return (c.empty() ? std::string("<td>") : "<td class=\"" + c + "\">") + esc(text) + "</td>";
}

std::string figure(std::string_view label, std::string_view value, std::string_view note = {})
{
    std::string out = "<div class=\"figure\"><div class=\"label\">" + esc(label) + "</div><div class=\"value\">" +
                      esc(value) + "</div>";
    if (!note.empty())
        out += "<div class=\"label\">" + esc(note) + "</div>";
    return out + "</div>\n";
}

std::string chart(const ChartScene& scene, const HtmlReportOptions& o)
{
    return "<figure class=\"chart\">" + (o.chartMarkup ? o.chartMarkup(scene) : toSvg(scene)) + "</figure>\n";
}

std::string verdictWord(const VerdictFigures* v)
{
    if (!v)
        return "no budget";
    return v->verdict.fits ? "fits " + v->budget.name : "over " + v->budget.name;
}

void summary(std::string& out, const SessionReport& r, const HtmlReportOptions& o)
{
    const double total = static_cast<double>(r.totalBytes);
    auto share = [&](std::uint64_t b) { return r.totalBytes ? percentText(static_cast<double>(b) / total) + " of total" : std::string(); };
    struct Figure {
        std::string label, value, note;
    };
    std::vector<Figure> figures{
        {"Platform", r.platform, r.totalBytes ? "total " + formatBytes(r.totalBytes, o.units) : "total unknown"},
        {"Duration", formatDuration(r.durationMs()), utcText(r.fromMs)},
        {"Used at end", formatBytes(r.endBytes, o.units), share(r.endBytes)},
        {"Peak", formatBytes(r.peakBytes, o.units), "at " + secondsText(r.peakAtMs - r.firstMs)},
        {"Average", formatBytes(r.averageBytes, o.units), "time-weighted"},
        {"95th percentile", formatBytes(r.p95Bytes, o.units), "time-weighted"},
        {"Pressure at end", std::string(toString(r.endPressure)), {}},
        {"Allocations", std::to_string(r.allocationsInRange), std::to_string(r.freesInRange) + " freed"},
    };
    if (r.ruleCoveragePercent)
        figures.push_back({"Rule coverage", percentText(*r.ruleCoveragePercent / 100.0), "of bytes classified"});
    if (o.figuresAsTable) {
        constexpr std::size_t kColumns = 4;
        out += "<table class=\"figure-table\" width=\"100%\" cellspacing=\"0\" cellpadding=\"6\">\n";
        for (std::size_t i = 0; i < figures.size(); i += kColumns) {
            out += "<tr>";
            for (std::size_t c = i; c < i + kColumns; ++c) {
                if (c >= figures.size()) {
                    out += "<td width=\"25%\"></td>";
                    continue;
                }
                const Figure& f = figures[c];
                // Inline styles: a QTextBrowser applies them where it ignores class rules.
                const std::string label = "<span style=\"color:#5f6b7a; font-size:small\">";
                out += "<td width=\"25%\">" + label + esc(f.label) + "</span><br><span style=\"font-size:large; font-weight:600\">" +
                       esc(f.value) + "</span>" + (f.note.empty() ? "" : "<br>" + label + esc(f.note) + "</span>") + "</td>";
            }
            out += "</tr>\n";
        }
        out += "</table>\n";
    } else {
        out += "<div class=\"figures\">\n";
        for (const Figure& f : figures)
            out += figure(f.label, f.value, f.note);
        out += "</div>\n";
    }

    out += "<h3>Time at each pressure level</h3>\n<table><tr><th>level</th><th class=\"num\">time</th><th class=\"num\">share</th></tr>\n";
    const auto span = static_cast<double>(std::max<std::int64_t>(1, r.durationMs()));
    for (int level = 0; level < kPressureLevelCount; ++level) {
        const auto p = static_cast<MemoryPressure>(level);
        const auto ms = r.pressureMs[static_cast<std::size_t>(level)];
        out += "<tr><td><span class=\"swatch\" style=\"background:" + pressureColor(p) + "\"></span>" +
               esc(toString(p)) + "</td>" + td(formatDuration(ms), true) + td(percentText(static_cast<double>(ms) / span), true) + "</tr>\n";
    }
    out += "</table>\n<h3>Pressure changes</h3>\n";
    if (r.pressureChanges.empty()) {
        out += "<p>None.</p>\n";
    } else {
        out += "<table><tr><th class=\"num\">time</th><th>change</th></tr>\n";
        for (const PressureChange& c : r.pressureChanges)
            out += "<tr>" + td(secondsText(c.timeMs - r.firstMs), true) + td(pressureChangeText(c)) + "</tr>\n";
        out += "</table>\n";
    }
    out += "<h3>Limits and crossings</h3>\n";
    if (!r.limits) {
        out += "<p>The producer sent no limits.</p>\n";
    } else {
        out += "<table><tr><th>limit</th><th class=\"num\">bytes</th></tr>\n";
        const std::pair<const char*, std::uint64_t> limits[] = {
            {"soft limit", r.limits->softLimit.bytes}, {"hard limit", r.limits->hardLimit.bytes},
            {"heap max", r.limits->heapMax.bytes}, {"stack max", r.limits->stackMax.bytes},
            {"cache max", r.limits->cacheMax.bytes}};
        for (const auto& [name, bytes] : limits)
            if (bytes)
                out += "<tr>" + td(name) + td(formatBytes(bytes, o.units), true) + "</tr>\n";
        out += "</table>\n";
    }
    out += "<p>Limit crossings: " + esc(crossingsText(r)) + ".</p>\n";
    if (!r.crossings.empty()) {
        constexpr std::size_t kShown = 20;
        out += "<table><tr><th class=\"num\">time</th><th>limit crossed</th></tr>\n";
        for (std::size_t i = 0; i < std::min(kShown, r.crossings.size()); ++i)
            out += "<tr>" + td(secondsText(r.crossings[i].timeMs - r.firstMs), true) +
                   td(r.crossings[i].hard ? "hard" : "soft", false, "over") + "</tr>\n";
        out += "</table>\n";
        if (r.crossings.size() > kShown)
            out += "<p class=\"note\">" + std::to_string(r.crossings.size() - kShown) + " more.</p>\n";
    }
}

void purposes(std::string& out, const SessionReport& r, const HtmlReportOptions& o)
{
    out += "<h3>Usage by purpose</h3>\n<table><tr><th>purpose</th><th class=\"num\">end</th><th class=\"num\">peak</th>"
           "<th class=\"num\">average</th><th class=\"num\">p95</th></tr>\n";
    for (const PurposeFigures& p : r.purposes)
        out += "<tr><td><span class=\"swatch\" style=\"background:" + purposeColor(p.purpose) + "\"></span>" +
               esc(p.purpose.name()) + "</td>" + td(formatBytes(p.endBytes, o.units), true) + td(formatBytes(p.peakBytes, o.units), true) +
               td(formatBytes(p.averageBytes, o.units), true) + td(formatBytes(p.p95Bytes, o.units), true) + "</tr>\n";
    out += "</table>\n" + chart(purposeBarsChart(r), o);
}

void budgets(std::string& out, const SessionReport& r, const ReportData& data, const HtmlReportOptions& o)
{
    out += "<h3>Budgets (usage at " + esc(toString(data.at)) + ")</h3>\n";
    if (r.verdicts.empty()) {
        out += "<p>No budget applies: give one with <code>--budgets FILE</code>.</p>\n";
        return;
    }
    out += "<table><tr><th>budget</th><th>platform</th><th class=\"num\">used</th><th class=\"num\">budget</th>"
           "<th class=\"num\">headroom</th><th>verdict</th><th>over in</th></tr>\n";
    for (const VerdictFigures& v : r.verdicts) {
        out += std::string(v.highlighted ? "<tr class=\"highlight\">" : "<tr>") + td(v.budget.name) + td(v.budget.platform) +
               td(formatBytes(v.verdict.usedBytes, o.units), true) + td(formatBytes(v.budget.totalBytes, o.units), true) +
               td(formatSignedBytes(v.verdict.headroomBytes, o.units), true, v.verdict.totalFits ? "" : "over") +
               td(v.verdict.fits ? "fits" : "over", false, v.verdict.fits ? "fits" : "over") + td(overInText(v.verdict, SIZE_MAX, o.units)) + "</tr>\n";
    }
    out += "</table>\n";
    if (const VerdictFigures* v = chartedVerdict(r)) {
        out += "<h3>Headroom by purpose — " + esc(v->budget.name) + "</h3>\n<table><tr><th>purpose</th>"
               "<th class=\"num\">used</th><th class=\"num\">budget</th><th class=\"num\">headroom</th></tr>\n";
        out += "<tr>" + td("total") + td(formatBytes(v->verdict.usedBytes, o.units), true) + td(formatBytes(v->budget.totalBytes, o.units), true) +
               td(formatSignedBytes(v->verdict.headroomBytes, o.units), true, v->verdict.totalFits ? "" : "over") + "</tr>\n";
        for (const PurposeVerdict& p : v->verdict.purposes)
            out += "<tr>" + td(p.purpose.name()) + td(formatBytes(p.usedBytes, o.units), true) +
                   td(p.budgetBytes ? formatBytes(*p.budgetBytes, o.units) : "-", true) +
                   td(p.budgetBytes ? formatSignedBytes(p.headroomBytes, o.units) : "-", true, p.fits ? "" : "over") + "</tr>\n";
        out += "</table>\n" + chart(budgetChart(r), o);
    }
}

void allocationTable(std::string& out, const std::vector<MemoryAllocation>& list, const SessionReport& r,
                     const HtmlReportOptions& o)
{
    if (list.empty()) {
        out += "<p>None.</p>\n";
        return;
    }
    out += "<table><tr><th>#</th><th>id</th><th>purpose</th><th class=\"num\">size</th><th class=\"num\">allocated</th>"
           "<th class=\"num\">freed</th></tr>\n";
    int n = 0;
    for (const MemoryAllocation& a : list)
        out += "<tr>" + td(std::to_string(++n), true) + "<td><code>" + esc(a.id) + "</code></td>" + td(a.purpose.name()) +
               td(formatBytes(a.size.bytes, o.units), true) + td(secondsText(a.allocatedAt - r.firstMs), true) +
               td(a.freedAt ? secondsText(*a.freedAt - r.firstMs) : "never", true) + "</tr>\n";
    out += "</table>\n";
}

void session(std::string& out, const SessionReport& r, const ReportData& data, const HtmlReportOptions& o)
{
    out += "<section class=\"session\">\n<h2>" + esc(r.sessionId) + " · " + esc(r.platformText()) + "</h2>\n";
    out += "<p class=\"meta\">" + esc(r.source) + " — " + esc(secondsText(r.fromMs - r.firstMs)) + " to " +
           esc(secondsText(r.toMs - r.firstMs)) + " of " + esc(formatDuration(r.lastMs - r.firstMs)) + "</p>\n";
    summary(out, r, o);
    out += "<h3>Timeline by purpose</h3>\n" + chart(timelineChart(r), o);
    out += "<h3>Pressure over time</h3>\n" + chart(pressureChart(r), o);
    purposes(out, r, o);
    budgets(out, r, data, o);
    out += "<h3>Largest allocations (top " + std::to_string(kTopAllocations) + ")</h3>\n";
    allocationTable(out, r.largestAllocations, r, o);
    out += "<h3>Leak candidates</h3>\n<p>" + std::to_string(r.leakCandidateCount) + " allocation(s), " +
           esc(formatBytes(r.leakCandidateBytes, o.units)) + ", " + esc(kLeakCandidateDefinition) + "; the largest " +
           std::to_string(std::min<std::uint64_t>(r.leakCandidateCount, kTopAllocations)) + ":</p>\n";
    allocationTable(out, r.leakCandidates, r, o);
    out += "<h3>Errors by code</h3>\n";
    if (r.errorsByCode.empty()) {
        out += "<p>None.</p>\n";
    } else {
        out += "<table><tr><th>code</th><th class=\"num\">count</th></tr>\n";
        for (const auto& [code, count] : r.errorsByCode)
            out += "<tr>" + td(code) + td(std::to_string(count), true) + "</tr>\n";
        out += "</table>\n";
    }
    if (!r.markers.empty()) {
        out += "<h3>Markers</h3>\n<table><tr><th class=\"num\">time</th><th>label</th></tr>\n";
        for (const Marker& m : r.markers)
            out += "<tr>" + td(secondsText(m.timeMs - r.firstMs), true) + td(m.label) + "</tr>\n";
        out += "</table>\n";
    }
    out += "</section>\n";
}

} // namespace

std::string htmlReport(const ReportData& data, const HtmlReportOptions& o)
{
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>Flight memory report</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n<header>\n<h1>Flight memory report</h1>\n";
    std::string inputs;
    for (const std::string& i : data.inputs)
        inputs += (inputs.empty() ? "" : ", ") + i;
    out += "<p class=\"meta\">" + esc(inputs) + " — " + std::to_string(data.sessions.size()) + " session(s)";
    if (data.ranged)
        out += " — range " + esc(reportRangeText(data));
    if (data.platform)
        out += " — budgets of " + esc(*data.platform);
    out += " — flight-inspector " FLIGHT_VERSION "</p>\n</header>\n";

    out += "<h2>Sessions</h2>\n<table><tr><th>source</th><th>session</th><th>platform</th><th class=\"num\">duration</th>"
           "<th class=\"num\">end</th><th class=\"num\">peak</th><th class=\"num\">average</th><th class=\"num\">p95</th>"
           "<th>budget</th></tr>\n";
    for (const SessionReport& r : data.sessions) {
        const VerdictFigures* v = chartedVerdict(r);
        out += "<tr>" + td(r.source) + td(r.sessionId) + td(r.platform) + td(formatDuration(r.durationMs()), true) +
               td(formatBytes(r.endBytes, o.units), true) + td(formatBytes(r.peakBytes, o.units), true) + td(formatBytes(r.averageBytes, o.units), true) +
               td(formatBytes(r.p95Bytes, o.units), true) + td(verdictWord(v), false, v ? (v->verdict.fits ? "fits" : "over") : "") +
               "</tr>\n";
    }
    out += "</table>\n";
    for (const SessionReport& r : data.sessions)
        session(out, r, data, o);

    out += "<section>\n<h2>Decode problems</h2>\n<p>" + std::to_string(data.decodeErrors) + " decode error(s), " +
           std::to_string(data.sessionErrors) + " session error(s), " + std::to_string(data.warnings) + " warning(s).</p>\n";
    if (!data.problems.empty()) {
        constexpr std::size_t kMaxLines = 500;
        out += "<table><tr><th>source</th><th class=\"num\">line</th><th>kind</th><th>message</th></tr>\n";
        for (std::size_t i = 0; i < std::min(kMaxLines, data.problems.size()); ++i) {
            const ProblemLine& p = data.problems[i];
            out += "<tr>" + td(p.source) + td(std::to_string(p.line), true) + td(p.kind) + td(p.message) + "</tr>\n";
        }
        out += "</table>\n";
        if (data.problems.size() > kMaxLines)
            out += "<p class=\"note\">" + std::to_string(data.problems.size() - kMaxLines) +
                   " more: see <code>--format json</code>.</p>\n";
    }
    out += "</section>\n</body>\n</html>\n";
    if (o.figuresAsTable) {
        // A QTextBrowser ignores CSS padding on cells: without the attribute
        // the columns of every table run into each other ("41.6 s42.9 %").
        constexpr std::string_view plain = "<table>", padded = "<table cellpadding=\"3\">";
        for (std::size_t at = out.find(plain); at != std::string::npos; at = out.find(plain, at + padded.size()))
            out.replace(at, plain.size(), padded);
    }
    return out;
}

} // namespace flight::reports
