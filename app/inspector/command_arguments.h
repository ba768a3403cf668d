// SPDX-License-Identifier: MIT
#pragma once
// A subcommand's own arguments, kept away from Qt. The application
// constructors take options such as -platform/--platform, --session, -style or
// -display for themselves (QGuiApplication aborts on an unknown platform
// plugin), so `report --platform psp` or `--session ID` written with a space
// never reached the subcommand. The headless subcommands therefore build their
// application from argv[0] alone and parse the whole command line themselves.

#include "model/memory_error.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace flight::app {

// argc/argv for a Q*Application constructor: the program name only. Must
// outlive the application (Qt keeps references to both).
struct ProgramOnlyArguments {
    explicit ProgramOnlyArguments(char* program) : argv{program, nullptr} {}
    int argc = 1;
    char* argv[2];
};

// Every argument as given (decoded as QCoreApplication::arguments() would).
QStringList commandArguments(int argc, char** argv);

// QCommandLineParser::process(arguments), except that --version prints the
// licence under the version line and wrong arguments exit 2 ("NAME: Unknown
// option 'x'."). Exits on --help, --version or a parse error.
void processCommandLine(QCommandLineParser& parser, const QStringList& arguments);

// A wrong argument, as every subcommand's option reading returns it (MalformedInput).
inline std::unexpected<MemoryError> badArgument(const QString& message)
{
    return makeError(MemoryErrorCode::MalformedInput, message.toStdString());
}

// "NAME VERSION\nLicensed under ...\n" for QCoreApplication's name and version.
QString versionText();

} // namespace flight::app
