// SPDX-License-Identifier: MIT
#include "reports/markdown_report.h"

#include "analytics/leak_candidates.h"
#include "reports/budget_chart.h"
#include "reports/report_format.h"

#include <algorithm>

namespace flight::reports {
namespace {

std::string row(std::initializer_list<std::string> cells)
{
    std::string out = "|";
    for (const std::string& c : cells)
        out += " " + markdownCell(c) + " |";
    return out + "\n";
}

void allocations(std::string& out, const std::vector<MemoryAllocation>& list, const SessionReport& r)
{
    if (list.empty()) {
        out += "None.\n\n";
        return;
    }
    out += "| # | id | purpose | size | allocated | freed |\n|--:|---|---|--:|--:|--:|\n";
    int n = 0;
    for (const MemoryAllocation& a : list)
        out += row({std::to_string(++n), "`" + a.id + "`", std::string(a.purpose.name()), formatBytes(a.size.bytes),
                    secondsText(a.allocatedAt - r.firstMs), a.freedAt ? secondsText(*a.freedAt - r.firstMs) : "never"});
    out += "\n";
}

void session(std::string& out, const SessionReport& r, const ReportData& data)
{
    out += "## " + markdownCell(r.sessionId) + " · " + markdownCell(r.platformText()) + "\n\n";
    out += "Source `" + r.source + "`, " + secondsText(r.fromMs - r.firstMs) + " to " + secondsText(r.toMs - r.firstMs) +
           " (" + formatDuration(r.durationMs()) + ").\n\n";
    out += "| figure | value |\n|---|--:|\n";
    out += row({"platform", r.platform});
    out += row({"total", r.totalBytes ? formatBytes(r.totalBytes) : "unknown"});
    out += row({"duration", formatDuration(r.durationMs())});
    out += row({"used at end", formatBytes(r.endBytes)});
    out += row({"peak", formatBytes(r.peakBytes) + " at " + secondsText(r.peakAtMs - r.firstMs)});
    out += row({"average", formatBytes(r.averageBytes)});
    out += row({"95th percentile", formatBytes(r.p95Bytes)});
    out += row({"pressure at end", std::string(toString(r.endPressure))});
    for (int level = 0; level < kPressureLevelCount; ++level)
        out += row({"time at " + std::string(toString(static_cast<MemoryPressure>(level))),
                    formatDuration(r.pressureMs[static_cast<std::size_t>(level)])});
    if (r.limits) {
        out += row({"soft limit", formatBytes(r.limits->softLimit.bytes)});
        out += row({"hard limit", formatBytes(r.limits->hardLimit.bytes)});
    }
    out += row({"limit crossings", crossingsText(r)});
    if (r.ruleCoveragePercent)
        out += row({"rule coverage", percentText(*r.ruleCoveragePercent / 100.0) + " of bytes classified"});
    out += "\n### Pressure changes\n\n";
    if (r.pressureChanges.empty()) {
        out += "None.\n";
    } else {
        out += "| time | change |\n|--:|---|\n";
        for (const PressureChange& c : r.pressureChanges)
            out += row({secondsText(c.timeMs - r.firstMs), pressureChangeText(c)});
    }
    out += "\n### Usage by purpose\n\n| purpose | end | peak | average | p95 |\n|---|--:|--:|--:|--:|\n";
    for (const PurposeFigures& p : r.purposes)
        out += row({std::string(p.purpose.name()), formatBytes(p.endBytes), formatBytes(p.peakBytes),
                    formatBytes(p.averageBytes), formatBytes(p.p95Bytes)});
    out += "\n### Budgets (usage at " + std::string(toString(data.at)) + ")\n\n";
    if (r.verdicts.empty()) {
        out += "No budget applies.\n\n";
    } else {
        out += "| budget | platform | used | budget | headroom | verdict | over in |\n|---|---|--:|--:|--:|---|---|\n";
        for (const VerdictFigures& v : r.verdicts) {
            const std::string b = v.highlighted ? "**" : "";
            out += row({b + v.budget.name + b, v.budget.platform, formatBytes(v.verdict.usedBytes),
                        formatBytes(v.budget.totalBytes), formatSignedBytes(v.verdict.headroomBytes),
                        v.verdict.fits ? "fits" : "**over**", overInText(v.verdict)});
        }
        if (const VerdictFigures* v = chartedVerdict(r)) {
            out += "\nHeadroom by purpose against " + markdownCell(v->budget.name) +
                   ":\n\n| purpose | used | budget | headroom |\n|---|--:|--:|--:|\n";
            for (const PurposeVerdict& p : v->verdict.purposes)
                out += row({std::string(p.purpose.name()), formatBytes(p.usedBytes),
                            p.budgetBytes ? formatBytes(*p.budgetBytes) : "-",
                            p.budgetBytes ? formatSignedBytes(p.headroomBytes) + (p.fits ? "" : " **over**") : "-"});
        }
        out += "\n";
    }
    out += "### Largest allocations\n\n";
    allocations(out, r.largestAllocations, r);
    out += "### Leak candidates\n\n" + std::to_string(r.leakCandidateCount) + " allocation(s), " +
           formatBytes(r.leakCandidateBytes) + ", " + std::string(kLeakCandidateDefinition) + ".\n\n";
    allocations(out, r.leakCandidates, r);
    out += "### Errors by code\n\n";
    if (r.errorsByCode.empty()) {
        out += "None.\n\n";
    } else {
        out += "| code | count |\n|---|--:|\n";
        for (const auto& [code, count] : r.errorsByCode)
            out += row({code, std::to_string(count)});
        out += "\n";
    }
}

} // namespace

std::string markdownReport(const ReportData& data)
{
    std::string out = "# Flight memory report\n\n";
    std::string inputs;
    for (const std::string& i : data.inputs)
        inputs += (inputs.empty() ? "`" : ", `") + i + "`";
    out += inputs + ": " + std::to_string(data.sessions.size()) + " session(s), " + reportRangeText(data) + ".\n\n";
    out += "| source | session | platform | duration | end | peak | average | p95 | budget |\n"
           "|---|---|---|--:|--:|--:|--:|--:|---|\n";
    for (const SessionReport& r : data.sessions) {
        const VerdictFigures* v = chartedVerdict(r);
        out += row({r.source, r.sessionId, r.platform, formatDuration(r.durationMs()), formatBytes(r.endBytes),
                    formatBytes(r.peakBytes), formatBytes(r.averageBytes), formatBytes(r.p95Bytes),
                    v ? (v->verdict.fits ? "fits " : "**over** ") + v->budget.name : "-"});
    }
    out += "\n";
    for (const SessionReport& r : data.sessions)
        session(out, r, data);
    out += "## Decode problems\n\n" + std::to_string(data.decodeErrors) + " decode error(s), " +
           std::to_string(data.sessionErrors) + " session error(s), " + std::to_string(data.warnings) +
           " warning(s).\n";
    if (!data.problems.empty()) {
        constexpr std::size_t kMaxLines = 100;
        out += "\n| source | line | kind | message |\n|---|--:|---|---|\n";
        for (std::size_t i = 0; i < std::min(kMaxLines, data.problems.size()); ++i) {
            const ProblemLine& p = data.problems[i];
            out += row({p.source, std::to_string(p.line), p.kind, p.message});
        }
        if (data.problems.size() > kMaxLines)
            out += "\n" + std::to_string(data.problems.size() - kMaxLines) + " more (see `--format json`).\n";
    }
    return out;
}

} // namespace flight::reports
