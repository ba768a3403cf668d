#include "report_command.h"

#include "input_loading.h"

#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cstdio>

namespace flight::app {
namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "flight-inspector report: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int reportMain(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flight-inspector report"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLIGHT_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Summarise recordings without a display.\n\n"
        "Exit codes: 0 every input was read (bad lines are listed in the report),\n"
        "            2 an input cannot be read at all, or the arguments are wrong."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output format: json."), QStringLiteral("FORMAT"),
                      QStringLiteral("json")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write to OUT instead of standard output."), QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("compact"), QStringLiteral("One-line JSON instead of indented.")});
    parser.addPositionalArgument(QStringLiteral("report"), QStringLiteral("The subcommand."));
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Recordings (.jsonl, zstd-compressed or not)."),
                                 QStringLiteral("FILE..."));
    parser.process(app);

    QStringList files = parser.positionalArguments();
    files.removeFirst(); // "report"
    if (files.isEmpty())
        return fail(QStringLiteral("no recording given: flight-inspector report FILE... --format json"));
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QStringLiteral("json"))
        return fail(QStringLiteral("format \"%1\" is not supported by this build; use --format json").arg(format));

    QString error;
    const auto inputs = loadInputs(files, "report", &error);
    if (!inputs)
        return fail(error);
    const std::string json = protocol::summaryJson(inputs->sources, !parser.isSet(QStringLiteral("compact"))) + "\n";

    const QString out = parser.value(QStringLiteral("output"));
    if (out.isEmpty() || out == QStringLiteral("-")) {
        std::fwrite(json.data(), 1, json.size(), stdout);
        return std::fflush(stdout) == 0 ? 0 : 2;
    }
    QFile f(out);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(QStringLiteral("cannot write %1: %2").arg(out, f.errorString()));
    if (f.write(json.data(), static_cast<qint64>(json.size())) != static_cast<qint64>(json.size()))
        return fail(QStringLiteral("cannot write %1: %2").arg(out, f.errorString()));
    return 0;
}

} // namespace flight::app
