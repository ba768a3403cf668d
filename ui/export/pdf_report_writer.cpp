// SPDX-License-Identifier: MIT
#include "pdf_report_writer.h"

#include "pdf_page_layout.h"

#include "analytics/leak_candidates.h"
#include "reports/budget_chart.h"
#include "reports/pressure_chart.h"
#include "reports/purpose_bars_chart.h"
#include "reports/report_format.h"
#include "reports/timeline_chart.h"

#include <QFile>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

#include <algorithm>

namespace flight::ui {
namespace {

using namespace flight::reports;

QString q(const std::string& s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

PdfTable allocationTable(const std::vector<MemoryAllocation>& list, const SessionReport& r)
{
    PdfTable t{{QStringLiteral("#"), QStringLiteral("id"), QStringLiteral("purpose"), QStringLiteral("size"),
                QStringLiteral("allocated"), QStringLiteral("freed")}, {}, {0, 3, 4, 5}, {}, {}};
    int n = 0;
    for (const MemoryAllocation& a : list)
        t.rows.push_back({QString::number(++n), q(a.id), q(a.purpose.name()), q(formatBytes(a.size.bytes)),
                          q(secondsText(a.allocatedAt - r.firstMs)),
                          a.freedAt ? q(secondsText(*a.freedAt - r.firstMs)) : QStringLiteral("never")});
    return t;
}

void session(PdfPageLayout& page, const SessionReport& r, const ReportData& data)
{
    page.heading(q(r.sessionId + " · " + r.platformText()), 2);
    page.paragraph(q(r.source + " — " + secondsText(r.fromMs - r.firstMs) + " to " + secondsText(r.toMs - r.firstMs) +
                     " of " + formatDuration(r.lastMs - r.firstMs)), true);
    PdfTable figures{{QStringLiteral("figure"), QStringLiteral("value")}, {}, {1}, {}, {}};
    figures.rows = {{QStringLiteral("Platform"), q(r.platform)},
                    {QStringLiteral("Total"), r.totalBytes ? q(formatBytes(r.totalBytes)) : QStringLiteral("unknown")},
                    {QStringLiteral("Duration"), q(formatDuration(r.durationMs()))},
                    {QStringLiteral("Used at end"), q(formatBytes(r.endBytes))},
                    {QStringLiteral("Peak"), q(formatBytes(r.peakBytes) + " at " + secondsText(r.peakAtMs - r.firstMs))},
                    {QStringLiteral("Average"), q(formatBytes(r.averageBytes))},
                    {QStringLiteral("95th percentile"), q(formatBytes(r.p95Bytes))},
                    {QStringLiteral("Pressure at end"), q(toString(r.endPressure))}};
    for (int level = 0; level < kPressureLevelCount; ++level)
        figures.rows.push_back({QStringLiteral("Time at ") + q(toString(static_cast<MemoryPressure>(level))),
                                q(formatDuration(r.pressureMs[static_cast<std::size_t>(level)]))});
    if (r.limits) {
        figures.rows.push_back({QStringLiteral("Soft limit"), q(formatBytes(r.limits->softLimit.bytes))});
        figures.rows.push_back({QStringLiteral("Hard limit"), q(formatBytes(r.limits->hardLimit.bytes))});
    }
    figures.rows.push_back({QStringLiteral("Limit crossings"), q(crossingsText(r))});
    page.table(figures);

    page.heading(QStringLiteral("Timeline by purpose"), 3);
    page.chart(timelineChart(r, page.width(), 360));
    page.heading(QStringLiteral("Pressure over time"), 3);
    page.chart(pressureChart(r, page.width(), 210));
    if (!r.pressureChanges.empty()) {
        PdfTable changes{{QStringLiteral("time"), QStringLiteral("pressure change")}, {}, {0}, {}, {}};
        for (const PressureChange& c : r.pressureChanges)
            changes.rows.push_back({q(secondsText(c.timeMs - r.firstMs)), q(pressureChangeText(c))});
        page.table(changes);
    }

    page.heading(QStringLiteral("Usage by purpose"), 3);
    PdfTable purposes{{QStringLiteral("purpose"), QStringLiteral("end"), QStringLiteral("peak"), QStringLiteral("average"),
                       QStringLiteral("p95")}, {}, {1, 2, 3, 4}, {}, {}};
    for (const PurposeFigures& p : r.purposes)
        purposes.rows.push_back({q(p.purpose.name()), q(formatBytes(p.endBytes)), q(formatBytes(p.peakBytes)),
                                 q(formatBytes(p.averageBytes)), q(formatBytes(p.p95Bytes))});
    page.table(purposes);
    page.chart(purposeBarsChart(r, page.width()));

    page.heading(QStringLiteral("Budgets (usage at %1)").arg(q(toString(data.at))), 3);
    if (r.verdicts.empty()) {
        page.paragraph(QStringLiteral("No budget applies: give one with --budgets FILE."));
    } else {
        PdfTable budgets{{QStringLiteral("budget"), QStringLiteral("platform"), QStringLiteral("used"),
                          QStringLiteral("budget"), QStringLiteral("headroom"), QStringLiteral("verdict"),
                          QStringLiteral("over in")}, {}, {2, 3, 4}, {}, {}};
        for (const VerdictFigures& v : r.verdicts) {
            if (v.highlighted)
                budgets.highlightRows.insert(static_cast<int>(budgets.rows.size()));
            if (!v.verdict.fits)
                budgets.alertRows.insert(static_cast<int>(budgets.rows.size()));
            budgets.rows.push_back({q(v.budget.name), q(v.budget.platform), q(formatBytes(v.verdict.usedBytes)),
                                    q(formatBytes(v.budget.totalBytes)), q(formatSignedBytes(v.verdict.headroomBytes)),
                                    v.verdict.fits ? QStringLiteral("fits") : QStringLiteral("over"),
                                    q(overInText(v.verdict, 1))});
        }
        page.table(budgets);
        if (const VerdictFigures* v = chartedVerdict(r)) {
            page.heading(QStringLiteral("Headroom by purpose — ") + q(v->budget.name), 3);
            PdfTable headroom{{QStringLiteral("purpose"), QStringLiteral("used"), QStringLiteral("budget"),
                               QStringLiteral("headroom")}, {}, {1, 2, 3}, {}, {}};
            headroom.rows.push_back({QStringLiteral("total"), q(formatBytes(v->verdict.usedBytes)),
                                     q(formatBytes(v->budget.totalBytes)), q(formatSignedBytes(v->verdict.headroomBytes))});
            if (!v->verdict.totalFits)
                headroom.alertRows.insert(0);
            for (const PurposeVerdict& p : v->verdict.purposes) {
                if (!p.fits)
                    headroom.alertRows.insert(static_cast<int>(headroom.rows.size()));
                headroom.rows.push_back({q(p.purpose.name()), q(formatBytes(p.usedBytes)),
                                         p.budgetBytes ? q(formatBytes(*p.budgetBytes)) : QStringLiteral("-"),
                                         p.budgetBytes ? q(formatSignedBytes(p.headroomBytes)) : QStringLiteral("-")});
            }
            page.table(headroom);
            page.chart(budgetChart(r, page.width()));
        }
    }
    page.heading(QStringLiteral("Largest allocations (top %1)").arg(kTopAllocations), 3);
    if (r.largestAllocations.empty())
        page.paragraph(QStringLiteral("None."));
    else
        page.table(allocationTable(r.largestAllocations, r));
    page.heading(QStringLiteral("Leak candidates"), 3);
    page.paragraph(QStringLiteral("%1 allocation(s), %2, %3.")
                       .arg(r.leakCandidateCount)
                       .arg(q(formatBytes(r.leakCandidateBytes)), q(std::string(kLeakCandidateDefinition))));
    if (!r.leakCandidates.empty())
        page.table(allocationTable(r.leakCandidates, r));
    page.heading(QStringLiteral("Errors by code"), 3);
    if (r.errorsByCode.empty()) {
        page.paragraph(QStringLiteral("None."));
    } else {
        PdfTable errors{{QStringLiteral("code"), QStringLiteral("count")}, {}, {1}, {}, {}};
        for (const auto& [code, count] : r.errorsByCode)
            errors.rows.push_back({q(code), QString::number(count)});
        page.table(errors);
    }
}

} // namespace

Result<void> writePdfReport(const ReportData& data, const QString& path)
{
    {
        QFile probe(path);
        if (!probe.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            return makeError(MemoryErrorCode::IoError, QStringLiteral("cannot write %1: %2").arg(path, probe.errorString()).toStdString());
        }
    }
    QPdfWriter writer(path);
    writer.setTitle(QStringLiteral("Flight memory report"));
    writer.setCreator(QStringLiteral("flight-inspector " FLIGHT_VERSION));
    writer.setResolution(300);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(14, 14, 14, 14),
                                     QPageLayout::Millimeter));
    QPainter painter;
    if (!painter.begin(&writer)) {
        return makeError(MemoryErrorCode::IoError, QStringLiteral("cannot write %1: the PDF writer could not start").arg(path).toStdString());
    }
    PdfPageLayout page(writer, painter);
    page.heading(QStringLiteral("Flight memory report"), 1);
    QStringList inputs;
    for (const std::string& i : data.inputs)
        inputs << q(i);
    page.paragraph(QStringLiteral("%1 — %2 session(s) — %3 — flight-inspector %4")
                       .arg(inputs.join(QStringLiteral(", ")))
                       .arg(data.sessions.size())
                       .arg(q(reportRangeText(data)), QStringLiteral(FLIGHT_VERSION)), true);
    PdfTable overview{{QStringLiteral("session"), QStringLiteral("platform"), QStringLiteral("duration"),
                       QStringLiteral("end"), QStringLiteral("peak"), QStringLiteral("average"), QStringLiteral("p95"),
                       QStringLiteral("budget")}, {}, {2, 3, 4, 5, 6}, {}, {}};
    for (const SessionReport& r : data.sessions) {
        const VerdictFigures* v = chartedVerdict(r);
        if (v && !v->verdict.fits)
            overview.alertRows.insert(static_cast<int>(overview.rows.size()));
        overview.rows.push_back({q(r.sessionId), q(r.platform), q(formatDuration(r.durationMs())), q(formatBytes(r.endBytes)),
                                 q(formatBytes(r.peakBytes)), q(formatBytes(r.averageBytes)), q(formatBytes(r.p95Bytes)),
                                 v ? q((v->verdict.fits ? "fits " : "over ") + v->budget.name) : QStringLiteral("-")});
    }
    page.table(overview);
    bool first = true;
    for (const SessionReport& r : data.sessions) {
        if (!first)
            page.newPage();
        first = false;
        session(page, r, data);
    }
    page.heading(QStringLiteral("Decode problems"), 2);
    page.paragraph(QStringLiteral("%1 decode error(s), %2 session error(s), %3 warning(s).")
                       .arg(data.decodeErrors).arg(data.sessionErrors).arg(data.warnings));
    if (!data.problems.empty()) {
        PdfTable problems{{QStringLiteral("source"), QStringLiteral("line"), QStringLiteral("kind"),
                           QStringLiteral("message")}, {}, {1}, {}, {}};
        for (std::size_t i = 0; i < std::min<std::size_t>(200, data.problems.size()); ++i) {
            const ProblemLine& p = data.problems[i];
            problems.rows.push_back({QFileInfo(q(p.source)).fileName(), QString::number(p.line), q(p.kind), q(p.message)});
        }
        page.table(problems);
    }
    if (!painter.end()) {
        return makeError(MemoryErrorCode::IoError, QStringLiteral("cannot write %1").arg(path).toStdString());
    }
    return {};
}

} // namespace flight::ui
