// SPDX-License-Identifier: MIT
#include "diff_command.h"

#include "command_arguments.h"
#include "command_output.h"
#include "input_loading.h"

#include "reports/recording_diff.h"
#include "reports/recording_diff_writers.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cmath>
#include <cstdio>

namespace flight::app {
namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "flight-inspector diff: %s\n", printable(message).constData());
    return 2;
}

} // namespace

int diffMain(int argc, char** argv)
{
    ProgramOnlyArguments qtArguments(argv[0]); // the options are ours, not Qt's
    QCoreApplication app(qtArguments.argc, qtArguments.argv);
    QCoreApplication::setApplicationName(QStringLiteral("flight-inspector diff"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLIGHT_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compare two recordings: what changed from A to B, session by session and\n"
        "purpose by purpose (peak, time-weighted average, end bytes and allocation\n"
        "counts, with the change B - A and the relative change), and the verdict of\n"
        "the shipped budget of each session's platform at peak, before and after.\n\n"
        "Pairing: a session of A goes with the session of B that has the same\n"
        "session id; the sessions left over are paired in order (first with first).\n"
        "Sessions with no partner are listed alone and never fail the diff.\n\n"
        "Exit codes: 0 the diff was written (and, with --fail-on-growth, no peak grew\n"
        "              too much),\n"
        "            1 --fail-on-growth PCT: a purpose's peak grew by more than PCT %\n"
        "              in a paired session, or from 0 to more than 0,\n"
        "            2 an input cannot be read, the output cannot be written, or bad\n"
        "              arguments.\n\n"
        "Examples:\n"
        "  diff before.jsonl.zst after.jsonl.zst\n"
        "  diff main.jsonl.zst pr.jsonl.zst --format md --fail-on-growth 5 -o diff.md"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output: text, json, html or md (default text)."),
                      QStringLiteral("FORMAT"), QStringLiteral("text")});
    parser.addOption({QStringLiteral("fail-on-growth"),
                      QStringLiteral("Exit 1 when a purpose's peak grows by more than PCT percent (or from 0)."),
                      QStringLiteral("PCT")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write to OUT (default: standard output, also for -)."), QStringLiteral("OUT")});
    parser.addPositionalArgument(QStringLiteral("diff"), QStringLiteral("The subcommand."));
    parser.addPositionalArgument(QStringLiteral("A"), QStringLiteral("The recording before (.jsonl, zstd or not)."));
    parser.addPositionalArgument(QStringLiteral("B"), QStringLiteral("The recording after."));
    processCommandLine(parser, commandArguments(argc, argv));

    QStringList files = parser.positionalArguments();
    files.removeFirst(); // "diff"
    if (files.size() != 2)
        return fail(QStringLiteral("give exactly two recordings, A (before) and B (after): "
                                   "flight-inspector diff A B (got %1)").arg(files.size()));
    QString format = parser.value(QStringLiteral("format"));
    if (format == QStringLiteral("markdown"))
        format = QStringLiteral("md");
    if (!QStringList{QStringLiteral("text"), QStringLiteral("json"), QStringLiteral("html"), QStringLiteral("md")}
             .contains(format))
        return fail(QStringLiteral("--format must be text, json, html or md, got \"%1\"").arg(format));
    std::optional<double> growth;
    if (parser.isSet(QStringLiteral("fail-on-growth"))) {
        bool ok = false;
        const QString text = parser.value(QStringLiteral("fail-on-growth"));
        const double pct = QString(text).remove(QLatin1Char('%')).trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(pct) || pct < 0)
            return fail(QStringLiteral("--fail-on-growth needs a percentage of 0 or more, e.g. 10, got \"%1\"").arg(text));
        growth = pct;
    }

    QString error;
    const auto a = loadInputs({files[0]}, "diff", &error);
    if (!a)
        return fail(error);
    const auto b = loadInputs({files[1]}, "diff", &error);
    if (!b)
        return fail(error);

    const reports::RecordingDiff diff = reports::diffRecordings(a->sources, b->sources);
    std::string text;
    if (format == QStringLiteral("json"))
        text = reports::diffJson(diff, growth);
    else if (format == QStringLiteral("html"))
        text = reports::diffHtml(diff, growth);
    else if (format == QStringLiteral("md"))
        text = reports::diffMarkdown(diff, growth);
    else
        text = reports::diffText(diff, growth);
    if (const int rc = writeCommandOutput("diff", parser.value(QStringLiteral("o")), text); rc != 0)
        return rc;
    if (!growth)
        return 0;
    const auto grown = reports::peakGrowth(diff, *growth);
    for (const reports::PeakGrowth& g : grown)
        std::fprintf(stderr, "flight-inspector diff: %s %s peak grew from %lld to %lld bytes (%s)\n",
                     printable(g.sessionId).constData(),
                     std::string(g.purpose.name()).c_str(), static_cast<long long>(g.peak.before),
                     static_cast<long long>(g.peak.after),
                     g.peak.percent ? qPrintable(QStringLiteral("+%1 %").arg(*g.peak.percent, 0, 'f', 1))
                                    : "from 0");
    return grown.empty() ? 0 : 1;
}

} // namespace flight::app
