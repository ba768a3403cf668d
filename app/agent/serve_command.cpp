// SPDX-License-Identifier: MIT
#include "serve_command.h"

#include "live/agent_server.h"
#include "live/source_spec.h"
#include "live/token_file.h"
#include "live/token_strength.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

namespace flight::agent {

namespace {

constexpr const char* kServeUsage =
    "Usage: flight-agent serve [--listen HOST:PORT] [--token-file FILE] --source SPEC [--source SPEC...]\n"
    "                          [--allow-origin ORIGIN...] [--max-clients N] [--rate N] [--speed X] [--loop]\n"
    "                          [--interval MS] [--buffer N] [--platform P] [--allow-remote-v8]\n"
    "\n"
    "Streams live sessions over WebSocket (flight-memory/1, canonical form, every\n"
    "message numbered with seq per session). Prints 'listening on ws://HOST:PORT' as\n"
    "its first line on stdout; stops cleanly on SIGINT/SIGTERM (within 800 ms\n"
    "whatever it is doing: a busy agent exits then without clean-up).\n"
    "\n"
    "Sources (each its own session; --source may be repeated):\n"
    "  demo               a synthetic v6r-small VM and a dreamcast title, forever\n"
    "  demo:PLATFORM      one synthetic session on PLATFORM (dreamcast, psp, vita, v6r-small, ...)\n"
    "  replay:FILE        a recording (.jsonl or .zst) with its original timing\n"
    "  process:PID        a Linux process from /proc/PID (smaps, status, cgroup limit, PSI)\n"
    "  cgroup:PATH        a memory cgroup (v2, or v1 memory controller), absolute or under /sys/fs/cgroup\n"
    "  v8:HOST:PORT       every target of a V8 inspector port (node --inspect=127.0.0.1:9229, Chromium's\n"
    "                     --remote-debugging-port): heap spaces, JIT code, WebAssembly memories by purpose\n"
    "  v8:ws://HOST:PORT/ID  one V8 target by its debugger URL\n"
    "\n"
    "Options:\n"
    "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8765; port 0 = any free).\n"
    "                      A non-loopback address needs --token-file.\n"
    "  --token-file FILE   clients must send 'Authorization: Bearer <token>' (FILE holds the token, one line).\n"
    "                      At least 16 characters and about 128 bits (e.g. 32 hex digits); make one with\n"
    "                      'flight-agent token FILE'. A wrong token is answered 401 after a delay that\n"
    "                      grows with that address's failures (up to 5 s); the right one never waits.\n"
    "  --allow-origin ORIGIN  a web page of ORIGIN (scheme://host[:port]) may connect; repeatable.\n"
    "                      A handshake with any other Origin header (every browser sends one) gets\n"
    "                      HTTP 403: web pages cannot read the agent unless named here.\n"
    "  --max-clients N     clients connected at once (default 64); one more gets HTTP 503 with\n"
    "                      Retry-After. Out of file descriptors, new connections wait in the\n"
    "                      kernel's backlog until a client leaves (the agent does not spin).\n"
    "  --rate N            demo messages per second (default 200)\n"
    "  --speed X           replay speed factor (default 1)\n"
    "  --loop              replay: start over at the end (fresh session ids)\n"
    "  --interval MS       process/cgroup/v8 sampling interval (default 250)\n"
    "  --platform P        v8: the platform whose budget the session is held against (default: the\n"
    "                      smallest platform that holds the V8 heap limit, else custom)\n"
    "  --allow-remote-v8   v8: allow a host that is not loopback. The inspector port has no\n"
    "                      authentication (V8's design): whoever reaches it can run code in the\n"
    "                      target, so only expose it over a tunnel you trust.\n"
    "  --buffer N          messages kept per session for late or reconnecting clients (default 100000)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit codes: 0 stopped cleanly (signal, or all sources finished),\n"
    "            2 bad usage, bad source, bad or weak token file, address refused or in use.\n";

int usageError(const QString& message)
{
    std::fprintf(stderr, "flight-agent serve: %s\n", qPrintable(message));
    return 2;
}

int g_signalPipe[2] = {-1, -1};

// The event loop stops the agent cleanly; should it be busy (or the clean-up
// slow), the agent exits anyway 800 ms after the signal: it holds nothing
// that needs saving, and a stop must never need SIGKILL.
void onStopDeadline(int)
{
    static const char text[] = "flight-agent serve: still busy 800 ms after the signal; exiting without clean-up\n";
    [[maybe_unused]] const auto n = ::write(STDERR_FILENO, text, sizeof text - 1);
    ::_exit(0);
}

void onSignal(int)
{
    const char c = 1;
    const int saved = errno;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
    itimerval deadline{};
    deadline.it_value.tv_usec = 800'000;
    ::setitimer(ITIMER_REAL, &deadline, nullptr);
    errno = saved;
}

bool parseListen(const QString& text, QHostAddress& address, quint16& port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    if (!ok || p > 65535)
        return false;
    if (host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return false;
    port = static_cast<quint16>(p);
    return true;
}

} // namespace

int serveMain(const QStringList& args)
{
    QHostAddress address(QHostAddress::LocalHost);
    quint16 port = 8765;
    QString tokenFile;
    QStringList specs;
    QStringList origins;
    live::SourceSettings settings;
    std::size_t buffer = 100'000;
    std::size_t maxClients = 64;

    for (qsizetype i = 2; i < args.size(); ++i) {
        const QString& a = args[i];
        const auto value = [&](QString& out) {
            if (i + 1 >= args.size())
                return false;
            out = args[++i];
            return true;
        };
        QString v;
        if (a == QLatin1String("-h") || a == QLatin1String("--help")) {
            std::fputs(kServeUsage, stdout);
            return 0;
        } else if (a == QLatin1String("--loop")) {
            settings.loop = true;
        } else if (a == QLatin1String("--allow-remote-v8")) {
            settings.allowRemoteV8 = true;
        } else if (a == QLatin1String("--platform")) {
            if (!value(v) || v.isEmpty())
                return usageError(QStringLiteral("--platform needs a platform id (dreamcast, psp, v6r-small, ...)"));
            settings.platform = v.toStdString();
        } else if (a == QLatin1String("--listen")) {
            if (!value(v) || !parseListen(v, address, port))
                return usageError(QStringLiteral("--listen needs HOST:PORT (e.g. 127.0.0.1:8765, [::1]:0), got '%1'").arg(v));
        } else if (a == QLatin1String("--token-file")) {
            if (!value(tokenFile))
                return usageError(QStringLiteral("--token-file needs a file"));
        } else if (a == QLatin1String("--allow-origin")) {
            if (!value(v))
                return usageError(QStringLiteral("--allow-origin needs an origin (scheme://host[:port])"));
            origins << v;
        } else if (a == QLatin1String("--source")) {
            if (!value(v))
                return usageError(QStringLiteral("--source needs a spec"));
            specs << v;
        } else if (a == QLatin1String("--rate") || a == QLatin1String("--speed")) {
            bool ok = false;
            const double d = value(v) ? v.toDouble(&ok) : 0.0;
            if (!ok || !(d > 0))
                return usageError(QStringLiteral("%1 needs a number above 0").arg(a));
            (a == QLatin1String("--rate") ? settings.rate : settings.speed) = d;
        } else if (a == QLatin1String("--interval")) {
            bool ok = false;
            const int ms = value(v) ? v.toInt(&ok) : 0;
            if (!ok || ms < 10)
                return usageError(QStringLiteral("--interval needs milliseconds, at least 10"));
            settings.interval = std::chrono::milliseconds(ms);
        } else if (a == QLatin1String("--max-clients")) {
            bool ok = false;
            const qulonglong n = value(v) ? v.toULongLong(&ok) : 0;
            if (!ok || n < 1 || n > 100'000)
                return usageError(QStringLiteral("--max-clients needs a number from 1 to 100000"));
            maxClients = static_cast<std::size_t>(n);
        } else if (a == QLatin1String("--buffer")) {
            bool ok = false;
            const qulonglong n = value(v) ? v.toULongLong(&ok) : 0;
            if (!ok || n < 1)
                return usageError(QStringLiteral("--buffer needs a message count, at least 1"));
            buffer = static_cast<std::size_t>(n);
        } else {
            return usageError(QStringLiteral("unknown option '%1' (see flight-agent serve --help)").arg(a));
        }
    }
    if (specs.isEmpty())
        return usageError(QStringLiteral("at least one --source is needed (see flight-agent serve --help)"));

    live::AgentServerOptions options;
    options.address = address;
    options.port = port;
    options.bufferMessages = buffer;
    options.allowedOrigins = origins;
    options.maxClients = maxClients;
    if (!tokenFile.isEmpty()) {
        auto token = live::readTokenFile(tokenFile);
        if (!token)
            return usageError(QString::fromStdString(token.error().message));
        if (auto strong = live::checkTokenStrength(*token); !strong)
            return usageError(tokenFile + QStringLiteral(": ") + QString::fromStdString(strong.error().message));
        options.token = *token;
    }

    std::vector<std::unique_ptr<live::AgentSource>> sources;
    for (const QString& spec : specs) {
        auto made = live::makeSources(spec, settings);
        if (!made)
            return usageError(QString::fromStdString(made.error().message));
        for (auto& s : *made)
            sources.push_back(std::move(s));
    }

    live::AgentServer server(options);
    const auto bound = server.listen();
    if (!bound)
        return usageError(QString::fromStdString(bound.error().message));

    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return usageError(QStringLiteral("cannot set up signal handling"));
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, [] {
        char c;
        while (::read(g_signalPipe[0], &c, 1) > 0) {
        }
        QCoreApplication::quit();
    });
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    struct sigaction late {};
    late.sa_handler = onStopDeadline;
    sigemptyset(&late.sa_mask);
    ::sigaction(SIGALRM, &late, nullptr);

    std::printf("listening on %s\n", qPrintable(server.url().toString()));
    std::fflush(stdout);

    for (auto& s : sources)
        server.addSource(std::move(s));

    // Every source finished (a replay without --loop, a process that exited):
    // give clients a moment to drain, then stop.
    QTimer finishedCheck;
    QObject::connect(&finishedCheck, &QTimer::timeout, [&] {
        if (server.allSourcesFinished()) {
            finishedCheck.stop();
            std::fprintf(stderr, "flight-agent serve: all sources finished\n");
            QTimer::singleShot(1000, [] { QCoreApplication::quit(); });
        }
    });
    finishedCheck.start(500);

    QCoreApplication::exec();
    server.close();
    const auto stats = server.stats();
    std::fprintf(stderr,
                 "flight-agent serve: stopped (%llu messages published, %llu frames sent, %llu dropped for slow clients, "
                 "%llu clients served, %llu refused: %llu for their Origin, %llu for their token, %llu over "
                 "--max-clients; %llu closed for flooding control messages; accepting paused %llu times, out of "
                 "file descriptors)\n",
                 static_cast<unsigned long long>(stats.published), static_cast<unsigned long long>(stats.sent),
                 static_cast<unsigned long long>(stats.dropped), static_cast<unsigned long long>(stats.clientsAccepted),
                 static_cast<unsigned long long>(stats.clientsRefused),
                 static_cast<unsigned long long>(stats.originsRefused),
                 static_cast<unsigned long long>(stats.tokensRefused),
                 static_cast<unsigned long long>(stats.busyRefused),
                 static_cast<unsigned long long>(stats.closedForControlFlood),
                 static_cast<unsigned long long>(stats.acceptPauses));
    return 0;
}

} // namespace flight::agent
