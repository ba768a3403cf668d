// SPDX-License-Identifier: MIT
#include "report_command.h"

#include "command_output.h"
#include "headless_command.h"
#include "input_loading.h"
#include "prometheus_inputs.h"

#include "budgets/budget.h"
#include "export/report_export.h"
#include "export/report_painter.h"
#include "reports/budget_chart.h"
#include "reports/pressure_chart.h"
#include "reports/purpose_bars_chart.h"
#include "reports/report_data.h"
#include "reports/timeline_chart.h"

#include <QRegularExpression>

#include <cstdio>
#include <cstring>

namespace flight::app {
namespace {

// PDF and PNG paint with QPainter: they need a QGuiApplication (offscreen).
bool needsGui(int argc, char** argv)
{
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--chart") == 0 || std::strncmp(argv[i], "--chart=", 8) == 0)
            return true;
        if (std::strcmp(argv[i], "--format=pdf") == 0
            || (std::strcmp(argv[i], "--format") == 0 && i + 1 < argc && std::strcmp(argv[i + 1], "pdf") == 0))
            return true;
    }
    return false;
}

const char* const kDescription =
    "Report on recordings without a display: every session of every input in one\n"
    "document (summary, usage by purpose, timeline, pressure, budget verdicts,\n"
    "largest allocations, leak candidates, errors). See docs/reports.md.\n\n"
    "  report FILE... --format html -o report.html   one self-contained page\n"
    "  report FILE... --format pdf -o report.pdf     A4, vector charts\n"
    "  report FILE... --format md                    Markdown for an issue / PR\n"
    "  report FILE... --format json                  the JSON summary, extended\n"
    "  report FILE... --format csv --resolution 500  time series by purpose\n"
    "  report FILE --chart timeline -o chart.png     one chart (png or svg)\n"
    "  report --prometheus URL --session ID --since 1h --format html -o r.html\n"
    "                                                a VM's history from Prometheus\n\n"
    "Exit codes: 0 the report was written (bad lines are listed in it),\n"
    "            2 an input or a budget file cannot be read, the output cannot be\n"
    "              written, or the arguments are wrong (the reason is on stderr).";

void addOptions(QCommandLineParser& parser)
{
    addRulesOption(parser);
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output format: json (default), html, pdf, md or csv."),
                      QStringLiteral("FORMAT"), QStringLiteral("json")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write to OUT instead of standard output (required for pdf and --chart)."),
                      QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("compact"), QStringLiteral("One-line JSON instead of indented.")});
    parser.addOption({QStringLiteral("platform"),
                      QStringLiteral("Only the budgets of platform P (e.g. psp, v6r-small), highlighted. "
                                     "Default: every platform's shipped budget, the session's own highlighted."),
                      QStringLiteral("P")});
    parser.addOption({QStringLiteral("budgets"), QStringLiteral("A budget file (JSON, see docs/budgets.md); repeatable."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("at"), QStringLiteral("Usage compared with budgets: end, peak or p95 (default peak)."),
                      QStringLiteral("POINT"), QStringLiteral("peak")});
    parser.addOption({QStringLiteral("range"),
                      QStringLiteral("Only T0..T1, in seconds from each session's start (e.g. 10..60, 30.., ..90)."),
                      QStringLiteral("T0..T1")});
    parser.addOption({QStringLiteral("resolution"),
                      QStringLiteral("CSV: one row every MS milliseconds (default 1000, widened to at most 10,000 rows "
                                     "per session unless MS is given)."),
                      QStringLiteral("MS")});
    parser.addOption({QStringLiteral("chart"),
                      QStringLiteral("Write one chart instead of a report: timeline, pressure, purposes or budgets; "
                                     "-o FILE.png or FILE.svg."),
                      QStringLiteral("CHART")});
    parser.addOption({QStringLiteral("session"),
                      QStringLiteral("--chart: the session to draw (default: the first); --prometheus: the session "
                                     "to report on."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("--chart: image size in pixels (default 1200x600)."),
                      QStringLiteral("WxH"), QStringLiteral("1200x600")});
    addPrometheusOptions(parser);
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Recordings (.jsonl, zstd-compressed or not)."),
                                 QStringLiteral("FILE..."));
}

struct ReportOptions {
    QStringList files;
    bool prometheus = false; // --prometheus: the session comes from there
    QString format; // json, html, pdf, md or csv
    QString output;
    reports::ReportOptions report;
    std::optional<std::int64_t> csvResolutionMs;
};

Result<ReportOptions> readOptions(const QCommandLineParser& parser, QStringList files)
{
    ReportOptions o;
    o.files = std::move(files);
    const auto prometheus = readsPrometheus(
        parser, o.files,
        QStringLiteral("no recording given: flight-inspector report FILE... --format json|html|pdf|md|csv "
                       "(or --prometheus URL --session ID)"));
    if (!prometheus)
        return std::unexpected(prometheus.error());
    o.prometheus = *prometheus;
    if (o.prometheus && parser.value(QStringLiteral("session")).isEmpty())
        return badArgument(QStringLiteral("--prometheus needs --session ID (the Fleet view and "
                                          "check --prometheus list the sessions)"));
    o.format = parser.value(QStringLiteral("format")).toLower();
    if (o.format == QStringLiteral("markdown"))
        o.format = QStringLiteral("md");
    const QStringList formats{QStringLiteral("json"), QStringLiteral("html"), QStringLiteral("pdf"), QStringLiteral("md"),
                              QStringLiteral("csv")};
    if (!formats.contains(o.format))
        return badArgument(QStringLiteral("format \"%1\" is not supported; use --format json, html, pdf, md or csv")
                               .arg(parser.value(QStringLiteral("format"))));
    o.output = parser.value(QStringLiteral("output"));
    if (o.format == QStringLiteral("pdf") && !parser.isSet(QStringLiteral("chart"))
        && (o.output.isEmpty() || o.output == QStringLiteral("-")))
        return badArgument(QStringLiteral("--format pdf needs -o FILE.pdf"));

    if (parser.isSet(QStringLiteral("platform")))
        o.report.platform = parser.value(QStringLiteral("platform")).toStdString();
    const auto at = usagePointFromString(parser.value(QStringLiteral("at")).toStdString());
    if (!at)
        return badArgument(QStringLiteral("--at must be end, peak or p95, got \"%1\"").arg(parser.value(QStringLiteral("at"))));
    o.report.at = *at;
    if (parser.isSet(QStringLiteral("range"))) {
        const auto range = reports::parseRange(parser.value(QStringLiteral("range")).toStdString());
        if (!range)
            return std::unexpected(range.error());
        o.report.rangeFromSeconds = range->first;
        o.report.rangeToSeconds = range->second;
    }
    if (parser.isSet(QStringLiteral("resolution"))) {
        bool ok = false;
        const qint64 ms = parser.value(QStringLiteral("resolution")).toLongLong(&ok);
        if (!ok || ms <= 0)
            return badArgument(QStringLiteral("--resolution takes a whole number of milliseconds above 0, got \"%1\"")
                                   .arg(parser.value(QStringLiteral("resolution"))));
        o.csvResolutionMs = ms;
    }
    for (const QString& file : parser.values(QStringLiteral("budgets"))) {
        auto loaded = loadBudgetFile(file.toStdString());
        if (!loaded)
            return std::unexpected(loaded.error());
        for (Budget& b : *loaded)
            o.report.userBudgets.push_back(std::move(b));
    }
    return o;
}

// What the figures cannot say by themselves: a --platform with no budget, a
// --range past a session's end.
void warnAboutTheFigures(const HeadlessCommand& command, const reports::ReportData& data,
                         const reports::ReportOptions& options)
{
    if (options.platform) {
        bool any = false;
        for (const auto& s : data.sessions)
            any = any || !s.verdicts.empty();
        if (!any && !data.sessions.empty())
            command.warn(QString::fromStdString(noBudgetMessage(*options.platform)));
    }
    for (const auto& s : data.sessions)
        if (options.rangeFromSeconds && s.fromMs >= s.lastMs && s.lastMs > s.firstMs)
            command.warn(QStringLiteral("--range starts after session %1 ends (it lasts %2 s): "
                                        "its figures are those of its last instant")
                             .arg(QString::fromStdString(s.sessionId),
                                  QString::number(static_cast<double>(s.lastMs - s.firstMs) / 1000.0, 'f', 1)));
}

int writeChart(const HeadlessCommand& command, const reports::ReportData& data)
{
    const QCommandLineParser& parser = command.parser();
    const QString chart = parser.value(QStringLiteral("chart"));
    const QString out = parser.value(QStringLiteral("output"));
    if (out.isEmpty() || out == QStringLiteral("-"))
        return command.fail(QStringLiteral("--chart needs -o FILE.png or -o FILE.svg"));
    static const QRegularExpression sizeRe(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
    const auto m = sizeRe.match(parser.value(QStringLiteral("size")));
    if (!m.hasMatch())
        return command.fail(
            QStringLiteral("--size must look like 1200x600, got \"%1\"").arg(parser.value(QStringLiteral("size"))));
    const QSize size(m.captured(1).toInt(), m.captured(2).toInt());
    if (data.sessions.empty())
        return command.fail(QStringLiteral("the inputs hold no session to draw"));
    const reports::SessionReport* session = &data.sessions.front();
    if (parser.isSet(QStringLiteral("session"))) {
        session = nullptr;
        for (const auto& s : data.sessions)
            if (QString::fromStdString(s.sessionId) == parser.value(QStringLiteral("session")))
                session = &s;
        if (!session)
            return command.fail(QStringLiteral("no session \"%1\" in the inputs (see --format md for the list)")
                                    .arg(parser.value(QStringLiteral("session"))));
    }
    const double w = size.width();
    const double h = size.height();
    reports::ChartScene scene;
    if (chart == QStringLiteral("timeline"))
        scene = reports::timelineChart(*session, w, h);
    else if (chart == QStringLiteral("pressure"))
        scene = reports::pressureChart(*session, w, h);
    else if (chart == QStringLiteral("purposes"))
        scene = reports::purposeBarsChart(*session, w);
    else if (chart == QStringLiteral("budgets"))
        scene = reports::budgetChart(*session, w);
    else
        return command.fail(
            QStringLiteral("--chart must be timeline, pressure, purposes or budgets, got \"%1\"").arg(chart));
    if (const auto written = ui::writeChartFile(scene, size, out); !written)
        return command.fail(written.error());
    return 0;
}

int writeReport(const HeadlessCommand& command, const reports::ReportData& data, const LoadedInputs& inputs,
                const ReportOptions& options)
{
    ui::ReportExportOptions exportOptions;
    exportOptions.format = options.format;
    exportOptions.prettyJson = !command.parser().isSet(QStringLiteral("compact"));
    exportOptions.csvResolutionMs = options.csvResolutionMs;
    if (options.format == QStringLiteral("pdf")) {
        const auto written = ui::exportReport(data, inputs.sources, exportOptions, options.output);
        return written ? 0 : command.fail(written.error());
    }
    return writeCommandOutput("report", options.output, *ui::reportText(data, inputs.sources, exportOptions));
}

} // namespace

int reportMain(int argc, char** argv)
{
    HeadlessCommand command(argc, argv, "report", QString::fromLatin1(kDescription),
                            needsGui(argc, argv) ? HeadlessCommand::Painting::Yes : HeadlessCommand::Painting::No);
    const auto options = command.parseOptions(addOptions, readOptions);
    const auto inputs = options.prometheus
        ? loadPrometheusInputs(command.parser(), {command.parser().value(QStringLiteral("session")), QString(), 1000})
        : loadInputs(options.files, "report", rulesFile(command.parser()));
    if (!inputs)
        return command.fail(inputs.error());
    const reports::ReportData data = reports::collectReport(inputs->sources, options.report);
    warnAboutTheFigures(command, data, options.report);
    if (command.parser().isSet(QStringLiteral("chart")))
        return writeChart(command, data);
    return writeReport(command, data, *inputs, options);
}

} // namespace flight::app
