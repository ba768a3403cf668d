// SPDX-License-Identifier: MIT
#include "serve_command.h"

#include "option_cursor.h"

#include "live/server/agent_server.h"
#include "live/metrics/metrics_collector.h"
#include "live/metrics/metrics_listener.h"
#include "live/sources/source_spec.h"
#include "live/common/token_file.h"
#include "live/server/token_strength.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <limits>
#include <sys/time.h>
#include <unistd.h>

namespace flight::agent {

namespace {

constexpr const char* kServeUsage =
    "Usage: flight-agent serve [--listen HOST:PORT] [--token-file FILE] --source SPEC [--source SPEC...]\n"
    "                          [--allow-origin ORIGIN...] [--max-clients N] [--rate N] [--demo-events N]\n"
    "                          [--speed X] [--loop]\n"
    "                          [--interval MS] [--buffer N] [--platform P] [--allow-remote-v8] [--v8-sampling BYTES]\n"
    "                          [--metrics-listen HOST:PORT] [--metrics-max-sessions N]\n"
    "\n"
    "Streams live sessions over WebSocket (flight-memory/1, canonical form, every\n"
    "message numbered with seq per session). Prints 'listening on ws://HOST:PORT' as\n"
    "its first line on stdout; stops cleanly on SIGINT/SIGTERM (within 800 ms\n"
    "whatever it is doing: a busy agent exits then without clean-up).\n"
    "\n"
    "Sources (each its own session; --source may be repeated):\n"
    "  demo               a synthetic v6r-small VM and a dreamcast title, forever\n"
    "  demo:PLATFORM      one synthetic session on PLATFORM (dreamcast, psp, vita, v6r-small, ...)\n"
    "  replay:FILE        a recording (.fmr, .jsonl or .zst) with its original timing\n"
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
    "  --demo-events N     messages in one demo session before the next starts (default 12000, at least 16);\n"
    "                      e.g. 40000000 keeps one session growing for over 30 minutes at 20000 msg/s\n"
    "  --speed X           replay speed factor (default 1)\n"
    "  --loop              replay: start over at the end (fresh session ids)\n"
    "  --interval MS       process/cgroup/v8 sampling interval (default 250)\n"
    "  --platform P        v8: the platform whose budget the session is held against (default: the\n"
    "                      smallest platform that holds the V8 heap limit, else custom)\n"
    "  --allow-remote-v8   v8: allow a host that is not loopback. The inspector port has no\n"
    "                      authentication (V8's design): whoever reaches it can run code in the\n"
    "                      target, so only expose it over a tunnel you trust.\n"
    "  --v8-sampling BYTES v8: allocation records: V8's sampling heap profiler keeps one allocation in\n"
    "                      every BYTES (32768 is a good start); the live samples are read every second\n"
    "                      and listed with their function and script. Costs the target a pause per read\n"
    "                      (docs/live-sources.md). Default 0: none.\n"
    "  --buffer N          messages kept per session for late or reconnecting clients (default 100000)\n"
    "  --metrics-listen HOST:PORT  also serve GET /metrics over HTTP (OpenMetrics, or the Prometheus\n"
    "                      text format 0.0.4 when not asked for it) for Prometheus to scrape: every\n"
    "                      session's used/total/peak bytes, bytes and allocations by purpose,\n"
    "                      pressure, limits, errors, and the agent's own counts (docs/fleet.md).\n"
    "                      Port 0 = any free; 'metrics on http://HOST:PORT/metrics' is then the second\n"
    "                      line on stdout. A non-loopback address needs --token-file; with a token set,\n"
    "                      /metrics needs 'Authorization: Bearer <token>' too.\n"
    "  --metrics-max-sessions N  sessions exported at most (default 1000). A new session once N are\n"
    "                      held replaces the one that ended first; with none ended it is not exported\n"
    "                      (counted in flight_agent_metrics_sessions_omitted_total). An ended session's\n"
    "                      series go 5 minutes after it ended.\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit codes: 0 stopped cleanly (signal, or all sources finished),\n"
    "            2 bad usage, bad source, bad or weak token file, address refused or in use.\n";


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

struct ServeOptions {
    bool help = false;
    live::AgentServerOptions server;
    QString tokenFile;
    QStringList specs;
    live::SourceSettings settings;
    bool metrics = false;
    live::MetricsListener::Options metricsListen;
    live::MetricsCollectorOptions metricsCollector;
};

Result<ServeOptions> readOptions(const QStringList& args, bool sourceGiven)
{
    ServeOptions o;
    o.server.address = QHostAddress(QHostAddress::LocalHost);
    o.server.port = 8765;
    o.server.bufferMessages = 100'000;
    o.server.maxClients = 64;
    OptionCursor arg(args);
    while (arg.next()) {
        const QString& a = arg.current();
        if (arg.isHelp()) {
            o.help = true;
            return o;
        } else if (arg.is(QLatin1StringView("--loop"))) {
            o.settings.loop = true;
        } else if (arg.is(QLatin1StringView("--allow-remote-v8"))) {
            o.settings.allowRemoteV8 = true;
        } else if (arg.is(QLatin1StringView("--platform"))) {
            const auto v = arg.value();
            if (!v || v->isEmpty())
                return badArgument(QStringLiteral("--platform needs a platform id (dreamcast, psp, v6r-small, ...)"));
            o.settings.platform = v->toStdString();
        } else if (arg.is(QLatin1StringView("--v8-sampling"))) {
            const auto n = arg.count(0, 1ull << 30);
            if (!n || (*n != 0 && *n < 1024))
                return badArgument(QStringLiteral("--v8-sampling needs bytes from 1024 to 1073741824, or 0 for none"));
            o.settings.v8SamplingBytes = *n;
        } else if (arg.is(QLatin1StringView("--listen"))) {
            const QString v = arg.value().value_or(QString());
            if (!parseListen(v, o.server.address, o.server.port))
                return badArgument(
                    QStringLiteral("--listen needs HOST:PORT (e.g. 127.0.0.1:8765, [::1]:0), got '%1'").arg(v));
        } else if (arg.is(QLatin1StringView("--token-file"))) {
            const auto v = arg.value();
            if (!v)
                return badArgument(QStringLiteral("--token-file needs a file"));
            o.tokenFile = *v;
        } else if (arg.is(QLatin1StringView("--allow-origin"))) {
            const auto v = arg.value();
            if (!v)
                return badArgument(QStringLiteral("--allow-origin needs an origin (scheme://host[:port])"));
            o.server.allowedOrigins << *v;
        } else if (arg.is(QLatin1StringView("--source"))) {
            const auto v = arg.value();
            if (!v)
                return badArgument(QStringLiteral("--source needs a spec"));
            o.specs << *v;
        } else if (arg.is(QLatin1StringView("--rate")) || arg.is(QLatin1StringView("--speed"))) {
            const auto d = arg.positive();
            if (!d)
                return badArgument(QStringLiteral("%1 needs a number above 0").arg(a));
            (a == QLatin1String("--rate") ? o.settings.rate : o.settings.speed) = *d;
        } else if (arg.is(QLatin1StringView("--demo-events"))) {
            const auto n = arg.count(16, 1ull << 40);
            if (!n)
                return badArgument(QStringLiteral("--demo-events needs a number from 16 to 1099511627776"));
            o.settings.demoEvents = *n;
        } else if (arg.is(QLatin1StringView("--interval"))) {
            const auto ms = arg.count(10, std::numeric_limits<int>::max());
            if (!ms)
                return badArgument(QStringLiteral("--interval needs milliseconds, at least 10"));
            o.settings.interval = std::chrono::milliseconds(*ms);
        } else if (arg.is(QLatin1StringView("--max-clients"))) {
            const auto n = arg.count(1, 100'000);
            if (!n)
                return badArgument(QStringLiteral("--max-clients needs a number from 1 to 100000"));
            o.server.maxClients = static_cast<std::size_t>(*n);
        } else if (arg.is(QLatin1StringView("--metrics-listen"))) {
            const QString v = arg.value().value_or(QString());
            if (!parseListen(v, o.metricsListen.address, o.metricsListen.port))
                return badArgument(
                    QStringLiteral("--metrics-listen needs HOST:PORT (e.g. 127.0.0.1:9464, [::1]:0), got '%1'").arg(v));
            o.metrics = true;
        } else if (arg.is(QLatin1StringView("--metrics-max-sessions"))) {
            const auto n = arg.count(1, 1'000'000);
            if (!n)
                return badArgument(QStringLiteral("--metrics-max-sessions needs a number from 1 to 1000000"));
            o.metricsCollector.maxSessions = static_cast<std::size_t>(*n);
        } else if (arg.is(QLatin1StringView("--buffer"))) {
            const auto n = arg.count(1, std::numeric_limits<qulonglong>::max());
            if (!n)
                return badArgument(QStringLiteral("--buffer needs a message count, at least 1"));
            o.server.bufferMessages = static_cast<std::size_t>(*n);
        } else {
            return badArgument(QStringLiteral("unknown option '%1' (see flight-agent serve --help)").arg(a));
        }
    }
    if (o.specs.isEmpty() && !sourceGiven)
        return badArgument(QStringLiteral("at least one --source is needed (see flight-agent serve --help)"));
    if (!o.tokenFile.isEmpty()) {
        auto token = live::readTokenFile(o.tokenFile);
        if (!token)
            return std::unexpected(token.error());
        if (auto strong = live::checkTokenStrength(*token); !strong)
            return badArgument(o.tokenFile + QStringLiteral(": ") + QString::fromStdString(strong.error().message));
        o.server.token = *token;
    }
    o.metricsListen.token = o.server.token;
    return o;
}

Result<std::vector<std::unique_ptr<live::AgentSource>>> makeAllSources(const ServeOptions& o)
{
    std::vector<std::unique_ptr<live::AgentSource>> sources;
    for (const QString& spec : o.specs) {
        auto made = live::makeSources(spec, o.settings);
        if (!made)
            return std::unexpected(made.error());
        for (auto& s : *made)
            sources.push_back(std::move(s));
    }
    return sources;
}

// SIGINT/SIGTERM quit the event loop (through a pipe the handler writes to);
// SIGALRM, armed by the handler, ends a stop that takes over 800 ms.
Result<void> installStopSignals(QSocketNotifier*& notifier)
{
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return makeError(MemoryErrorCode::IoError, "cannot set up signal handling");
    notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, qApp);
    QObject::connect(notifier, &QSocketNotifier::activated, [] {
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
    return {};
}

// The /metrics side (--metrics-listen): every source's messages also go to
// the collector, and each scrape renders from it and the server's counts.
struct MetricsSide {
    live::MetricsCollector collector;
    live::MetricsListener listener;
    QTimer sweep;

    MetricsSide(const ServeOptions& o, const live::AgentServer& server)
        : collector(o.metricsCollector), listener([this, &server](live::ExpositionFormat format) {
              live::AgentMetrics m = collector.snapshot(live::MetricsCollector::Clock::now());
              const auto stats = server.stats();
              m.instance = server.instance();
              m.version = FLIGHT_VERSION;
              m.websocketUrl = server.url().toString().toStdString();
              m.messagesPublished = stats.published;
              m.messagesDropped = stats.dropped;
              m.clientsConnected = stats.clients.size();
              return live::renderMetrics(m, format);
          })
    {
        // Ended sessions leave and long ones are compacted even when nobody scrapes.
        QObject::connect(&sweep, &QTimer::timeout, [this] { collector.sweep(live::MetricsCollector::Clock::now()); });
        sweep.start(10'000);
    }
};

void printStopSummary(const live::AgentServer::Stats& stats)
{
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
}

} // namespace

int serveMain(const QStringList& args, std::vector<std::unique_ptr<live::AgentSource>> extraSources,
              const std::function<void()>& onStopped)
{
    const bool runMode = !extraSources.empty();
    const auto options = readOptions(args, runMode);
    if (!options)
        return usageError("serve", QString::fromStdString(options.error().message));
    if (options->help) {
        std::fputs(kServeUsage, stdout);
        return 0;
    }
    auto sources = makeAllSources(*options);
    if (!sources)
        return usageError("serve", QString::fromStdString(sources.error().message));
    for (auto& s : extraSources)
        sources->push_back(std::move(s));
    live::AgentServer server(options->server);
    if (const auto bound = server.listen(); !bound)
        return usageError("serve", QString::fromStdString(bound.error().message));
    std::unique_ptr<MetricsSide> metrics;
    if (options->metrics) {
        metrics = std::make_unique<MetricsSide>(*options, server);
        if (const auto bound = metrics->listener.listen(options->metricsListen); !bound)
            return usageError("serve", QString::fromStdString(bound.error().message));
        for (auto& s : *sources)
            s = live::tapSource(std::move(s), metrics->collector);
    }
    QSocketNotifier* stopNotifier = nullptr;
    if (const auto installed = installStopSignals(stopNotifier); !installed)
        return usageError("serve", QString::fromStdString(installed.error().message));

    std::printf("listening on %s\n", qPrintable(server.url().toString()));
    if (metrics)
        std::printf("metrics on %s\n", qPrintable(metrics->listener.url().toString()));
    std::fflush(stdout);
    for (auto& s : *sources)
        server.addSource(std::move(s));

    // Every source finished (a replay without --loop, a process that exited):
    // give clients a moment to drain, then stop.
    // With no client connected there is nobody to wait for (run's traced
    // program: the agent ends with it).
    QTimer finishedCheck;
    QObject::connect(&finishedCheck, &QTimer::timeout, [&] {
        if (server.allSourcesFinished()) {
            finishedCheck.stop();
            std::fprintf(stderr, "flight-agent serve: all sources finished\n");
            const bool nobody = runMode && server.stats().clients.empty();
            QTimer::singleShot(nobody ? 0 : 1000, [] { QCoreApplication::quit(); });
        }
    });
    finishedCheck.start(runMode ? 50 : 500);

    QCoreApplication::exec();
    if (onStopped)
        onStopped();
    if (metrics)
        metrics->listener.close();
    server.close();
    printStopSummary(server.stats());
    return 0;
}

} // namespace flight::agent
