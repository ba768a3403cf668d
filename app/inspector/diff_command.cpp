// SPDX-License-Identifier: MIT
#include "diff_command.h"

#include "command_output.h"
#include "headless_command.h"
#include "input_loading.h"

#include "reports/recording_diff.h"
#include "reports/recording_diff_writers.h"

#include <cmath>
#include <cstdio>

namespace flight::app {
namespace {

const char* const kDescription =
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
    "  diff main.jsonl.zst pr.jsonl.zst --format md --fail-on-growth 5 -o diff.md";

void addOptions(QCommandLineParser& parser)
{
    addRulesOption(parser);
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output: text, json, html or md (default text)."),
                      QStringLiteral("FORMAT"), QStringLiteral("text")});
    parser.addOption({QStringLiteral("fail-on-growth"),
                      QStringLiteral("Exit 1 when a purpose's peak grows by more than PCT percent (or from 0)."),
                      QStringLiteral("PCT")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write to OUT (default: standard output, also for -)."), QStringLiteral("OUT")});
    parser.addPositionalArgument(QStringLiteral("A"), QStringLiteral("The recording before (.jsonl, zstd or not)."));
    parser.addPositionalArgument(QStringLiteral("B"), QStringLiteral("The recording after."));
}

struct DiffOptions {
    QString before, after;
    QString format; // text, json, html or md
    std::optional<double> failOnGrowthPercent;
    QString output;
};

Result<DiffOptions> readOptions(const QCommandLineParser& parser, const QStringList& files)
{
    if (files.size() != 2)
        return badArgument(QStringLiteral("give exactly two recordings, A (before) and B (after): "
                                          "flight-inspector diff A B (got %1)").arg(files.size()));
    DiffOptions o;
    o.before = files[0];
    o.after = files[1];
    o.output = parser.value(QStringLiteral("o"));
    o.format = parser.value(QStringLiteral("format"));
    if (o.format == QStringLiteral("markdown"))
        o.format = QStringLiteral("md");
    if (!QStringList{QStringLiteral("text"), QStringLiteral("json"), QStringLiteral("html"), QStringLiteral("md")}
             .contains(o.format))
        return badArgument(QStringLiteral("--format must be text, json, html or md, got \"%1\"").arg(o.format));
    if (parser.isSet(QStringLiteral("fail-on-growth"))) {
        bool ok = false;
        const QString text = parser.value(QStringLiteral("fail-on-growth"));
        const double pct = QString(text).remove(QLatin1Char('%')).trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(pct) || pct < 0)
            return badArgument(
                QStringLiteral("--fail-on-growth needs a percentage of 0 or more, e.g. 10, got \"%1\"").arg(text));
        o.failOnGrowthPercent = pct;
    }
    return o;
}

std::string diffDocument(const reports::RecordingDiff& diff, const DiffOptions& o)
{
    if (o.format == QStringLiteral("json"))
        return reports::diffJson(diff, o.failOnGrowthPercent);
    if (o.format == QStringLiteral("html"))
        return reports::diffHtml(diff, o.failOnGrowthPercent);
    if (o.format == QStringLiteral("md"))
        return reports::diffMarkdown(diff, o.failOnGrowthPercent);
    return reports::diffText(diff, o.failOnGrowthPercent);
}

// Each purpose whose peak grew past the limit, on stderr; true when any did.
bool reportGrowth(const HeadlessCommand& command, const reports::RecordingDiff& diff, double percent)
{
    const auto grown = reports::peakGrowth(diff, percent);
    for (const reports::PeakGrowth& g : grown)
        // one arg() call: a session id holding "%3" stays as it is
        command.warn(QStringLiteral("%1 %2 peak grew from %3 to %4 bytes (%5)")
                         .arg(QString::fromStdString(g.sessionId), QString::fromStdString(std::string(g.purpose.name())),
                              QString::number(g.peak.before), QString::number(g.peak.after),
                              g.peak.percent ? QStringLiteral("+%1 %").arg(*g.peak.percent, 0, 'f', 1)
                                             : QStringLiteral("from 0")));
    return !grown.empty();
}

} // namespace

int diffMain(int argc, char** argv)
{
    HeadlessCommand command(argc, argv, "diff", QString::fromLatin1(kDescription));
    const auto options = command.parseOptions(addOptions, readOptions);
    const auto a = loadInputs({options.before}, "diff", rulesFile(command.parser()));
    if (!a)
        return command.fail(a.error());
    const auto b = loadInputs({options.after}, "diff", rulesFile(command.parser()));
    if (!b)
        return command.fail(b.error());
    const reports::RecordingDiff diff = reports::diffRecordings(a->sources, b->sources);
    if (const int rc = writeCommandOutput("diff", options.output, diffDocument(diff, options)); rc != 0)
        return rc;
    if (!options.failOnGrowthPercent)
        return 0;
    return reportGrowth(command, diff, *options.failOnGrowthPercent) ? 1 : 0;
}

} // namespace flight::app
