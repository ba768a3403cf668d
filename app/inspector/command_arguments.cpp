// SPDX-License-Identifier: MIT
#include "command_arguments.h"

#include "licence.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

namespace flight::app {

QStringList commandArguments(int argc, char** argv)
{
    QStringList args;
    args.reserve(argc);
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    return args;
}

QString versionText()
{
    return QStringLiteral("%1 %2\n%3\n")
        .arg(QCoreApplication::applicationName(), QCoreApplication::applicationVersion(),
             QString::fromLatin1(kLicenceLine));
}

void processCommandLine(QCommandLineParser& parser, const QStringList& arguments)
{
    // Wrong arguments exit 2 as documented (Qt's process() exits 1, which for
    // `check` means "over budget": a typo must not read as a verdict).
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(QCoreApplication::applicationName()), qPrintable(parser.errorText()));
        std::exit(2);
    }
    // Qt's own --version handling prints the first line only.
    if (parser.isSet(QStringLiteral("version"))) {
        std::fputs(qPrintable(versionText()), stdout);
        std::fflush(stdout);
        std::exit(EXIT_SUCCESS);
    }
    parser.process(arguments); // --help
}

} // namespace flight::app
