// SPDX-License-Identifier: MIT
#include "trace_command.h"

#include "option_cursor.h"

#include "import/purpose_rules.h"
#include "live/tracer/tracer_source.h"
#include "serve_command.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <limits>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace flight::agent {

namespace {

constexpr const char* kTraceUsage =
    "Usage: flight-agent run [--platform P] [--rules FILE] [-o FILE] [--threshold BYTES] [SERVE OPTIONS]\n"
    "                        -- PROGRAM [ARGS...]\n"
    "       flight-agent run --v8 [SERVE OPTIONS] -- node SCRIPT [ARGS...]   (see run --v8 --help)\n"
    "\n"
    "Starts PROGRAM with libflight-preload.so preloaded (LD_PRELOAD) and serves its\n"
    "allocations live by purpose, one session per process ('trace-PID'; a forked child\n"
    "is a session of its own, an exec starts a new one). Prints 'listening on\n"
    "ws://HOST:PORT' as its first line on stdout; the program's stdout goes to the\n"
    "agent's stderr. Stops once the program has ended; stopping the agent\n"
    "(SIGINT/SIGTERM) stops the program (SIGTERM, then SIGKILL after 2 s).\n"
    "\n"
    "  --platform P       the platform whose budget the sessions are held against\n"
    "                     (dreamcast, psp, vita, ...; default custom)\n"
    "  --rules FILE       purpose rules for untagged allocations (docs/native-programs.md);\n"
    "                     without: they count as 'unclassified'\n"
    "  --stack-depth N    frames of each untagged allocation's stack the rules see when a\n"
    "                     rule reads stacks (module=, function=; default 8, at most 32)\n"
    "  -o FILE            also write every allocation and free to FILE (format 2 recording)\n"
    "  --threshold BYTES  live: blocks of at least BYTES are sent one by one, smaller ones\n"
    "                     only in the per-purpose totals (default 65536)\n"
    "  --interval MS      how often the per-purpose totals are sent (default 250)\n"
    "Serve options (see flight-agent serve --help): --listen HOST:PORT, --token-file FILE,\n"
    "--allow-origin ORIGIN, --max-clients N, --buffer N.\n"
    "\n"
    "Exit codes: the program's own exit code (128+N when signal N ended it),\n"
    "            0 when the agent was stopped first, 2 bad usage or the program could not start.\n";

// The library beside the agent: build tree bin/../lib, installed
// bin/../lib/flight-inspector; FLIGHT_PRELOAD_LIBRARY overrides both.
QString preloadLibrary()
{
    const QByteArray given = qgetenv("FLIGHT_PRELOAD_LIBRARY");
    if (!given.isEmpty())
        return QString::fromLocal8Bit(given);
    const QDir bin(QCoreApplication::applicationDirPath());
    for (const QString& rel : {QStringLiteral("../lib/flight-inspector/libflight-preload.so"),
                               QStringLiteral("../lib/libflight-preload.so")}) {
        const QFileInfo f(bin.filePath(rel));
        if (f.isFile())
            return f.canonicalFilePath();
    }
    return {};
}

} // namespace

int traceMain(const QStringList& args)
{
    QStringList serveArgs{args.value(0), QStringLiteral("serve")};
    QStringList command;
    live::TracerSourceOptions options;
    QString rulesFile;
    int stackDepth = 8;
    OptionCursor arg(args);
    while (arg.next()) {
        if (arg.isHelp()) {
            std::fputs(kTraceUsage, stdout);
            return 0;
        } else if (arg.is(QLatin1StringView("--"))) {
            command = arg.rest();
            break;
        } else if (arg.is(QLatin1StringView("--platform"))) {
            const auto v = arg.value();
            if (!v || v->isEmpty())
                return usageError("run", QStringLiteral("--platform needs a platform id (dreamcast, psp, vita, ...)"));
            options.platform = v->toStdString();
        } else if (arg.is(QLatin1StringView("--rules"))) {
            const auto v = arg.value();
            if (!v)
                return usageError("run", QStringLiteral("--rules needs a file"));
            rulesFile = *v;
        } else if (arg.is(QLatin1StringView("-o")) || arg.is(QLatin1StringView("--output"))) {
            const auto v = arg.value();
            if (!v || v->isEmpty())
                return usageError("run", QStringLiteral("-o needs a file"));
            options.recordingPath = v->toStdString();
        } else if (arg.is(QLatin1StringView("--threshold"))) {
            const auto n = arg.count(1, std::numeric_limits<qulonglong>::max());
            if (!n)
                return usageError("run", QStringLiteral("--threshold needs bytes, at least 1"));
            options.threshold = *n;
        } else if (arg.is(QLatin1StringView("--interval"))) {
            const auto ms = arg.count(10, std::numeric_limits<int>::max());
            if (!ms)
                return usageError("run", QStringLiteral("--interval needs milliseconds, at least 10"));
            options.interval = std::chrono::milliseconds(*ms);
        } else if (arg.is(QLatin1StringView("--stack-depth"))) {
            const auto n = arg.count(1, 32);
            if (!n)
                return usageError("run", QStringLiteral("--stack-depth needs a frame count from 1 to 32"));
            stackDepth = static_cast<int>(*n);
        } else if (arg.is(QLatin1StringView("--source"))) {
            return usageError("run", QStringLiteral("--source is not for run: the program is the source"));
        } else {
            serveArgs << arg.current();
        }
    }
    if (command.isEmpty())
        return usageError("run", QStringLiteral("no program after '--' (e.g. flight-agent run --platform dreamcast -- ./game)"));
    if (!rulesFile.isEmpty()) {
        auto rules = import::PurposeRules::readFile(rulesFile.toStdString());
        if (!rules)
            return usageError("run", QString::fromStdString(rules.error().message));
        options.rules = std::move(*rules);
    }
    const QString library = preloadLibrary();
    if (library.isEmpty())
        return usageError("run", QStringLiteral("libflight-preload.so not found beside the agent (set FLIGHT_PRELOAD_LIBRARY)"));

    // One SOCK_SEQPACKET pair: each batch the library sends arrives whole.
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return usageError("run", QStringLiteral("cannot create the tracer's socket: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    const int buffer = 4 << 20;
    ::setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    ::setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    const int childFd = ::fcntl(sv[1], F_DUPFD, 3); // without FD_CLOEXEC: the program (and what it execs) keeps it
    ::close(sv[1]);

    // Processes the program leaves behind come to the agent, which reaps
    // them and ends their sessions.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);

    std::vector<std::string> env;
    bool preloadSet = false;
    for (char** e = environ; *e; ++e) {
        std::string entry(*e);
        if (entry.starts_with("FLIGHT_PRELOAD_FD=") || entry.starts_with("FLIGHT_PRELOAD_STACK_DEPTH="))
            continue;
        if (entry.starts_with("LD_PRELOAD=")) {
            entry = "LD_PRELOAD=" + library.toStdString() + " " + entry.substr(11);
            preloadSet = true;
        }
        env.push_back(std::move(entry));
    }
    if (!preloadSet)
        env.push_back("LD_PRELOAD=" + library.toStdString());
    env.push_back("FLIGHT_PRELOAD_FD=" + std::to_string(childFd));
    // Stacks cost the program a backtrace per new untagged allocation site
    // and are read only when a rule looks at them.
    if (options.rules.needsStack())
        env.push_back("FLIGHT_PRELOAD_STACK_DEPTH=" + std::to_string(stackDepth));
    std::vector<char*> envp;
    for (auto& e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> argvText;
    for (const QString& a : command)
        argvText.push_back(a.toStdString());
    std::vector<char*> argv;
    for (auto& a : argvText)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO); // 'listening on' stays first on stdout
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(childFd);
    if (spawned != 0) {
        ::close(sv[0]);
        return usageError("run", QStringLiteral("cannot start '%1': %2").arg(command.front(), QString::fromLocal8Bit(std::strerror(spawned))));
    }

    options.socketFd = sv[0];
    options.programPid = pid;
    auto source = live::TracerSource::create(std::move(options));
    if (!source) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        return usageError("run", QString::fromStdString(source.error().message));
    }
    live::TracerSource* tracer = source->get(); // the server owns it until serveMain returns
    std::vector<std::unique_ptr<live::AgentSource>> sources;
    sources.push_back(std::move(*source));
    int exitCode = -1;
    const int served = serveMain(serveArgs, std::move(sources), [&] { exitCode = tracer->figures().programExitCode; });
    const itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);
    if (exitCode >= 0)
        return exitCode;
    // Stopped first (or serve could not start): the program goes too.
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == 0) {
        ::kill(pid, SIGTERM);
        for (int i = 0; i < 20 && ::waitpid(pid, &status, WNOHANG) == 0; ++i)
            ::usleep(100'000);
        if (::waitpid(pid, &status, WNOHANG) == 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
        }
    }
    return served;
}

} // namespace flight::agent
