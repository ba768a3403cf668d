// SPDX-License-Identifier: MIT
#include "reports/recording_diff_writers.h"

#include "protocol/json_writer.h"
#include "reports/report_format.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace flight::reports {

using protocol::JsonWriter;

namespace {

// "+12.5 %", "-100.0 %", "new" (from 0 to more), "-" (0 on both sides).
std::string percentCell(const DiffFigure& f)
{
    if (f.percent) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%+.1f %%", *f.percent);
        return buf;
    }
    return f.after != 0 ? "new" : "-";
}

std::string signedCount(std::int64_t v) { return (v > 0 ? "+" : "") + std::to_string(v); }

// One row's cells: before, after, change, percent for bytes or counts.
std::vector<std::string> cells(const DiffFigure& f, bool bytes)
{
    if (bytes)
        return {formatBytes(static_cast<std::uint64_t>(std::max<std::int64_t>(0, f.before))),
                formatBytes(static_cast<std::uint64_t>(std::max<std::int64_t>(0, f.after))), formatSignedBytes(f.change),
                percentCell(f)};
    return {std::to_string(f.before), std::to_string(f.after), signedCount(f.change), percentCell(f)};
}

struct Row {
    std::string name;
    const DiffFigure* peak;
    const DiffFigure* average;
    const DiffFigure* end;
    const DiffFigure* allocations;
};

std::vector<Row> rows(const SessionDiff& s)
{
    std::vector<Row> out{{"used", &s.peak, &s.average, &s.end, &s.allocations}};
    for (const PurposeDiff& p : s.purposes)
        out.push_back({std::string(p.purpose.name()), &p.peak, &p.average, &p.end, &p.allocations});
    return out;
}

std::vector<std::string> rowCells(const Row& r)
{
    std::vector<std::string> out{r.name};
    for (const DiffFigure* f : {r.peak, r.average, r.end})
        for (std::string& c : cells(*f, true))
            out.push_back(std::move(c));
    for (std::string& c : cells(*r.allocations, false))
        out.push_back(std::move(c));
    return out;
}

const std::vector<std::string>& headers()
{
    static const std::vector<std::string> h{"purpose",   "peak A",   "peak B",  "change",   "%",         "average A",
                                            "average B", "change",   "%",       "end A",    "end B",     "change",
                                            "%",         "allocs A", "allocs B", "change",  "%"};
    return h;
}

std::string sideText(const std::optional<DiffSessionFigures>& f)
{
    if (!f)
        return "(none)";
    return f->sessionId + " (" + (f->platform.empty() ? std::string("no platform") : f->platform) + ", " + f->source +
           ")";
}

std::string pairingText(const SessionDiff& s)
{
    switch (s.pairing) {
    case DiffPairing::SessionId: return "paired by session id";
    case DiffPairing::Order: return "paired by order";
    case DiffPairing::OnlyInA: return "only in A";
    case DiffPairing::OnlyInB: return "only in B";
    }
    return {};
}

std::string verdictText(const std::optional<DiffSessionFigures>& f)
{
    if (!f)
        return "-";
    if (!f->verdict || !f->budget)
        return "no shipped budget for \"" + f->platform + "\"";
    std::string text = f->budget->name + ": " + (f->verdict->fits ? "fits" : "over") + " (total headroom " +
                       formatSignedBytes(f->verdict->headroomBytes);
    for (const PurposeVerdict& p : f->verdict->purposes)
        if (!p.fits)
            text += ", " + std::string(p.purpose.name()) + " " + formatSignedBytes(p.headroomBytes);
    return text + ")";
}

std::string growthTitle(double pct)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", pct);
    return buf;
}

std::string growthLine(const PeakGrowth& g)
{
    return g.sessionId + " " + std::string(g.purpose.name()) + ": peak " +
           formatBytes(static_cast<std::uint64_t>(std::max<std::int64_t>(0, g.peak.before))) + " -> " +
           formatBytes(static_cast<std::uint64_t>(std::max<std::int64_t>(0, g.peak.after))) + " (" +
           percentCell(g.peak) + ")";
}

enum class Markup { Text, Markdown };

// The closing list of the purposes whose peak grew past `pct`, or the line
// saying none did.
std::string growthSection(const RecordingDiff& diff, double pct, Markup markup)
{
    const auto grown = peakGrowth(diff, pct);
    if (grown.empty())
        return "\nNo purpose's peak grew by more than " + growthTitle(pct) + " %.\n";
    const std::string title = "Peak grew by more than " + growthTitle(pct) + " %:";
    std::string out = markup == Markup::Markdown ? "\n**" + title + "**\n\n" : "\n" + title + "\n";
    for (const PeakGrowth& g : grown)
        out += markup == Markup::Markdown ? "- " + markdownCell(growthLine(g)) + "\n" : "  " + growthLine(g) + "\n";
    return out;
}

void jsonFigure(JsonWriter& w, std::string_view key, const DiffFigure& f)
{
    w.beginObject(key);
    w.inum("before", f.before);
    w.inum("after", f.after);
    w.inum("change", f.change);
    if (f.percent)
        w.real("percent", *f.percent);
    else
        w.null("percent");
    w.endObject();
}

} // namespace

std::string diffText(const RecordingDiff& diff, std::optional<double> growthPct)
{
    std::string out;
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v)
            s += (s.empty() ? "" : ", ") + x;
        return s;
    };
    out += "A: " + join(diff.inputsA) + "\nB: " + join(diff.inputsB) + "\n";
    for (const SessionDiff& s : diff.sessions) {
        out += "\n" + sideText(s.a) + " -> " + sideText(s.b) + ", " + pairingText(s) + "\n";
        const std::vector<std::string>& h = headers();
        std::vector<std::vector<std::string>> table{h};
        for (const Row& r : rows(s))
            table.push_back(rowCells(r));
        std::vector<std::size_t> width(h.size(), 0);
        for (const auto& line : table)
            for (std::size_t c = 0; c < line.size(); ++c)
                width[c] = std::max(width[c], line[c].size());
        for (const auto& line : table) {
            std::string l = " ";
            for (std::size_t c = 0; c < line.size(); ++c) {
                const std::size_t pad = width[c] - line[c].size();
                l += c == 0 ? " " + line[c] + std::string(pad, ' ') : "  " + std::string(pad, ' ') + line[c];
            }
            out += l + "\n";
        }
        out += "  budget at peak: before " + verdictText(s.a) + "; after " + verdictText(s.b) + "\n";
    }
    if (growthPct)
        out += growthSection(diff, *growthPct, Markup::Text);
    return out;
}

std::string diffMarkdown(const RecordingDiff& diff, std::optional<double> growthPct)
{
    auto row = [](const std::vector<std::string>& cells) {
        std::string out = "|";
        for (const std::string& c : cells)
            out += " " + markdownCell(c) + " |";
        return out + "\n";
    };
    std::string out = "# Memory diff\n\n";
    auto list = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v)
            s += (s.empty() ? "`" : ", `") + x + "`";
        return s;
    };
    out += "A: " + list(diff.inputsA) + "  \nB: " + list(diff.inputsB) + "\n";
    for (const SessionDiff& s : diff.sessions) {
        out += "\n## " + markdownCell(sideText(s.a)) + " → " + markdownCell(sideText(s.b)) + "\n\n" + pairingText(s) +
               ".\n\n";
        out += row(headers());
        out += "|---|";
        for (std::size_t i = 1; i < headers().size(); ++i)
            out += "--:|";
        out += "\n";
        for (const Row& r : rows(s))
            out += row(rowCells(r));
        out += "\nBudget at peak: before " + markdownCell(verdictText(s.a)) + "; after " +
               markdownCell(verdictText(s.b)) + ".\n";
    }
    if (growthPct)
        out += growthSection(diff, *growthPct, Markup::Markdown);
    return out;
}

std::string diffHtml(const RecordingDiff& diff, std::optional<double> growthPct)
{
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Memory diff</title><style>\n"
        "body { font-family: \"DejaVu Sans\", Helvetica, Arial, sans-serif; color: #1f2a44; margin: 0 auto; "
        "max-width: 1200px; padding: 24px; font-size: 14px; }\n"
        "table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }\n"
        "th, td { border-bottom: 1px solid #d9dce3; padding: 3px 10px 3px 0; text-align: left; }\n"
        "th { color: #5b6275; font-weight: 600; }\n"
        "td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
        ".grew { color: #9b1c13; font-weight: 600; }\n.shrank { color: #2e7d32; }\n"
        "p.meta { color: #5b6275; margin: 2px 0; }\n"
        "@media print { section.session { break-inside: avoid; } }\n"
        "</style></head><body>\n<h1>Memory diff</h1>\n";
    auto list = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v)
            s += (s.empty() ? "" : ", ") + xmlEscape(x);
        return s;
    };
    out += "<p class=\"meta\">A: " + list(diff.inputsA) + "</p>\n<p class=\"meta\">B: " + list(diff.inputsB) + "</p>\n";
    for (const SessionDiff& s : diff.sessions) {
        out += "<section class=\"session\">\n<h2>" + xmlEscape(sideText(s.a)) + " → " + xmlEscape(sideText(s.b)) +
               "</h2>\n<p class=\"meta\">" + xmlEscape(pairingText(s)) + "</p>\n<table>\n<tr>";
        bool first = true;
        for (const std::string& h : headers()) {
            out += (first ? "<th>" : "<th class=\"num\">") + xmlEscape(h) + "</th>";
            first = false;
        }
        out += "</tr>\n";
        for (const Row& r : rows(s)) {
            const std::vector<std::string> c = rowCells(r);
            out += "<tr><td>" + xmlEscape(c[0]) + "</td>";
            const DiffFigure* figs[] = {r.peak, r.average, r.end, r.allocations};
            for (std::size_t i = 1; i < c.size(); ++i) {
                const DiffFigure& f = *figs[(i - 1) / 4];
                const bool changeCell = (i - 1) % 4 >= 2;
                const char* cls = !changeCell || f.change == 0 ? "num" : f.change > 0 ? "num grew" : "num shrank";
                out += std::string("<td class=\"") + cls + "\">" + xmlEscape(c[i]) + "</td>";
            }
            out += "</tr>\n";
        }
        out += "</table>\n<p>Budget at peak: before " + xmlEscape(verdictText(s.a)) + "; after " +
               xmlEscape(verdictText(s.b)) + ".</p>\n</section>\n";
    }
    if (growthPct) {
        const auto grown = peakGrowth(diff, *growthPct);
        if (grown.empty()) {
            out += "<p>No purpose's peak grew by more than " + growthTitle(*growthPct) + " %.</p>\n";
        } else {
            out += "<p class=\"grew\">Peak grew by more than " + growthTitle(*growthPct) + " %:</p>\n<ul>\n";
            for (const PeakGrowth& g : grown)
                out += "<li>" + xmlEscape(growthLine(g)) + "</li>\n";
            out += "</ul>\n";
        }
    }
    return out + "</body></html>\n";
}

std::string diffJson(const RecordingDiff& diff, std::optional<double> growthPct, bool pretty)
{
    JsonWriter w(pretty);
    w.beginObject();
    w.str("format", "flight-inspector-diff/1");
    w.beginArray("inputsA");
    for (const auto& s : diff.inputsA)
        w.strItem(s);
    w.endArray();
    w.beginArray("inputsB");
    for (const auto& s : diff.inputsB)
        w.strItem(s);
    w.endArray();
    w.beginArray("sessions");
    for (const SessionDiff& s : diff.sessions) {
        w.beginObject();
        w.str("pairing", toString(s.pairing));
        for (const auto* side : {&s.a, &s.b}) {
            const std::string_view key = side == &s.a ? "a" : "b";
            if (!*side) {
                w.null(key);
                continue;
            }
            const DiffSessionFigures& f = **side;
            w.beginObject(key);
            w.str("source", f.source);
            w.str("sessionId", f.sessionId);
            w.str("platform", f.platform);
            if (f.verdict && f.budget) {
                w.beginObject("budget");
                w.str("budget", f.budget->name);
                w.str("budgetSource", f.budget->source);
                w.num("totalBytes", f.budget->totalBytes);
                w.num("usedBytes", f.verdict->usedBytes);
                w.inum("headroomBytes", f.verdict->headroomBytes);
                w.boolean("fits", f.verdict->fits);
                w.endObject();
            } else {
                w.null("budget");
            }
            w.endObject();
        }
        jsonFigure(w, "peakBytes", s.peak);
        jsonFigure(w, "averageBytes", s.average);
        jsonFigure(w, "endBytes", s.end);
        jsonFigure(w, "allocations", s.allocations);
        w.beginArray("purposes");
        for (const PurposeDiff& p : s.purposes) {
            w.beginObject();
            w.str("purpose", p.purpose.name());
            jsonFigure(w, "peakBytes", p.peak);
            jsonFigure(w, "averageBytes", p.average);
            jsonFigure(w, "endBytes", p.end);
            jsonFigure(w, "allocations", p.allocations);
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }
    w.endArray();
    if (growthPct) {
        const auto grown = peakGrowth(diff, *growthPct);
        w.real("failOnGrowthPercent", *growthPct);
        w.boolean("failed", !grown.empty());
        w.beginArray("peakGrowth");
        for (const PeakGrowth& g : grown) {
            w.beginObject();
            w.str("sessionId", g.sessionId);
            w.str("purpose", g.purpose.name());
            jsonFigure(w, "peakBytes", g.peak);
            w.endObject();
        }
        w.endArray();
    }
    w.endObject();
    return w.take();
}

} // namespace flight::reports
