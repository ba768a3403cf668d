// SPDX-License-Identifier: MIT
#include "run_command.h"

#include "option_cursor.h"

#include "serve_command.h"
#include "trace_command.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

#include <csignal>
#include <cstdio>
#include <sys/time.h>

namespace flight::agent {

namespace {

constexpr const char* kRunUsage =
    "Usage: flight-agent run --v8 [SERVE OPTIONS] -- node [NODE OPTIONS] SCRIPT [ARGS...]\n"
    "\n"
    "Starts the node program with an inspector port of its own choosing\n"
    "(--inspect=127.0.0.1:0 is put right after `node`), reads the port from the\n"
    "program's stderr and serves it as `flight-agent serve --source v8:127.0.0.1:PORT`\n"
    "would: one session per target, every --interval. Prints 'listening on\n"
    "ws://HOST:PORT' as its first line on stdout; the program's own stdout and stderr\n"
    "go to the agent's stderr, so that line stays first. Stops once the program has\n"
    "ended (its session is over); stopping the agent (SIGINT/SIGTERM) stops the program\n"
    "too (SIGTERM, then SIGKILL after 2 s).\n"
    "\n"
    "Serve options (see flight-agent serve --help): --listen HOST:PORT, --token-file FILE,\n"
    "--allow-origin ORIGIN, --max-clients N, --interval MS, --buffer N, --platform P,\n"
    "--v8-sampling BYTES.\n"
    "\n"
    "Exit codes: the program's own exit code when it ran to its end (1 if it crashed),\n"
    "            0 when the agent was stopped first,\n"
    "            2 bad usage, a program that is not node, or no inspector port within 10 s.\n";

void stopProgram(QProcess& program)
{
    if (program.state() == QProcess::NotRunning)
        return;
    program.terminate();
    if (!program.waitForFinished(2000)) {
        program.kill();
        program.waitForFinished(2000);
    }
}

} // namespace

int runMain(const QStringList& args)
{
    QStringList serveArgs{args.value(0), QStringLiteral("serve")};
    QStringList command;
    bool v8 = false;
    for (qsizetype i = 2; i < args.size(); ++i) {
        const QString& a = args[i];
        if ((a == QLatin1String("-h") || a == QLatin1String("--help")) && args.contains(QStringLiteral("--v8"))) {
            std::fputs(kRunUsage, stdout);
            return 0;
        }
        if (a == QLatin1String("--")) {
            command = args.mid(i + 1);
            break;
        }
        if (a == QLatin1String("--v8"))
            v8 = true;
        else if (a == QLatin1String("--source"))
            return usageError("run", QStringLiteral("--source is not for run: the program is the source"));
        else
            serveArgs << a;
    }
    if (!v8)
        return traceMain(args); // any other program: the preload tracer
    if (command.isEmpty())
        return usageError("run", QStringLiteral("no program after '--' (e.g. flight-agent run --v8 -- node app.js)"));
    const QString exe = QFileInfo(command.front()).fileName();
    if (exe != QLatin1String("node") && exe != QLatin1String("nodejs"))
        return usageError("run", QStringLiteral("--v8 runs node programs: the command must start with node "
                                         "(got '%1')").arg(command.front()));

    QProcess program;
    program.setProcessChannelMode(QProcess::MergedChannels);
    program.setInputChannelMode(QProcess::ForwardedInputChannel);
    QByteArray pending;      // output before the port line, split into lines
    quint16 port = 0;
    static const QRegularExpression listening(QStringLiteral("^Debugger listening on ws://127\\.0\\.0\\.1:(\\d+)/"));
    QObject::connect(&program, &QProcess::readyReadStandardOutput, [&] {
        const QByteArray chunk = program.readAllStandardOutput();
        std::fwrite(chunk.constData(), 1, static_cast<std::size_t>(chunk.size()), stderr);
        std::fflush(stderr);
        if (port != 0)
            return;
        pending += chunk;
        qsizetype nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
            const auto m = listening.match(QString::fromUtf8(pending.left(nl)));
            pending.remove(0, nl + 1);
            if (m.hasMatch()) {
                port = static_cast<quint16>(m.captured(1).toUInt());
                pending.clear();
                return;
            }
        }
        if (pending.size() > 64 * 1024)
            pending = pending.right(4096); // a long line without a newline: keep its end only
    });
    QStringList programArgs = command.mid(1);
    programArgs.prepend(QStringLiteral("--inspect=127.0.0.1:0"));
    program.start(command.front(), programArgs);
    if (!program.waitForStarted(5000))
        return usageError("run", QStringLiteral("cannot start '%1': %2").arg(command.front(), program.errorString()));
    const QDeadlineTimer deadline(10000);
    while (port == 0 && program.state() == QProcess::Running && !deadline.hasExpired())
        program.waitForReadyRead(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())));
    if (port == 0) {
        const bool ended = program.state() == QProcess::NotRunning;
        stopProgram(program);
        return ended ? usageError("run", QStringLiteral("the program ended (exit code %1) before its inspector was listening")
                                      .arg(program.exitCode()))
                     : usageError("run", QStringLiteral("the program printed no 'Debugger listening on ws://127.0.0.1:PORT/' "
                                                 "line within 10 s"));
    }

    serveArgs << QStringLiteral("--source") << QStringLiteral("v8:127.0.0.1:%1").arg(port);
    const int served = serveMain(serveArgs);
    // serve's 800 ms stop deadline (armed by a signal) must not cut the
    // program's orderly stop short.
    const itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);
    if (served != 0) {
        // A program that ended right after opening its port (a script that
        // fails to load) leaves serve nothing to attach to: that is the
        // program's own failure, and its exit code says so.
        if (program.state() == QProcess::NotRunning || program.waitForFinished(500)) {
            std::fprintf(stderr, "flight-agent run: the program ended (exit code %d) before it could be served\n",
                         program.exitCode());
            return program.exitStatus() == QProcess::NormalExit ? program.exitCode() : 1;
        }
        stopProgram(program);
        return served;
    }
    // The session is over: the program has ended or is about to.
    if (program.state() != QProcess::NotRunning && !program.waitForFinished(2000)) {
        stopProgram(program);
        return 0;
    }
    return program.exitStatus() == QProcess::NormalExit ? program.exitCode() : 1;
}

} // namespace flight::agent
