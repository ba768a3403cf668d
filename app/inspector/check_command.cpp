// SPDX-License-Identifier: MIT
#include "check_command.h"

#include "command_arguments.h"
#include "command_output.h"
#include "input_loading.h"

#include "budgets/budget.h"
#include "budgets/budget_verdict.h"
#include "model/memory_size.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace flight::app {
namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "flight-inspector check: %s\n", printable(message).constData());
    return 2;
}

QString bytes(std::uint64_t b)
{
    return QString::fromStdString(formatBytes(b));
}

QString headroom(std::int64_t h)
{
    return QString::fromStdString(formatSignedBytes(h));
}

} // namespace

int checkMain(int argc, char** argv)
{
    ProgramOnlyArguments qtArguments(argv[0]); // the options are ours, not Qt's
    QCoreApplication app(qtArguments.argc, qtArguments.argv);
    QCoreApplication::setApplicationName(QStringLiteral("flight-inspector check"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLIGHT_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Check recordings against a platform's memory budgets: the CI gate.\n\n"
        "Checks every session against the shipped budget of the platform and\n"
        "against every budget for that platform in --budgets files.\n\n"
        "Exit codes: 0 every session fits, 1 a session is over a budget,\n"
        "            2 an input or a budget file cannot be read, or bad arguments."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("platform"), QStringLiteral("Platform profile to check against (e.g. psp, v6r-small)."),
                      QStringLiteral("P")});
    parser.addOption({QStringLiteral("budgets"), QStringLiteral("A budget file (JSON, see docs/budgets.md); repeatable."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("at"), QStringLiteral("Usage to check: end, peak or p95 (default peak)."),
                      QStringLiteral("POINT"), QStringLiteral("peak")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output: text or json (default text)."),
                      QStringLiteral("FORMAT"), QStringLiteral("text")});
    parser.addPositionalArgument(QStringLiteral("check"), QStringLiteral("The subcommand."));
    parser.addPositionalArgument(QStringLiteral("inputs"), QStringLiteral("Recordings (.jsonl, zstd or not)."),
                                 QStringLiteral("INPUT..."));
    processCommandLine(parser, commandArguments(argc, argv));

    QStringList files = parser.positionalArguments();
    files.removeFirst(); // "check"
    if (files.isEmpty())
        return fail(QStringLiteral("no recording given: flight-inspector check INPUT... --platform P"));
    const QString platform = parser.value(QStringLiteral("platform"));
    if (platform.isEmpty())
        return fail(QStringLiteral("--platform is required (one of: dreamcast, psp-1000, psp, vita, v6r-small, "
                                   "v6r-medium, v6r-large, or a platform named in your budget file)"));
    const auto at = usagePointFromString(parser.value(QStringLiteral("at")).toStdString());
    if (!at)
        return fail(QStringLiteral("--at must be end, peak or p95, got \"%1\"").arg(parser.value(QStringLiteral("at"))));
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QStringLiteral("text") && format != QStringLiteral("json"))
        return fail(QStringLiteral("--format must be text or json, got \"%1\"").arg(format));

    // Budgets for the platform: the shipped one, then the user's.
    std::vector<Budget> budgets;
    for (const Budget& b : builtinBudgets())
        if (QString::fromStdString(b.platform).compare(platform, Qt::CaseInsensitive) == 0)
            budgets.push_back(b);
    for (const QString& file : parser.values(QStringLiteral("budgets"))) {
        auto loaded = loadBudgetFile(file.toStdString());
        if (!loaded)
            return fail(QString::fromStdString(loaded.error().message));
        bool any = false;
        for (Budget& b : *loaded)
            if (QString::fromStdString(b.platform).compare(platform, Qt::CaseInsensitive) == 0) {
                budgets.push_back(std::move(b));
                any = true;
            }
        if (!any)
            return fail(QStringLiteral("%1 has no budget for platform \"%2\"").arg(file, platform));
    }
    if (budgets.empty())
        return fail(QString::fromStdString(noBudgetMessage(platform.toStdString())));

    QString error;
    const auto inputs = loadInputs(files, "check", &error);
    if (!inputs)
        return fail(error);

    bool allFit = true;
    QJsonArray sessionsJson;
    QString text;
    for (const auto& source : inputs->sources) {
        for (std::size_t i = 0; i < source.store->sessionCount(); ++i) {
            const SessionModel& s = source.store->session(i);
            const SessionUsage usage = sessionUsage(s, *at);
            QJsonArray verdictsJson;
            text += QStringLiteral("%1  %2 (%3), %4 used at %5\n")
                        .arg(QString::fromStdString(source.name), QString::fromStdString(s.info().sessionId),
                             QString::fromStdString(s.info().platform), bytes(usage.totalBytes),
                             QString::fromStdString(std::string(toString(*at))));
            for (const Budget& b : budgets) {
                const BudgetVerdict v = evaluateBudget(usage, b);
                allFit = allFit && v.fits;
                text += QStringLiteral("  %1 %2  [%3]\n")
                            .arg(v.fits ? QStringLiteral("FITS") : QStringLiteral("OVER"),
                                 QString::fromStdString(b.name), QString::fromStdString(b.source));
                text += QStringLiteral("    %1 %2 %3 %4\n")
                            .arg(QStringLiteral("purpose"), -18).arg(QStringLiteral("used"), 10)
                            .arg(QStringLiteral("budget"), 10).arg(QStringLiteral("headroom"), 11);
                text += QStringLiteral("    %1 %2 %3 %4%5\n")
                            .arg(QStringLiteral("total"), -18).arg(bytes(v.usedBytes), 10)
                            .arg(bytes(b.totalBytes), 10).arg(headroom(v.headroomBytes), 11)
                            .arg(v.totalFits ? QString() : QStringLiteral("  over"));
                QJsonArray purposesJson;
                for (const PurposeVerdict& pv : v.purposes) {
                    text += QStringLiteral("    %1 %2 %3 %4%5\n")
                                .arg(QString::fromStdString(std::string(pv.purpose.name())), -18)
                                .arg(bytes(pv.usedBytes), 10)
                                .arg(pv.budgetBytes ? bytes(*pv.budgetBytes) : QStringLiteral("-"), 10)
                                .arg(pv.budgetBytes ? headroom(pv.headroomBytes) : QStringLiteral("-"), 11)
                                .arg(pv.fits ? QString() : QStringLiteral("  over"));
                    QJsonObject p{{QStringLiteral("purpose"), QString::fromStdString(std::string(pv.purpose.name()))},
                                  {QStringLiteral("usedBytes"), static_cast<qint64>(pv.usedBytes)},
                                  {QStringLiteral("fits"), pv.fits}};
                    if (pv.budgetBytes) {
                        p.insert(QStringLiteral("budgetBytes"), static_cast<qint64>(*pv.budgetBytes));
                        p.insert(QStringLiteral("headroomBytes"), static_cast<qint64>(pv.headroomBytes));
                    }
                    purposesJson.append(p);
                }
                verdictsJson.append(QJsonObject{
                    {QStringLiteral("budget"), QString::fromStdString(b.name)},
                    {QStringLiteral("budgetSource"), QString::fromStdString(b.source)},
                    {QStringLiteral("totalBytes"), static_cast<qint64>(b.totalBytes)},
                    {QStringLiteral("usedBytes"), static_cast<qint64>(v.usedBytes)},
                    {QStringLiteral("headroomBytes"), static_cast<qint64>(v.headroomBytes)},
                    {QStringLiteral("totalFits"), v.totalFits},
                    {QStringLiteral("fits"), v.fits},
                    {QStringLiteral("purposes"), purposesJson}});
            }
            sessionsJson.append(QJsonObject{{QStringLiteral("source"), QString::fromStdString(source.name)},
                                            {QStringLiteral("sessionId"), QString::fromStdString(s.info().sessionId)},
                                            {QStringLiteral("platform"), QString::fromStdString(s.info().platform)},
                                            {QStringLiteral("usedBytes"), static_cast<qint64>(usage.totalBytes)},
                                            {QStringLiteral("verdicts"), verdictsJson}});
        }
    }
    if (format == QStringLiteral("json")) {
        const QJsonObject doc{{QStringLiteral("platform"), platform},
                              {QStringLiteral("at"), QString::fromStdString(std::string(toString(*at)))},
                              {QStringLiteral("fits"), allFit},
                              {QStringLiteral("sessions"), sessionsJson}};
        std::fputs(QJsonDocument(doc).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        text += allFit ? QStringLiteral("Every session fits.\n") : QStringLiteral("Over budget.\n");
        (void)writeCommandOutput("check", QString(), text.toStdString()); // escaped on a terminal
    }
    std::fflush(stdout);
    return allFit ? 0 : 1;
}

} // namespace flight::app
