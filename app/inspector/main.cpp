// SPDX-License-Identifier: MIT
// flight-inspector: the window by default; subcommands run headless.

#include "capture_command.h"
#include "command_arguments.h"
#include "command_line.h"
#include "gui_main.h"
#include "check_command.h"
#include "convert_command.h"
#include "diff_command.h"
#include "report_command.h"

#include <cstring>

#include <QCoreApplication>

int main(int argc, char** argv)
{
    using namespace flight::app;
    if (argc > 1 && std::strcmp(argv[1], "report") == 0)
        return reportMain(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "check") == 0)
        return checkMain(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "diff") == 0)
        return diffMain(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "convert") == 0)
        return convertMain(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "capture") == 0)
        return captureMain(argc, argv);
    if (wantsHelpOrVersion(argc, argv)) {
        // Answer without a display: no QGuiApplication for --help/--version.
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("flight-inspector"));
        QCoreApplication::setApplicationVersion(QStringLiteral(FLIGHT_VERSION));
        QCommandLineParser parser;
        describeGuiOptions(parser);
        processCommandLine(parser, app.arguments()); // prints and exits
        return 0;
    }
    return guiMain(argc, argv);
}
