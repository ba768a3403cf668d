// SPDX-License-Identifier: MIT
// Live sessions, agent -> client over loopback (docs/performance.md, "Live
// sessions"). A plain program (not Google Benchmark: one long timed run).
//
//   live_throughput_benchmark throughput [--seconds 30] [--rate 250000] [--sources 1]
//                                        [--events-per-run 12000] [--buffer 100000] [--agent FLIGHT_AGENT]
//       An AgentServer on its own QThread ("agent-server") with --sources demo
//       sources (DemoSource, v6r-small) at --rate messages/s each, and a
//       LiveSession connected to it. Every second: messages applied by the
//       client's store (LiveSnapshot.stats.messagesApplied), messages published
//       by the server, the process's VmRSS. With --agent, `FLIGHT_AGENT serve
//       --source demo:v6r-small --rate R --buffer B` runs as a child process
//       instead and VmRSS is the client's alone.
//   live_throughput_benchmark latency [--seconds 10] [--rate 10000] [--warmup 2] [--publish-ms 100]
//                                     [--agent FLIGHT_AGENT]
//       Same set-up at --rate, the client records (LiveSessionOptions::recordingPath).
//       The demo source stamps each message's time with the wall clock (ms) as
//       it hands it to the server; the client's recording stamps receivedAt
//       (wall clock, ms) in LiveWorker::onFrame right before SessionStore::ingest.
//       Latency = receivedAt - message time, over the messages sent after the
//       warm-up; p50 / p90 / p99 / max. Also what the UI thread sees: the time
//       the first LiveSnapshot counting a message (stats.recordedMessages)
//       reached this thread (snapshotReady) - its send time; the snapshots come
//       every --publish-ms (LiveSessionOptions::publishInterval, default 100).
//   (--publish-ms applies to throughput too.)
//   throughput also takes [--full-detail-s 600] (the client's RetentionPolicy::fullDetail;
//   the worker compacts every full-detail/8, at least every 1 s) and [--warmup-rss-s 10]:
//   it prints VmRSS at 1 s, at the warm-up second and at the end, and the
//   growth from the warm-up to the end. [--max-ended-sessions N] sets the
//   client's LiveSessionOptions::maxEndedSessions (default 100). At the end it
//   prints the CPU time of the client's worker and of the agent (thread or
//   child process) and the messages per CPU-second of each, and the load
//   average (every second too), so that a run on a busy machine can be read.
//   live_throughput_benchmark client --url URL [--seconds N]
//       Only a LiveSession connected to URL (agent_overhead.sh uses it).
//
// At the end: CPU time of every thread of this process (/proc/self/task/*/stat).

#include "child_agent.h"

#include "live/server/agent_server.h"
#include "live/sources/demo_source.h"
#include "live/client/live_session.h"
#include "live/common/message_rewrite.h"
#include "model/session_model.h"
#include "protocol/message_decoder.h"
#include "protocol/recording_writer.h"
#include "protocol/session_store.h"
#include "model/memory_analytics.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <utility>
#include <variant>
#include <vector>

using namespace flight;

namespace {

struct Options {
    QString mode;
    int seconds = 0;
    double rate = 0;
    int sources = 1;
    std::uint64_t eventsPerRun = 12'000;
    std::size_t buffer = 100'000;
    int warmup = 2;
    int publishMs = 100;                 // LiveSessionOptions::publishInterval (its default)
    QString agent;
    QString url;
    int fullDetailS = 600;               // RetentionPolicy::fullDetail (the product's default: 10 min)
    int warmupRssS = 10;                 // throughput: VmRSS "after warm-up" is taken at this second
    std::size_t maxEndedSessions = live::LiveSessionOptions{}.maxEndedSessions; // the client's cap (its default)
};

std::uint64_t statusKiB(const char* field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string key = std::string(field) + ':';
    while (std::getline(in, line))
        if (line.compare(0, key.size(), key) == 0)
            return std::strtoull(line.c_str() + key.size(), nullptr, 10);
    return 0;
}

std::string loadAverage()
{
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + ' ' + b + ' ' + c;
}

// utime + stime of a process (s), from /proc/PID/stat.
double processCpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0.0;
    const QByteArray s = f.readAll();
    const QList<QByteArray> fields = s.mid(s.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0.0;
    return static_cast<double>(fields[11].toULongLong() + fields[12].toULongLong())
         / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Prints every thread's CPU time; returns the one named `wanted` (s).
double printThreadCpu(const QByteArray& wanted = QByteArray())
{
    double found = 0.0;
    const double tck = static_cast<double>(::sysconf(_SC_CLK_TCK));
    std::printf("thread CPU (utime+stime, s):");
    const QStringList tids = QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& tid : tids) {
        QFile f(QStringLiteral("/proc/self/task/%1/stat").arg(tid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray s = f.readAll();
        const qsizetype open = s.indexOf('('), close = s.lastIndexOf(')');
        const QByteArray comm = s.mid(open + 1, close - open - 1);
        const QList<QByteArray> fields = s.mid(close + 2).split(' ');
        if (fields.size() < 13)
            continue;
        const double cpu = static_cast<double>(fields[11].toULongLong() + fields[12].toULongLong()) / tck;
        if (comm == wanted)
            found += cpu;
        if (cpu >= 0.01)
            std::printf(" %s=%.2f", comm.constData(), cpu);
    }
    std::printf("\n");
    return found;
}

// An AgentServer with demo sources, living on its own thread.
class InProcessAgent {
public:
    bool start(const Options& o)
    {
        m_thread.setObjectName(QStringLiteral("agent-server"));
        m_thread.start();
        m_context.moveToThread(&m_thread);
        bool ok = false;
        QMetaObject::invokeMethod(&m_context, [&] {
            live::AgentServerOptions so;
            so.bufferMessages = o.buffer;
            m_server = std::make_unique<live::AgentServer>(so);
            if (auto r = m_server->listen(); !r) {
                std::fprintf(stderr, "listen: %s\n", r.error().message.c_str());
                return;
            }
            for (int i = 0; i < o.sources; ++i) {
                live::DemoSourceOptions d;
                d.rate = o.rate;
                d.eventsPerRun = o.eventsPerRun;
                d.seed = 1 + static_cast<std::uint64_t>(i) * 1000;
                auto s = live::DemoSource::create(d);
                if (!s) {
                    std::fprintf(stderr, "demo: %s\n", s.error().message.c_str());
                    return;
                }
                m_server->addSource(std::move(*s));
            }
            m_url = m_server->url();
            ok = true;
        }, Qt::BlockingQueuedConnection);
        return ok;
    }
    QUrl url() const { return m_url; }
    live::AgentServer::Stats stats()
    {
        live::AgentServer::Stats st;
        QMetaObject::invokeMethod(&m_context, [&] { st = m_server->stats(); }, Qt::BlockingQueuedConnection);
        return st;
    }
    void stop()
    {
        QMetaObject::invokeMethod(&m_context, [&] {
            if (m_server)
                m_server->close();
            m_server.reset();
            m_context.moveToThread(QCoreApplication::instance()->thread());
        }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

private:
    QThread m_thread;
    QObject m_context;
    std::unique_ptr<live::AgentServer> m_server;
    QUrl m_url;
};

// The `flight-agent serve` arguments of a run with `--agent PATH`.
QStringList childAgentArgs(const Options& o)
{
    QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--rate"),
                     QString::number(o.rate, 'f', 0), QStringLiteral("--buffer"), QString::number(o.buffer)};
    for (int i = 0; i < o.sources; ++i)
        args << QStringLiteral("--source") << QStringLiteral("demo:v6r-small");
    return args;
}

// The agent a run measures: in-process, or `--agent PATH` as a child process.
class BenchAgent {
public:
    explicit BenchAgent(const Options& o)
        : isChild(!o.agent.isEmpty())
    {
        if (isChild)
            m_childUrl = m_child.start(o.agent, childAgentArgs(o));
        m_started = isChild ? m_childUrl.isValid() : m_inproc.start(o);
        if (!m_started)
            std::fprintf(stderr, "agent did not start\n");
    }
    bool started() const { return m_started; }
    QUrl url() const { return isChild ? m_childUrl : m_inproc.url(); }
    std::uint64_t published() { return isChild ? 0 : m_inproc.stats().published; }
    live::AgentServer::Stats stats() { return isChild ? live::AgentServer::Stats{} : m_inproc.stats(); }
    double cpuSeconds() { return isChild ? processCpuSeconds(m_child.pid()) : printThreadCpu("agent-server"); }
    void stop()
    {
        if (isChild)
            m_child.stop();
        else
            m_inproc.stop();
    }
    const bool isChild;

private:
    InProcessAgent m_inproc;
    bench::ChildAgent m_child;
    QUrl m_childUrl;
    bool m_started = false;
};

live::LiveSessionOptions sessionOptions(const QUrl& url, int publishMs = 100)
{
    live::LiveSessionOptions lo;
    lo.connection.url = url;
    lo.publishInterval = std::chrono::milliseconds(publishMs);
    return lo;
}

int runThroughput(const Options& o)
{
    BenchAgent agent(o);
    if (!agent.started())
        return 1;
    const bool isChild = agent.isChild;
    const QUrl url = agent.url();
    std::printf("load average at the start: %s (nproc %ld)\n", loadAverage().c_str(), ::sysconf(_SC_NPROCESSORS_ONLN));
    std::printf("throughput: %s agent %s, %d demo source(s) at %.0f msg/s each, events per run %llu, buffer %zu, %d s\n",
                isChild ? "child" : "in-process", qPrintable(url.toString()), o.sources, o.rate,
                static_cast<unsigned long long>(o.eventsPerRun), o.buffer, o.seconds);

    live::LiveSessionOptions lo = sessionOptions(url, o.publishMs);
    lo.retention.fullDetail = std::chrono::seconds(o.fullDetailS);
    lo.maxEndedSessions = o.maxEndedSessions;
    std::printf("client retention: %s\n", lo.retention.describe().c_str());
    live::LiveSession session(lo);
    session.start();
    std::uint64_t rssStart = 0, rssWarm = 0, rssEnd = 0;

    QElapsedTimer clock;
    clock.start();
    std::uint64_t lastApplied = 0, lastPublished = 0, appliedAt5 = 0;
    qint64 msAt5 = 0;
    int second = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        ++second;
        const std::uint64_t applied = session.latest() ? session.latest()->stats.messagesApplied : 0;
        const std::uint64_t published = agent.published();
        const std::uint64_t rss = statusKiB("VmRSS");
        if (second == 1)
            rssStart = rss;
        if (second == o.warmupRssS)
            rssWarm = rss;
        rssEnd = rss;
        std::printf("t=%2d s load %s applied %10llu (+%7llu/s) published %10llu (+%7llu/s) VmRSS %7.1f MiB", second,
                    loadAverage().substr(0, loadAverage().find(' ')).c_str(),
                    static_cast<unsigned long long>(applied), static_cast<unsigned long long>(applied - lastApplied),
                    static_cast<unsigned long long>(published),
                    static_cast<unsigned long long>(published - lastPublished), static_cast<double>(rss) / 1024.0);
        if (second == 5 || second == 15 || second == 30 || second == o.warmupRssS || second == o.seconds) {
            // The models' own accounting (a short blocking call on the worker).
            std::size_t fp = 0, held = 0, events = 0, live = 0;
            session.withStore([&](const protocol::SessionStore& st) {
                for (std::size_t i = 0; i < st.sessionCount(); ++i) {
                    fp += st.session(i).memoryFootprint();
                    held += st.session(i).allocationCount();
                    events += st.session(i).timelineEventCount();
                    live += MemoryAnalytics(st.session(i)).calculateMemoryStats().activeAllocations;
                }
            });
            std::printf("  <-- models %.1f MiB (%zu allocations held, %zu live, %zu timeline events), VmRSS - models %.1f MiB",
                        static_cast<double>(fp) / (1 << 20), held, live, events,
                        static_cast<double>(rss) / 1024.0 - static_cast<double>(fp) / (1 << 20));
        }
        std::printf("\n");
        std::fflush(stdout);
        lastApplied = applied;
        lastPublished = published;
        if (second == 5) {
            appliedAt5 = applied;
            msAt5 = clock.elapsed();
        }
        if (second >= o.seconds)
            QCoreApplication::quit();
    });
    tick.start(1000);
    QCoreApplication::exec();

    const qint64 ms = clock.elapsed();
    const live::LiveSnapshot last = session.snapshotNow();
    std::size_t footprint = 0, sessions = 0;
    session.withStore([&](const protocol::SessionStore& st) {
        sessions = st.sessionCount();
        for (std::size_t i = 0; i < sessions; ++i)
            footprint += st.session(i).memoryFootprint();
    });
    const double clientCpu = printThreadCpu("flight-live");
    const double agentCpu = agent.cpuSeconds();
    const live::AgentServer::Stats ss = agent.stats();
    session.stop();
    agent.stop();

    const auto& st = last.stats;
    std::printf("applied %llu in %.2f s = %.0f msg/s overall; %.0f msg/s from 5 s to the end (target >= 200000)\n",
                static_cast<unsigned long long>(st.messagesApplied), static_cast<double>(ms) / 1000.0,
                static_cast<double>(st.messagesApplied) * 1000.0 / static_cast<double>(ms),
                static_cast<double>(st.messagesApplied - appliedAt5) * 1000.0 / static_cast<double>(ms - msAt5));
    std::printf("CPU: client worker (flight-live) %.2f s = %.0f msg per CPU-second; agent (%s) %.2f s = %.0f msg per "
                "CPU-second; together %.0f msg/s per core if each had its own; load average at the end %s\n",
                clientCpu, clientCpu > 0 ? static_cast<double>(st.messagesApplied) / clientCpu : 0.0,
                isChild ? "process" : "agent-server thread", agentCpu,
                agentCpu > 0 ? static_cast<double>(st.messagesApplied) / agentCpu : 0.0,
                clientCpu > 0 && agentCpu > 0
                    ? static_cast<double>(st.messagesApplied) / std::max(clientCpu, agentCpu) : 0.0,
                loadAverage().c_str());
    std::printf("client: frames %llu, bytes %.1f MiB, decode errors %llu, seq gaps %llu, duplicates %llu, reconnects %llu; "
                "ended sessions dropped from memory %llu (keeps %zu), producer restarts %llu; "
                "sessions in store %zu, model footprint %.1f MiB\n",
                static_cast<unsigned long long>(st.framesReceived), static_cast<double>(st.bytesReceived) / (1 << 20),
                static_cast<unsigned long long>(st.decodeErrors), static_cast<unsigned long long>(st.seqGaps),
                static_cast<unsigned long long>(st.duplicatesDropped), static_cast<unsigned long long>(st.reconnects),
                static_cast<unsigned long long>(st.endedSessionsDropped), lo.maxEndedSessions,
                static_cast<unsigned long long>(st.producerRestarts),
                sessions, static_cast<double>(footprint) / (1 << 20));
    std::printf("client VmRSS: %.1f MiB at 1 s, %.1f MiB at %d s (after warm-up), %.1f MiB at %d s: "
                "%+.1f MiB (%+.1f %%) after warm-up; %llu compactions, the last held the worker %.1f ms\n",
                static_cast<double>(rssStart) / 1024.0, static_cast<double>(rssWarm) / 1024.0, o.warmupRssS,
                static_cast<double>(rssEnd) / 1024.0, second,
                (static_cast<double>(rssEnd) - static_cast<double>(rssWarm)) / 1024.0,
                rssWarm ? 100.0 * (static_cast<double>(rssEnd) - static_cast<double>(rssWarm)) / static_cast<double>(rssWarm) : 0.0,
                static_cast<unsigned long long>(st.compactions), st.lastCompactionMs);
    if (!isChild)
        std::printf("server: published %llu (%.0f msg/s), sent %llu, dropped for slow clients %llu\n",
                    static_cast<unsigned long long>(ss.published),
                    static_cast<double>(ss.published) * 1000.0 / static_cast<double>(ms),
                    static_cast<unsigned long long>(ss.sent), static_cast<unsigned long long>(ss.dropped));
    return 0;
}

int runLatency(const Options& o)
{
    QTemporaryDir dir;
    BenchAgent agent(o);
    if (!agent.started())
        return 1;
    const bool isChild = agent.isChild;
    const QUrl url = agent.url();
    const QString path = dir.filePath(QStringLiteral("latency.jsonl"));
    live::LiveSessionOptions lo = sessionOptions(url, o.publishMs);
    lo.recordingPath = path.toStdString();
    lo.recordingFormat = protocol::RecordingFormat::Jsonl; // read back line by line below
    live::LiveSession session(lo);
    // When each snapshot reached this (the UI) thread, and how many recorded
    // messages it covers: a message is visible to the UI from the first
    // snapshot whose recordedMessages counts it.
    std::vector<std::pair<std::int64_t, std::uint64_t>> deliveries;
    QObject::connect(&session, &live::LiveSession::snapshotReady, [&](const live::LiveSnapshot& snap) {
        deliveries.emplace_back(protocol::nowMs(), snap.stats.recordedMessages);
    });
    session.start();
    const std::int64_t measureFrom = protocol::nowMs() + o.warmup * 1000;

    QTimer::singleShot((o.seconds + o.warmup) * 1000, [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    printThreadCpu();
    const live::LiveSnapshot last = session.stop();
    agent.stop();

    std::ifstream in(path.toStdString());
    protocol::MessageDecoder decoder;
    std::vector<std::int64_t> lat, uiLat;
    std::string line;
    std::uint64_t number = 0, noTime = 0, recorded = 0;
    std::size_t delivery = 0;
    while (std::getline(in, line)) {
        auto m = decoder.decode(line, ++number);
        if (!m || !*m || std::holds_alternative<protocol::RecordingHeaderMsg>((*m)->payload))
            continue;
        ++recorded;
        while (delivery < deliveries.size() && deliveries[delivery].second < recorded)
            ++delivery;
        const auto t = protocol::messageTime(**m);
        if (!t || !(*m)->receivedAt) {
            ++noTime;
            continue;
        }
        if (*t < measureFrom)
            continue;
        lat.push_back(*(*m)->receivedAt - *t);
        if (delivery < deliveries.size())
            uiLat.push_back(deliveries[delivery].first - *t);
    }
    if (lat.empty()) {
        std::fprintf(stderr, "no timed message in %s\n", qPrintable(path));
        return 1;
    }
    std::sort(lat.begin(), lat.end());
    std::sort(uiLat.begin(), uiLat.end());
    const auto pctOf = [](const std::vector<std::int64_t>& v, double p) -> long long {
        if (v.empty())
            return -1;
        const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
        return v[std::min(i, v.size() - 1)];
    };
    const auto pct = [&](double p) { return pctOf(lat, p); };
    std::printf("latency: %s agent, demo at %.0f msg/s, %d s measured after %d s warm-up: %zu messages "
                "(%.0f msg/s applied; %llu lines without a time left out)\n",
                isChild ? "child" : "in-process", o.rate, o.seconds, o.warmup, lat.size(),
                static_cast<double>(lat.size()) / o.seconds, static_cast<unsigned long long>(noTime));
    std::printf("receivedAt - sent (ms): min %lld p50 %lld p90 %lld p99 %lld p99.9 %lld max %lld (target p99 <= 50)\n",
                static_cast<long long>(lat.front()), pct(50), pct(90), pct(99), pct(99.9),
                static_cast<long long>(lat.back()));
    std::printf("snapshot delivered to the UI thread - sent (ms), %zu messages, %zu snapshots "
                "(publishInterval %lld ms): p50 %lld p90 %lld p99 %lld max %lld\n",
                uiLat.size(), deliveries.size(), static_cast<long long>(lo.publishInterval.count()),
                pctOf(uiLat, 50), pctOf(uiLat, 90), pctOf(uiLat, 99), pctOf(uiLat, 100));
    std::printf("client: applied %llu, seq gaps %llu, recorded %llu\n",
                static_cast<unsigned long long>(last.stats.messagesApplied),
                static_cast<unsigned long long>(last.stats.seqGaps),
                static_cast<unsigned long long>(last.stats.recordedMessages));
    return 0;
}

int runClient(const Options& o)
{
    live::LiveSession session(sessionOptions(QUrl(o.url)));
    session.start();
    QTimer::singleShot(o.seconds * 1000, [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    const live::LiveSnapshot last = session.stop();
    std::printf("client: applied %llu\n", static_cast<unsigned long long>(last.stats.messagesApplied));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    Options o;
    o.mode = args.value(1);
    if (o.mode == QLatin1String("throughput")) {
        o.seconds = 30;
        o.rate = 250'000;
    } else if (o.mode == QLatin1String("latency")) {
        o.seconds = 10;
        o.rate = 10'000;
    } else if (o.mode == QLatin1String("client")) {
        o.seconds = 60;
    } else {
        std::fprintf(stderr, "usage: live_throughput_benchmark throughput|latency|client [options] (see the source)\n");
        return 2;
    }
    for (qsizetype i = 2; i + 1 < args.size(); i += 2) {
        const QString& a = args[i];
        const QString& v = args[i + 1];
        if (a == QLatin1String("--seconds"))
            o.seconds = v.toInt();
        else if (a == QLatin1String("--rate"))
            o.rate = v.toDouble();
        else if (a == QLatin1String("--sources"))
            o.sources = v.toInt();
        else if (a == QLatin1String("--events-per-run"))
            o.eventsPerRun = v.toULongLong();
        else if (a == QLatin1String("--buffer"))
            o.buffer = v.toULongLong();
        else if (a == QLatin1String("--warmup"))
            o.warmup = v.toInt();
        else if (a == QLatin1String("--publish-ms"))
            o.publishMs = v.toInt();
        else if (a == QLatin1String("--agent"))
            o.agent = v;
        else if (a == QLatin1String("--url"))
            o.url = v;
        else if (a == QLatin1String("--full-detail-s"))
            o.fullDetailS = v.toInt();
        else if (a == QLatin1String("--warmup-rss-s"))
            o.warmupRssS = v.toInt();
        else if (a == QLatin1String("--max-ended-sessions"))
            o.maxEndedSessions = v.toULongLong();
        else {
            std::fprintf(stderr, "unknown option %s\n", qPrintable(a));
            return 2;
        }
    }
    if (o.mode == QLatin1String("throughput"))
        return runThroughput(o);
    if (o.mode == QLatin1String("latency"))
        return runLatency(o);
    return runClient(o);
}
