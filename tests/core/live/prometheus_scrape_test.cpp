// SPDX-License-Identifier: MIT
// A real Prometheus (Debian's prometheus package, no mocks) scraping three
// real agents every second (docs/fleet.md): demo:psp, demo:v6r-small and a
// looped replay of tests/data/conformance/go-snake.jsonl. PromQL results are
// asserted against what the agents say on their own /metrics (every series of
// a session that ended, so stable), against the recording's known figures
// (the replay), and, for live counters, between two reads of the agent taken
// before and after the scrape Prometheus answers with. The shipped alert rules
// are loaded too: the replay is above its soft limit, so its alert is active.
// A fourth agent capped at one session shows a series that disappears: its
// ended run makes room for the next, and Prometheus marks the old one stale.
#include "live_test_support.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrlQuery>

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <memory>
#include <string>

using namespace flight;

namespace {

struct HttpAnswer {
    int status = 0;
    QByteArray body;
};

// GET over HTTP/1.0 (the server closes after the body: no chunking to undo).
HttpAnswer httpGet(quint16 port, const QByteArray& target, const QByteArray& headers = {})
{
    QTcpSocket sock;
    sock.connectToHost(QHostAddress::LocalHost, port);
    if (!livetest::waitUntil([&] { return sock.state() == QAbstractSocket::ConnectedState
                                          || sock.state() == QAbstractSocket::UnconnectedState; }, 4000)
        || sock.state() != QAbstractSocket::ConnectedState)
        return {};
    sock.write("GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n" + headers
               + "\r\n");
    QByteArray all;
    livetest::waitUntil([&] {
        all += sock.readAll();
        return sock.state() == QAbstractSocket::UnconnectedState;
    }, 8000);
    all += sock.readAll();
    const qsizetype end = all.indexOf("\r\n\r\n");
    if (end < 0)
        return {};
    const QList<QByteArray> statusLine = all.left(all.indexOf("\r\n")).split(' ');
    return {statusLine.size() > 1 ? statusLine[1].toInt() : 0, all.mid(end + 4)};
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// A series as a comparable key: name{label="value",...} with labels sorted,
// leaving out those Prometheus adds or renames (job, instance, exported_instance).
using Series = std::map<std::string, double>;

std::string keyOf(const std::string& name, std::map<std::string, std::string> labels)
{
    labels.erase("job");
    labels.erase("instance");
    labels.erase("exported_instance");
    labels.erase("__name__");
    std::string k = name + '{';
    for (const auto& [n, v] : labels)
        k += n + "=\"" + v + "\",";
    return k + '}';
}

// The sample lines of an exposition text naming `session` (all when empty).
Series parseExposition(const QByteArray& text, const std::string& session)
{
    Series out;
    for (const QByteArray& raw : text.split('\n')) {
        if (raw.isEmpty() || raw.startsWith('#'))
            continue;
        const std::string line = raw.toStdString();
        const std::size_t brace = line.find('{');
        const std::size_t space = line.rfind(' ');
        std::map<std::string, std::string> labels;
        std::size_t i = brace + 1;
        while (brace != std::string::npos && i < line.size() && line[i] != '}') {
            const std::size_t eq = line.find('=', i);
            std::string name = line.substr(i, eq - i);
            std::string value;
            for (i = eq + 2; line[i] != '"'; ++i) {
                if (line[i] == '\\') {
                    ++i;
                    value += line[i] == 'n' ? '\n' : line[i];
                } else {
                    value += line[i];
                }
            }
            labels[name] = value;
            ++i;
            if (line[i] == ',')
                ++i;
        }
        if (!session.empty() && labels["session"] != session)
            continue;
        out[keyOf(line.substr(0, std::min(brace, space)), labels)] = std::stod(line.substr(space + 1));
    }
    return out;
}

class Agent {
public:
    explicit Agent(const QStringList& sourceArgs)
    {
        m_process.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH),
                        QStringList{QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                    QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:0")}
                            + sourceArgs);
        livetest::waitUntil([&] { return m_process.bytesAvailable() > 0 && m_process.peek(4096).count('\n') >= 2; },
                            8000);
        m_process.readLine(); // listening on ws://...
        const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
        static const QRegularExpression metricsLine(QStringLiteral("^metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics$"));
        const auto m = metricsLine.match(line);
        if (m.hasMatch())
            m_port = static_cast<quint16>(m.captured(1).toUInt());
    }
    ~Agent()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }
    quint16 port() const { return m_port; }
    QByteArray metrics() const
    {
        return httpGet(m_port, "/metrics", "Accept: application/openmetrics-text; version=1.0.0\r\n").body;
    }
    std::string instance() const
    {
        const auto m = QRegularExpression(QStringLiteral("flight_agent_info\\{instance=\"([0-9a-f]+)\""))
                           .match(QString::fromUtf8(metrics()));
        return m.captured(1).toStdString();
    }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

class Prometheus {
public:
    Prometheus(const QString& exe, const QString& dir, const QList<quint16>& targets, const QString& rules)
        : m_port(freePort())
    {
        // The scrape config of docs/fleet.md, with these agents' ports.
        QByteArray targetList;
        for (const quint16 p : targets)
            targetList += (targetList.isEmpty() ? "" : ", ") + QByteArray("'127.0.0.1:") + QByteArray::number(p) + "'";
        const QByteArray config = "global:\n"
                                  "  scrape_interval: 1s\n"
                                  "  scrape_timeout: 1s\n"
                                  "  evaluation_interval: 1s\n"
                                  "rule_files:\n"
                                  "  - '" + rules.toUtf8() + "'\n"
                                  "scrape_configs:\n"
                                  "  - job_name: flight-agent\n"
                                  "    static_configs:\n"
                                  "      - targets: [" + targetList + "]\n";
        QFile f(dir + QStringLiteral("/prometheus.yml"));
        if (f.open(QIODevice::WriteOnly))
            f.write(config);
        f.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(exe, {QStringLiteral("--config.file=") + dir + QStringLiteral("/prometheus.yml"),
                              QStringLiteral("--storage.tsdb.path=") + dir + QStringLiteral("/data"),
                              QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                              QStringLiteral("--log.level=warn")});
    }
    ~Prometheus()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }
    bool running() const { return m_process.state() == QProcess::Running; }
    QByteArray log() { return m_process.readAll(); }
    QJsonObject api(const QByteArray& path) const
    {
        const HttpAnswer a = httpGet(m_port, path);
        return a.status == 200 ? QJsonDocument::fromJson(a.body).object() : QJsonObject();
    }
    // Instant query: every result series as key -> (value, evaluation time in ms).
    std::map<std::string, std::pair<double, qint64>> query(const QString& promql) const
    {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("query"), promql);
        const QJsonObject r = api("/api/v1/query?" + q.query(QUrl::FullyEncoded).toUtf8());
        std::map<std::string, std::pair<double, qint64>> out;
        for (const QJsonValue& v : r[QStringLiteral("data")].toObject()[QStringLiteral("result")].toArray()) {
            const QJsonObject metric = v.toObject()[QStringLiteral("metric")].toObject();
            std::map<std::string, std::string> labels;
            for (auto it = metric.begin(); it != metric.end(); ++it)
                labels[it.key().toStdString()] = it.value().toString().toStdString();
            const QJsonArray value = v.toObject()[QStringLiteral("value")].toArray();
            out[keyOf(labels["__name__"], labels)] = {value[1].toString().toDouble(),
                                                      static_cast<qint64>(value[0].toDouble() * 1000)};
        }
        return out;
    }
    // The raw samples of the one series `selector` names over the last `seconds`: (time in ms, value).
    std::vector<std::pair<qint64, double>> samples(const QString& selector, int seconds) const
    {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("query"), selector + QStringLiteral("[%1s]").arg(seconds));
        const QJsonArray result =
            api("/api/v1/query?" + q.query(QUrl::FullyEncoded).toUtf8())[QStringLiteral("data")].toObject()
                [QStringLiteral("result")].toArray();
        std::vector<std::pair<qint64, double>> out;
        if (result.size() == 1)
            for (const QJsonValue& v : result[0].toObject()[QStringLiteral("values")].toArray())
                out.emplace_back(static_cast<qint64>(v.toArray()[0].toDouble() * 1000 + 0.5),
                                 v.toArray()[1].toString().toDouble());
        return out;
    }
    Series values(const QString& promql) const
    {
        Series s;
        for (const auto& [k, v] : query(promql))
            s[k] = v.first;
        return s;
    }

private:
    QProcess m_process;
    quint16 m_port;
};

} // namespace

TEST(PrometheusScrape, ARealPrometheusHoldsWhatThreeAgentsReport)
{
    livetest::ensureCoreApp();
    const QString exe = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    ASSERT_FALSE(exe.isEmpty()) << "prometheus not found: install Debian's prometheus package "
                                   "(packaging/debian-build-deps.txt)";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());

    // 2,000 messages a second: a demo run (12,000 messages) ends after 6 s and the next begins.
    Agent psp({QStringLiteral("--source"), QStringLiteral("demo:psp"), QStringLiteral("--rate"),
               QStringLiteral("2000")});
    Agent v6r({QStringLiteral("--source"), QStringLiteral("demo:v6r-small"), QStringLiteral("--rate"),
               QStringLiteral("2000")});
    Agent replay({QStringLiteral("--source"),
                  QStringLiteral("replay:" FLIGHT_TEST_DATA "/conformance/go-snake.jsonl"), QStringLiteral("--loop")});
    // A fourth agent holds one session at most: when its first run ends and the next begins, the
    // ended one makes room at once, so its series disappear from /metrics and go stale in Prometheus.
    Agent capped({QStringLiteral("--source"), QStringLiteral("demo:vita"), QStringLiteral("--rate"),
                  QStringLiteral("2000"), QStringLiteral("--metrics-max-sessions"), QStringLiteral("1")});
    ASSERT_NE(psp.port(), 0);
    ASSERT_NE(capped.port(), 0);
    ASSERT_NE(v6r.port(), 0);
    ASSERT_NE(replay.port(), 0);

    Prometheus prom(exe, dir.path(), {psp.port(), v6r.port(), replay.port(), capped.port()},
                    QStringLiteral(FLIGHT_SOURCE_DIR "/packaging/prometheus/flight-memory.rules.yml"));
    const bool allUp = livetest::waitUntil([&] {
        const QJsonArray targets =
            prom.api("/api/v1/targets")[QStringLiteral("data")].toObject()[QStringLiteral("activeTargets")].toArray();
        int up = 0;
        for (const QJsonValue& t : targets)
            up += t.toObject()[QStringLiteral("health")].toString() == QStringLiteral("up") ? 1 : 0;
        return up == 4;
    }, 30'000);
    ASSERT_TRUE(allUp) << prom.log().toStdString();

    // Prometheus keeps the agent's instance id as exported_instance, next to its own instance label.
    const std::string pspInstance = psp.instance();
    ASSERT_FALSE(pspInstance.empty());
    // Waited for: a scrape that timed out on a loaded machine leaves the series stale for a moment.
    std::size_t info = 0, renamed = 0;
    livetest::waitUntil([&] {
        info = prom.query(QStringLiteral("flight_agent_info{instance=\"127.0.0.1:%1\"}").arg(psp.port())).size();
        renamed = prom.query(QStringLiteral("flight_agent_info{exported_instance=\"%1\",instance=\"127.0.0.1:%2\"}")
                                 .arg(QString::fromStdString(pspInstance))
                                 .arg(psp.port()))
                      .size();
        return info == 1 && renamed == 1;
    }, 15'000);
    ASSERT_EQ(info, 1u);
    EXPECT_EQ(renamed, 1u);

    // 1. Sessions that ended: Prometheus holds every series the agent shows, value for value.
    struct Ended {
        Agent* agent;
        std::string platform;
    };
    for (const auto& [agent, platform] : {Ended{&psp, "psp"}, Ended{&v6r, "v6r-small"}}) {
        const std::string session = "demo-" + platform + "-1";
        const std::string labels = "{platform=\"" + platform + "\",session=\"" + session + "\",}";
        const QString selector = QStringLiteral("{__name__=~\"flight_.*\",session=\"%1\",exported_instance=\"%2\"}")
                                     .arg(QString::fromStdString(session), QString::fromStdString(agent->instance()));
        ASSERT_TRUE(livetest::waitUntil([&] {
            return parseExposition(agent->metrics(), session)["flight_memory_session_ended" + labels] == 1;
        }, 30'000)) << session << " did not end";
        const Series own = parseExposition(agent->metrics(), session);
        Series held;
        ASSERT_TRUE(livetest::waitUntil([&] {
            held = prom.values(selector);
            return held == own;
        }, 15'000));
        EXPECT_EQ(held, own);
        // used, total, peak, 8 purposes twice, pressure level and states, critical edge, allocations, frees, ended
        EXPECT_GE(own.size(), 28u);
        EXPECT_GT(own.at("flight_memory_allocations_total" + labels), 1000);
    }

    // 2. The replay, against the recording's own figures (tests/data/conformance/expected.json).
    const std::string go = "{platform=\"v6r-medium\",session=\"vm-go\",}";
    const Series expected = {
        {"flight_memory_used_bytes" + go, 910163968},
        {"flight_memory_total_bytes" + go, 1073741824},
        {"flight_memory_peak_bytes" + go, 910163968},
        {"flight_memory_soft_limit_bytes" + go, 858993459},
        {"flight_memory_hard_limit_bytes" + go, 966367641},
        {"flight_memory_pressure_level" + go, 1},
        {"flight_memory_allocations_total" + go, 2},
        {"flight_memory_frees_total" + go, 0},
        {"flight_memory_errors_total{code=\"limit-exceeded\",platform=\"v6r-medium\",session=\"vm-go\",}", 1},
        {"flight_memory_purpose_bytes{platform=\"v6r-medium\",purpose=\"vm-heap\",session=\"vm-go\",}", 805306368},
        {"flight_memory_purpose_bytes{platform=\"v6r-medium\",purpose=\"network-buffers\",session=\"vm-go\",}",
         104857600},
        {"flight_memory_active_allocations{platform=\"v6r-medium\",purpose=\"vm-heap\",session=\"vm-go\",}", 1},
    };
    Series replayHeld;
    const bool replayDone = livetest::waitUntil([&] {
        replayHeld = prom.values(QStringLiteral("{__name__=~\"flight_.*\",session=\"vm-go\"}"));
        for (const auto& [k, v] : expected)
            if (!replayHeld.contains(k) || replayHeld[k] != v)
                return false;
        return true;
    }, 20'000);
    for (const auto& [k, v] : expected) {
        ASSERT_TRUE(replayHeld.contains(k)) << k;
        EXPECT_EQ(replayHeld[k], v) << k;
    }
    EXPECT_TRUE(replayDone);
    EXPECT_EQ(replayHeld, parseExposition(replay.metrics(), "vm-go"));

    // 3. Live counters: the value Prometheus scraped lies between two reads of the agent taken around it.
    for (Agent* agent : {&psp, &v6r, &replay}) {
        const QString published = QStringLiteral("flight_agent_messages_published_total{instance=\"127.0.0.1:%1\"}")
                                      .arg(agent->port());
        // A scrape that began after the first read renders after it; one Prometheus already answers
        // with was rendered before the second read.
        const double first = parseExposition(agent->metrics(), "").at("flight_agent_messages_published_total{}");
        const qint64 afterFirst = QDateTime::currentMSecsSinceEpoch();
        std::pair<qint64, double> scraped{0, 0};
        ASSERT_TRUE(livetest::waitUntil([&] {
            for (const auto& sample : prom.samples(published, 10))
                if (sample.first > afterFirst) {
                    scraped = sample;
                    return true;
                }
            return false;
        }, 10'000));
        const double second = parseExposition(agent->metrics(), "").at("flight_agent_messages_published_total{}");
        EXPECT_LE(first, scraped.second);
        EXPECT_LE(scraped.second, second);
        EXPECT_GT(scraped.second, 0);
    }

    // 4. The shipped rules are loaded and healthy; the replay, above its soft limit, has its alert active.
    const QJsonArray groups =
        prom.api("/api/v1/rules")[QStringLiteral("data")].toObject()[QStringLiteral("groups")].toArray();
    ASSERT_EQ(groups.size(), 1);
    const QJsonArray rules = groups[0].toObject()[QStringLiteral("rules")].toArray();
    EXPECT_EQ(rules.size(), 4);
    for (const QJsonValue& r : rules)
        EXPECT_EQ(r.toObject()[QStringLiteral("health")].toString(), QStringLiteral("ok"))
            << r.toObject()[QStringLiteral("name")].toString().toStdString();
    EXPECT_TRUE(livetest::waitUntil([&] {
        for (const QJsonValue& a :
             prom.api("/api/v1/alerts")[QStringLiteral("data")].toObject()[QStringLiteral("alerts")].toArray()) {
            const QJsonObject labels = a.toObject()[QStringLiteral("labels")].toObject();
            if (labels[QStringLiteral("alertname")].toString() == QStringLiteral("FlightMemorySoftLimitExceeded")
                && labels[QStringLiteral("session")].toString().startsWith(QStringLiteral("vm-go")))
                return true;
        }
        return false;
    }, 10'000));

    // 5. A series that disappears: Prometheus saw a session of the capped agent that is gone now.
    const QString vita = QStringLiteral("instance=\"127.0.0.1:%1\"").arg(capped.port());
    const auto sessionsOf = [&](const QString& promql) {
        std::set<std::string> names; // keys read {session="demo-vita-1",}
        for (const auto& [k, v] : prom.query(promql))
            names.insert(k.substr(10, k.size() - 13));
        return names;
    };
    std::set<std::string> seen;
    std::set<std::string> now;
    const bool disappeared = livetest::waitUntil([&] {
        seen = sessionsOf(
            QStringLiteral("count by (session) (count_over_time(flight_memory_used_bytes{%1}[5m]))").arg(vita));
        now = sessionsOf(QStringLiteral("count by (session) (flight_memory_used_bytes{%1})").arg(vita));
        const Series evicted = prom.values(QStringLiteral("flight_agent_metrics_sessions_evicted_total{%1}").arg(vita));
        return now.size() == 1 && seen.size() > now.size() && !evicted.empty() && evicted.begin()->second >= 1;
    }, 20'000);
    EXPECT_TRUE(disappeared) << seen.size() << " sessions seen, " << now.size() << " now";
    // Whichever runs Prometheus saw (the first, unless it started late) and are gone are gone from the agent too.
    for (const std::string& gone : seen) {
        if (!now.contains(gone)) {
            EXPECT_TRUE(parseExposition(capped.metrics(), gone).empty()) << gone;
        }
    }
    EXPECT_TRUE(prom.running());
}
