// SPDX-License-Identifier: MIT
// The window's cost while it follows a live session (docs/performance.md,
// "The window on a live session"): a real `flight-agent serve --source
// demo:v6r-large --rate R --demo-events N` child process and the real MainWindow
// (default size, Timeline tab) connected to it, as a user's would be. N covers
// the whole run, so the window follows one session that keeps growing
// (FLIGHT_LIVE_WINDOW_DEMO_EVENTS sets it; 0 leaves it out: the agent's default of
// 12,000, a new session every 0.6 s at 20,000 msg/s).
//   LiveWindow/rate:R   after a warm-up (FLIGHT_LIVE_WINDOW_WARMUP_S, default 3),
//                       FLIGHT_LIVE_WINDOW_SECONDS (default 20) of the session.
//   Counters: cpu_pct      this process's CPU time (every thread: UI, the live
//                          worker, the pool's analyses) per second of session, in % of one core
//             cpu_us_per_msg  the same per message the window applied
//             agent_cpu_pct   the agent child's CPU (the producer; a yardstick
//                          for the machine's speed in the same run)
//             x_agent      cpu_pct / agent_cpu_pct: the window's cost as a ratio
//                          to the producer's in the same run
//             msgs_per_s   messages the window applied per second
//             rss_mb       VmRSS at the end
//             lat_p50_ms, lat_p99_ms  producer -> window: wall clock when the window
//                          has applied a snapshot minus the newest message time in it
//                          (the demo source stamps each message with the wall clock)
//             first_cpu_pct, last_cpu_pct  the first and the last fifth of the
//                          measured time, or slice of FLIGHT_LIVE_WINDOW_SLICE_S seconds
//                          (flatness over a long run; every slice is printed with the RSS)
//             chart_paints_per_s, table_paints_per_s  paint events of the timeline's
//                          and the sessions table's viewports (what is redrawn how often)
//             plot_moves_per_s  the timeline's plot area moved (its axes were laid out
//                          to another size: the chart is rebuilt for it)
//             sessions     sessions seen in the snapshots while measuring (1: one growing session)
// The platform is Qt's default for the environment (offscreen when there is no
// DISPLAY): run under xvfb-run for real X11 painting. Settings and the live
// recording go to a temporary folder, removed at the end.
// FLIGHT_AGENT names the agent (default: flight-agent next to this binary).
// FLIGHT_LIVE_WINDOW_FULL_DETAIL_MIN sets the store's full-detail window in minutes
// (default: the window's own, 10), to reach compactions sooner than in a 30-minute run.
// Not a ctest test: run bin/live_window_benchmark by hand, in Release.

#include "benchmark_main.h"
#include "child_agent.h"

#include "connections/live_connections.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "timeline/timeline_view.h"
#include "window/main_window.h"

#include "live/client/live_snapshot.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QDateTime>
#include <QEvent>
#include <QTableView>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace {

using namespace flight;

double envSeconds(const char* name, double fallback)
{
    bool ok = false;
    const double v = qEnvironmentVariable(name).toDouble(&ok);
    return ok && v > 0 ? v : fallback;
}

// CPU seconds of this process, every thread.
double selfCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU seconds of process `pid` (utime + stime of /proc/PID/stat).
double processCpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = f.readAll();
    const int close = text.lastIndexOf(')'); // the command name may hold spaces
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    // after "pid (comm) ": state is field 0, utime 11, stime 12
    return static_cast<double>(fields[11].toLongLong() + fields[12].toLongLong()) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double rssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return 0;
}

QString agentPath()
{
    const QString env = qEnvironmentVariable("FLIGHT_AGENT");
    return env.isEmpty() ? QCoreApplication::applicationDirPath() + QStringLiteral("/flight-agent") : env;
}

// The event loop as the application runs it (it sleeps while nothing happens), for `seconds`.
void runFor(double seconds)
{
    QEventLoop loop;
    QTimer::singleShot(static_cast<int>(seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
}

// Counts the paint events a widget receives.
class PaintCounter : public QObject {
public:
    using QObject::QObject;
    int paints = 0;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(watched, event);
    }
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void LiveWindow(benchmark::State& state)
{
    const double rate = static_cast<double>(state.range(0));
    const double warmup = envSeconds("FLIGHT_LIVE_WINDOW_WARMUP_S", 3);
    const double seconds = envSeconds("FLIGHT_LIVE_WINDOW_SECONDS", 20);
    // One session for the whole run (a minute to spare for start-up and a slow machine).
    const QString eventsEnv = qEnvironmentVariable("FLIGHT_LIVE_WINDOW_DEMO_EVENTS");
    const double demoEvents = eventsEnv.isEmpty() ? std::ceil(rate * (warmup + seconds + 60)) : eventsEnv.toDouble();
    for (auto _ : state) {
        bench::ChildAgent agent;
        QStringList args = {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--source"),
                            QStringLiteral("demo:v6r-large"), QStringLiteral("--rate"), QString::number(rate, 'f', 0)};
        if (const double events = std::max(16.0, demoEvents) * (demoEvents > 0); events > 0)
            args << QStringLiteral("--demo-events") << QString::number(events, 'f', 0);
        const QUrl url = agent.start(agentPath(), args);
        if (!url.isValid() || url.isEmpty()) {
            state.SkipWithError("flight-agent did not start (FLIGHT_AGENT?)");
            return;
        }
        ui::MainWindow window; // the default window: 1280 x 800, Timeline tab
        window.show();
        window.sessionsPage()->showView(QStringLiteral("timeline"));
        auto* live = window.findChild<ui::LiveConnections*>();
        if (!live) {
            state.SkipWithError("no LiveConnections in the window");
            return;
        }
        std::uint64_t applied = 0;
        bool measuring = false;
        std::vector<double> latencies;
        std::set<std::string> sessionsSeen;
        // Connected after the window's own handler: runs once the window has applied the snapshot.
        QObject::connect(live, &ui::LiveConnections::snapshot, &window, [&](int, const live::LiveSnapshot& s) {
            applied = s.stats.messagesApplied;
            std::int64_t newest = 0;
            for (const auto& f : s.sessions) {
                newest = std::max(newest, f.lastMs);
                if (measuring)
                    sessionsSeen.insert(f.sessionId);
            }
            if (measuring && newest > 0)
                latencies.push_back(static_cast<double>(QDateTime::currentMSecsSinceEpoch() - newest));
        });
        window.openConnection(url);
        runFor(warmup);

        PaintCounter chartPaints, tablePaints;
        window.sessionsPage()->detail()->timeline()->viewport()->installEventFilter(&chartPaints);
        window.sessionsPage()->sessionTable()->viewport()->installEventFilter(&tablePaints);
        int plotMoves = 0;
        QObject::connect(window.sessionsPage()->detail()->timeline()->chart(), &QChart::plotAreaChanged, &window,
                         [&]() { ++plotMoves; });
        measuring = true;
        const std::uint64_t applied0 = applied;
        const double cpu0 = selfCpuSeconds();
        const double agent0 = processCpuSeconds(agent.pid());
        QElapsedTimer wall;
        wall.start();
        // Slices (five, or FLIGHT_LIVE_WINDOW_SLICE_S long): the first and the last show
        // whether the cost stays flat.
        const int slices = std::max(1, static_cast<int>(std::lround(seconds / envSeconds("FLIGHT_LIVE_WINDOW_SLICE_S", seconds / 5))));
        std::vector<double> sliceCpu;
        double sliceStart = cpu0;
        for (int slice = 0; slice < slices; ++slice) {
            runFor(seconds / slices);
            const double now = selfCpuSeconds();
            sliceCpu.push_back(100.0 * (now - sliceStart) / (seconds / slices));
            sliceStart = now;
            std::fprintf(stderr, "  rate %.0f: %.0f s, %.1f %% of one core, %.0f MB\n", rate,
                         static_cast<double>(wall.elapsed()) / 1000.0, sliceCpu.back(), rssMb());
        }
        const double elapsed = static_cast<double>(wall.nsecsElapsed()) / 1e9;
        const double cpu = selfCpuSeconds() - cpu0;
        const double agentCpu = processCpuSeconds(agent.pid()) - agent0;
        const double messages = static_cast<double>(applied - applied0);
        measuring = false;
        state.SetIterationTime(elapsed);

        state.counters["cpu_pct"] = 100.0 * cpu / elapsed;
        state.counters["cpu_us_per_msg"] = messages > 0 ? 1e6 * cpu / messages : 0;
        state.counters["agent_cpu_pct"] = 100.0 * agentCpu / elapsed;
        state.counters["x_agent"] = agentCpu > 0 ? cpu / agentCpu : 0;
        state.counters["msgs_per_s"] = messages / elapsed;
        state.counters["rss_mb"] = rssMb();
        state.counters["lat_p50_ms"] = percentile(latencies, 0.50);
        state.counters["lat_p99_ms"] = percentile(latencies, 0.99);
        state.counters["first_cpu_pct"] = sliceCpu.front();
        state.counters["last_cpu_pct"] = sliceCpu.back();
        state.counters["chart_paints_per_s"] = chartPaints.paints / elapsed;
        state.counters["table_paints_per_s"] = tablePaints.paints / elapsed;
        state.counters["plot_moves_per_s"] = plotMoves / elapsed;
        state.counters["sessions"] = static_cast<double>(sessionsSeen.size());
        if (messages <= 0)
            state.SkipWithError("the window applied no message");
        window.close();
        agent.stop();
    }
    state.SetLabel(QGuiApplication::platformName().toStdString());
}

} // namespace

BENCHMARK(LiveWindow)->ArgName("rate")->Arg(200)->Arg(20'000)->Unit(benchmark::kSecond)->UseManualTime()->Iterations(1);

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The window's settings and live recordings go here, not to the user's folders.
    QTemporaryDir home;
    if (!home.isValid())
        return 2;
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/config")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", (home.path() + QStringLiteral("/data")).toLocal8Bit());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("flight-benchmark"));
    QApplication::setApplicationName(QStringLiteral("live_window_benchmark"));
    if (const int minutes = qEnvironmentVariableIntValue("FLIGHT_LIVE_WINDOW_FULL_DETAIL_MIN"); minutes > 0)
        QSettings().setValue(QStringLiteral("live/fullDetailMinutes"), minutes); // read by LiveConnections
    return bench::runBenchmarks(argc, argv);
}
