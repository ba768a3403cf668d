// SPDX-License-Identifier: MIT
// flight-agent: the project's own producer of flight-memory data (protocol.md).
// Subcommands: generate (a synthetic recording), serve (live WebSocket stream),
// run (a node program, served live), token (a strong bearer token). GUI-free.

#include "generate_command.h"
#include "licence.h"
#include "run_command.h"
#include "serve_command.h"
#include "token_command.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

namespace {

constexpr const char* kUsage =
    "Usage: flight-agent <command> [options]\n"
    "\n"
    "The Flight Memory Inspector's own producer of flight-memory/1 data.\n"
    "\n"
    "Commands:\n"
    "  generate   Write a deterministic synthetic session as a recording:\n"
    "             flight-agent generate --platform P --events N --seed S -o FILE[.zst]\n"
    "  serve      Stream live sessions over WebSocket (demo, replay, process, cgroup sources):\n"
    "             flight-agent serve --listen 127.0.0.1:8765 --source demo\n"
    "  run        Start a program and stream its allocations live by purpose (serve's options):\n"
    "             flight-agent run --platform dreamcast -- ./game   (any program: preload tracer)\n"
    "             flight-agent run --v8 -- node app.js              (a node program's V8 heap)\n"
    "  token      Make a strong random bearer token for serve --token-file:\n"
    "             flight-agent token FILE   (mode 0600; without FILE: on stdout)\n"
    "\n"
    "Options:\n"
    "  -h, --help     Show this help (flight-agent <command> --help for a command's options).\n"
    "  -v, --version  Show the version.\n"
    "\n"
    "Exit codes: 0 success, 2 bad usage or failure.\n";

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flight-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLIGHT_VERSION));
    const QStringList args = QCoreApplication::arguments();

    if (args.size() < 2) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const QString command = args.at(1);
    if (command == QLatin1String("-h") || command == QLatin1String("--help") || command == QLatin1String("help")) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (command == QLatin1String("-v") || command == QLatin1String("--version")) {
        std::printf("flight-agent %s\n%s\n", FLIGHT_VERSION, flight::kLicenceLine);
        return 0;
    }
    if (command == QLatin1String("generate"))
        return flight::agent::generateMain(args);
    if (command == QLatin1String("serve"))
        return flight::agent::serveMain(args);
    if (command == QLatin1String("run"))
        return flight::agent::runMain(args);
    if (command == QLatin1String("token"))
        return flight::agent::tokenMain(args);
    std::fprintf(stderr, "flight-agent: unknown command '%s' (commands: generate, serve, run, token; see flight-agent --help)\n",
                 qPrintable(command));
    return 2;
}
