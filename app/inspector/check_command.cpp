// SPDX-License-Identifier: MIT
#include "check_command.h"

#include "command_output.h"
#include "headless_command.h"
#include "input_loading.h"
#include "prometheus_inputs.h"

#include "budgets/budget.h"
#include "budgets/budget_verdict.h"
#include "model/checked_bytes.h"
#include "model/memory_size.h"
#include "protocol/json_writer.h"
#include "reports/verdict_json.h"

#include <cstdio>

namespace flight::app {
namespace {

const char* const kDescription =
    "Check recordings against a platform's memory budgets: the CI gate.\n\n"
    "Checks every session against the shipped budget of the platform and\n"
    "against every budget for that platform in --budgets files.\n\n"
    "With --prometheus URL instead of recordings, checks every session of the\n"
    "platform Prometheus held over --since (default 1h), at its peak by purpose:\n"
    "  check --prometheus http://127.0.0.1:9090 --platform v6r-small --since 24h\n\n"
    "Exit codes: 0 every session fits, 1 a session is over a budget,\n"
    "            2 an input or a budget file cannot be read, or bad arguments.\n"
    "A session whose byte totals overflowed (an allocation or update refused\n"
    "because used would pass 2^63-1 bytes) never fits: it is OVER every\n"
    "budget, with the lines refused, and the exit code is 1.";

void addOptions(QCommandLineParser& parser)
{
    addRulesOption(parser);
    parser.addOption({QStringLiteral("platform"), QStringLiteral("Platform profile to check against (e.g. psp, v6r-small)."),
                      QStringLiteral("P")});
    parser.addOption({QStringLiteral("budgets"), QStringLiteral("A budget file (JSON, see docs/budgets.md); repeatable."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("at"), QStringLiteral("Usage to check: end, peak or p95 (default peak)."),
                      QStringLiteral("POINT"), QStringLiteral("peak")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output: text or json (default text)."),
                      QStringLiteral("FORMAT"), QStringLiteral("text")});
    addPrometheusOptions(parser);
    parser.addPositionalArgument(QStringLiteral("inputs"), QStringLiteral("Recordings (.jsonl, zstd or not)."),
                                 QStringLiteral("INPUT..."));
}

struct CheckOptions {
    QStringList files;
    bool prometheus = false; // --prometheus: the sessions come from there
    QString platform;
    UsagePoint at = UsagePoint::Peak;
    bool json = false;
    std::vector<Budget> budgets; // the platform's: the shipped one, then the user's
};

// The platform's budgets: the shipped one, then those of every --budgets file
// (each file must have one for the platform).
Result<std::vector<Budget>> platformBudgets(const QString& platform, const QStringList& budgetFiles)
{
    const auto forPlatform = [&](const Budget& b) {
        return QString::fromStdString(b.platform).compare(platform, Qt::CaseInsensitive) == 0;
    };
    std::vector<Budget> budgets;
    for (const Budget& b : builtinBudgets())
        if (forPlatform(b))
            budgets.push_back(b);
    for (const QString& file : budgetFiles) {
        auto loaded = loadBudgetFile(file.toStdString());
        if (!loaded)
            return std::unexpected(loaded.error());
        const std::size_t before = budgets.size();
        for (Budget& b : *loaded)
            if (forPlatform(b))
                budgets.push_back(std::move(b));
        if (budgets.size() == before)
            return badArgument(QStringLiteral("%1 has no budget for platform \"%2\"").arg(file, platform));
    }
    if (budgets.empty())
        return badArgument(QString::fromStdString(noBudgetMessage(platform.toStdString())));
    return budgets;
}

Result<CheckOptions> readOptions(const QCommandLineParser& parser, QStringList files)
{
    CheckOptions o;
    o.files = std::move(files);
    const auto prometheus = readsPrometheus(parser, o.files,
                                            QStringLiteral("no recording given: flight-inspector check INPUT... --platform P "
                                                           "(or --prometheus URL --platform P)"));
    if (!prometheus)
        return std::unexpected(prometheus.error());
    o.prometheus = *prometheus;
    o.platform = parser.value(QStringLiteral("platform"));
    if (o.platform.isEmpty())
        return badArgument(QStringLiteral("--platform is required (one of: dreamcast, psp-1000, psp, vita, v6r-small, "
                                          "v6r-medium, v6r-large, or a platform named in your budget file)"));
    const auto at = usagePointFromString(parser.value(QStringLiteral("at")).toStdString());
    if (!at)
        return badArgument(QStringLiteral("--at must be end, peak or p95, got \"%1\"").arg(parser.value(QStringLiteral("at"))));
    o.at = *at;
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QStringLiteral("text") && format != QStringLiteral("json"))
        return badArgument(QStringLiteral("--format must be text or json, got \"%1\"").arg(format));
    o.json = format == QStringLiteral("json");
    auto budgets = platformBudgets(o.platform, parser.values(QStringLiteral("budgets")));
    if (!budgets)
        return std::unexpected(budgets.error());
    o.budgets = std::move(*budgets);
    return o;
}

// The lines whose changes a session refused for passing 2^63-1 bytes (at most
// a few, from the problems the store lists), e.g. "line 3, line 7".
QString overflowLines(const protocol::SessionStore& store, const std::string& sessionId)
{
    QStringList lines;
    for (const auto& p : store.problems()) {
        if (p.kind != protocol::ProblemKind::SessionError || p.sessionId != sessionId
            || p.message.find(kTrackedBytesBoundText) == std::string::npos)
            continue;
        if (lines.size() == 3) {
            lines << QStringLiteral("...");
            break;
        }
        lines << QStringLiteral("line %1").arg(p.line);
    }
    return lines.join(QStringLiteral(", "));
}

// One session's verdicts, one per budget (in CheckOptions::budgets' order).
struct SessionCheck {
    std::string source;
    const SessionModel* session = nullptr;
    SessionUsage usage;
    QString overflowLines;
    std::vector<BudgetVerdict> verdicts;
};

std::vector<SessionCheck> checkSessions(const LoadedInputs& inputs, const CheckOptions& options)
{
    std::vector<SessionCheck> checks;
    for (const auto& source : inputs.sources)
        for (std::size_t i = 0; i < source.store->sessionCount(); ++i) {
            SessionCheck c;
            c.source = source.name;
            c.session = &source.store->session(i);
            c.usage = sessionUsage(*c.session, options.at);
            if (c.usage.overflowErrors > 0)
                c.overflowLines = overflowLines(*source.store, c.session->info().sessionId);
            for (const Budget& b : options.budgets)
                c.verdicts.push_back(evaluateBudget(c.usage, b));
            checks.push_back(std::move(c));
        }
    return checks;
}

bool allFit(const std::vector<SessionCheck>& checks)
{
    for (const SessionCheck& c : checks)
        for (const BudgetVerdict& v : c.verdicts)
            if (!v.fits)
                return false;
    return true;
}

QString bytes(std::uint64_t b)
{
    return QString::fromStdString(formatBytes(b));
}

QString headroom(std::int64_t h)
{
    return QString::fromStdString(formatSignedBytes(h));
}

std::string checkText(const std::vector<SessionCheck>& checks, const CheckOptions& options)
{
    QString text;
    for (const SessionCheck& c : checks) {
        const SessionModel& s = *c.session;
        text += QStringLiteral("%1  %2 (%3), %4 used at %5\n")
                    .arg(QString::fromStdString(c.source), QString::fromStdString(s.info().sessionId),
                         QString::fromStdString(s.info().platform), bytes(c.usage.totalBytes),
                         QString::fromStdString(std::string(toString(options.at))));
        if (c.usage.overflowErrors > 0)
            text += QStringLiteral("  usage unknown: %1 change(s) refused, their bytes would take the totals past "
                                   "2^63-1 (%2)\n")
                        .arg(c.usage.overflowErrors)
                        .arg(c.overflowLines);
        for (std::size_t i = 0; i < c.verdicts.size(); ++i) {
            const BudgetVerdict& v = c.verdicts[i];
            const Budget& b = options.budgets[i];
            text += QStringLiteral("  %1 %2  [%3]\n")
                        .arg(v.fits ? QStringLiteral("FITS") : QStringLiteral("OVER"), QString::fromStdString(b.name),
                             QString::fromStdString(b.source));
            text += QStringLiteral("    %1 %2 %3 %4\n")
                        .arg(QStringLiteral("purpose"), -18).arg(QStringLiteral("used"), 10)
                        .arg(QStringLiteral("budget"), 10).arg(QStringLiteral("headroom"), 11);
            text += QStringLiteral("    %1 %2 %3 %4%5\n")
                        .arg(QStringLiteral("total"), -18).arg(bytes(v.usedBytes), 10)
                        .arg(bytes(b.totalBytes), 10).arg(headroom(v.headroomBytes), 11)
                        .arg(v.totalFits ? QString() : QStringLiteral("  over"));
            for (const PurposeVerdict& pv : v.purposes)
                text += QStringLiteral("    %1 %2 %3 %4%5\n")
                            .arg(QString::fromStdString(std::string(pv.purpose.name())), -18)
                            .arg(bytes(pv.usedBytes), 10)
                            .arg(pv.budgetBytes ? bytes(*pv.budgetBytes) : QStringLiteral("-"), 10)
                            .arg(pv.budgetBytes ? headroom(pv.headroomBytes) : QStringLiteral("-"), 11)
                            .arg(pv.fits ? QString() : QStringLiteral("  over"));
        }
    }
    text += allFit(checks) ? QStringLiteral("Every session fits.\n") : QStringLiteral("Over budget.\n");
    return text.toStdString();
}

std::string checkJson(const std::vector<SessionCheck>& checks, const CheckOptions& options)
{
    protocol::JsonWriter j(true);
    j.beginObject();
    j.str("platform", options.platform.toStdString());
    j.str("at", toString(options.at));
    j.boolean("fits", allFit(checks));
    j.beginArray("sessions");
    for (const SessionCheck& c : checks) {
        j.beginObject();
        j.str("source", c.source);
        j.str("sessionId", c.session->info().sessionId);
        j.str("platform", c.session->info().platform);
        j.num("usedBytes", c.usage.totalBytes);
        j.num("overflowErrors", c.usage.overflowErrors);
        j.beginArray("verdicts");
        for (std::size_t i = 0; i < c.verdicts.size(); ++i) {
            const BudgetVerdict& v = c.verdicts[i];
            const Budget& b = options.budgets[i];
            j.beginObject();
            reports::writeVerdictFields(j, b, v);
            j.endObject();
        }
        j.endArray();
        j.endObject();
    }
    j.endArray();
    j.endObject();
    return j.take();
}

} // namespace

int checkMain(int argc, char** argv)
{
    HeadlessCommand command(argc, argv, "check", QString::fromLatin1(kDescription));
    const auto options = command.parseOptions(addOptions, readOptions);
    // From Prometheus: the platform's sessions, 500 points each, every point the peak of its step.
    const auto inputs = options.prometheus
        ? loadPrometheusInputs(command.parser(), {QString(), options.platform, 500})
        : loadInputs(options.files, "check", rulesFile(command.parser()));
    if (!inputs)
        return command.fail(inputs.error());
    const std::vector<SessionCheck> checks = checkSessions(*inputs, options);
    if (options.json) {
        std::fputs(checkJson(checks, options).c_str(), stdout);
        std::fflush(stdout);
    } else {
        (void)writeCommandOutput("check", QString(), checkText(checks, options)); // escaped on a terminal
    }
    return allFit(checks) ? 0 : 1;
}

} // namespace flight::app
