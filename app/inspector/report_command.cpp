// SPDX-License-Identifier: MIT
#include "report_command.h"

#include "command_arguments.h"
#include "command_output.h"
#include "input_loading.h"

#include "budgets/budget.h"
#include "report_export.h"
#include "report_painter.h"
#include "reports/budget_chart.h"
#include "reports/pressure_chart.h"
#include "reports/purpose_bars_chart.h"
#include "reports/report_data.h"
#include "reports/timeline_chart.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QGuiApplication>
#include <QRegularExpression>

#include <cstdio>
#include <cstring>
#include <memory>

namespace flight::app {
namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "flight-inspector report: %s\n", printable(message).constData());
    return 2;
}

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

void describe(QCommandLineParser& parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Report on recordings without a display: every session of every input in one\n"
        "document (summary, usage by purpose, timeline, pressure, budget verdicts,\n"
        "largest allocations, leak candidates, errors). See docs/reports.md.\n\n"
        "  report FILE... --format html -o report.html   one self-contained page\n"
        "  report FILE... --format pdf -o report.pdf     A4, vector charts\n"
        "  report FILE... --format md                    Markdown for an issue / PR\n"
        "  report FILE... --format json                  the JSON summary, extended\n"
        "  report FILE... --format csv --resolution 500  time series by purpose\n"
        "  report FILE --chart timeline -o chart.png     one chart (png or svg)\n\n"
        "Exit codes: 0 the report was written (bad lines are listed in it),\n"
        "            2 an input or a budget file cannot be read, the output cannot be\n"
        "              written, or the arguments are wrong (the reason is on stderr)."));
    parser.addHelpOption();
    parser.addVersionOption();
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
    parser.addOption({QStringLiteral("session"), QStringLiteral("--chart: the session to draw (default: the first)."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("--chart: image size in pixels (default 1200x600)."),
                      QStringLiteral("WxH"), QStringLiteral("1200x600")});
    parser.addPositionalArgument(QStringLiteral("report"), QStringLiteral("The subcommand."));
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Recordings (.jsonl, zstd-compressed or not)."),
                                 QStringLiteral("FILE..."));
}

int writeChart(const QCommandLineParser& parser, const reports::ReportData& data)
{
    const QString chart = parser.value(QStringLiteral("chart"));
    const QString out = parser.value(QStringLiteral("output"));
    if (out.isEmpty() || out == QStringLiteral("-"))
        return fail(QStringLiteral("--chart needs -o FILE.png or -o FILE.svg"));
    static const QRegularExpression sizeRe(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
    const auto m = sizeRe.match(parser.value(QStringLiteral("size")));
    if (!m.hasMatch())
        return fail(QStringLiteral("--size must look like 1200x600, got \"%1\"").arg(parser.value(QStringLiteral("size"))));
    const QSize size(m.captured(1).toInt(), m.captured(2).toInt());
    if (data.sessions.empty())
        return fail(QStringLiteral("the inputs hold no session to draw"));
    const reports::SessionReport* session = &data.sessions.front();
    if (parser.isSet(QStringLiteral("session"))) {
        session = nullptr;
        for (const auto& s : data.sessions)
            if (QString::fromStdString(s.sessionId) == parser.value(QStringLiteral("session")))
                session = &s;
        if (!session)
            return fail(QStringLiteral("no session \"%1\" in the inputs (see --format md for the list)")
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
        return fail(QStringLiteral("--chart must be timeline, pressure, purposes or budgets, got \"%1\"").arg(chart));
    QString error;
    if (!ui::writeChartFile(scene, size, out, &error))
        return fail(error);
    return 0;
}

} // namespace

int reportMain(int argc, char** argv)
{
    const QStringList arguments = commandArguments(argc, argv);
    ProgramOnlyArguments qtArguments(argv[0]); // --platform, --session: ours, not Qt's
    std::unique_ptr<QCoreApplication> app;
    if (needsGui(argc, argv)) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(qtArguments.argc, qtArguments.argv);
    } else {
        app = std::make_unique<QCoreApplication>(qtArguments.argc, qtArguments.argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("flight-inspector report"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLIGHT_VERSION));
    QCommandLineParser parser;
    describe(parser);
    processCommandLine(parser, arguments);

    QStringList files = parser.positionalArguments();
    files.removeFirst(); // "report"
    if (files.isEmpty())
        return fail(QStringLiteral("no recording given: flight-inspector report FILE... --format json|html|pdf|md|csv"));
    QString format = parser.value(QStringLiteral("format")).toLower();
    if (format == QStringLiteral("markdown"))
        format = QStringLiteral("md");
    const QStringList formats{QStringLiteral("json"), QStringLiteral("html"), QStringLiteral("pdf"), QStringLiteral("md"),
                              QStringLiteral("csv")};
    if (!formats.contains(format))
        return fail(QStringLiteral("format \"%1\" is not supported; use --format json, html, pdf, md or csv")
                        .arg(parser.value(QStringLiteral("format"))));
    const QString out = parser.value(QStringLiteral("output"));
    if (format == QStringLiteral("pdf") && !parser.isSet(QStringLiteral("chart")) && (out.isEmpty() || out == QStringLiteral("-")))
        return fail(QStringLiteral("--format pdf needs -o FILE.pdf"));

    reports::ReportOptions options;
    if (parser.isSet(QStringLiteral("platform")))
        options.platform = parser.value(QStringLiteral("platform")).toStdString();
    const auto at = usagePointFromString(parser.value(QStringLiteral("at")).toStdString());
    if (!at)
        return fail(QStringLiteral("--at must be end, peak or p95, got \"%1\"").arg(parser.value(QStringLiteral("at"))));
    options.at = *at;
    if (parser.isSet(QStringLiteral("range"))) {
        const auto range = reports::parseRange(parser.value(QStringLiteral("range")).toStdString());
        if (!range)
            return fail(QString::fromStdString(range.error().message));
        options.rangeFromSeconds = range->first;
        options.rangeToSeconds = range->second;
    }
    std::optional<std::int64_t> resolution;
    if (parser.isSet(QStringLiteral("resolution"))) {
        bool ok = false;
        const qint64 ms = parser.value(QStringLiteral("resolution")).toLongLong(&ok);
        if (!ok || ms <= 0)
            return fail(QStringLiteral("--resolution takes a whole number of milliseconds above 0, got \"%1\"")
                            .arg(parser.value(QStringLiteral("resolution"))));
        resolution = ms;
    }
    for (const QString& file : parser.values(QStringLiteral("budgets"))) {
        auto loaded = loadBudgetFile(file.toStdString());
        if (!loaded)
            return fail(QString::fromStdString(loaded.error().message));
        for (Budget& b : *loaded)
            options.userBudgets.push_back(std::move(b));
    }

    QString error;
    const auto inputs = loadInputs(files, "report", &error);
    if (!inputs)
        return fail(error);
    const reports::ReportData data = reports::collectReport(inputs->sources, options);
    if (options.platform) {
        bool any = false;
        for (const auto& s : data.sessions)
            any = any || !s.verdicts.empty();
        if (!any && !data.sessions.empty())
            std::fprintf(stderr, "flight-inspector report: %s\n", printable(noBudgetMessage(*options.platform)).constData());
    }
    for (const auto& s : data.sessions)
        if (options.rangeFromSeconds && s.fromMs >= s.lastMs && s.lastMs > s.firstMs)
            std::fprintf(stderr,
                         "flight-inspector report: --range starts after session %s ends (it lasts %.1f s): "
                         "its figures are those of its last instant\n",
                         printable(s.sessionId).constData(), static_cast<double>(s.lastMs - s.firstMs) / 1000.0);
    if (parser.isSet(QStringLiteral("chart")))
        return writeChart(parser, data);

    ui::ReportExportOptions exportOptions;
    exportOptions.format = format;
    exportOptions.prettyJson = !parser.isSet(QStringLiteral("compact"));
    exportOptions.csvResolutionMs = resolution;
    if (format == QStringLiteral("pdf"))
        return ui::exportReport(data, inputs->sources, exportOptions, out, &error) ? 0 : fail(error);
    return writeCommandOutput("report", out, *ui::reportText(data, inputs->sources, exportOptions));
}

} // namespace flight::app
