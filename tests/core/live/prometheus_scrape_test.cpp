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
#include "prometheus_runner.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace flight;
using promtest::parseExposition;
using promtest::Series;

namespace {

class Agent : public promtest::MetricsAgent {
public:
    explicit Agent(const QStringList& sourceArgs) : MetricsAgent(QStringLiteral(FLIGHT_AGENT_SERVE_PATH), sourceArgs) {}
};

} // namespace

TEST(PrometheusScrape, ARealPrometheusHoldsWhatThreeAgentsReport)
{
    livetest::ensureCoreApp();
    const QString exe = promtest::prometheusExecutable();
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

    promtest::PrometheusServer prom(exe, dir.path(), {psp.port(), v6r.port(), replay.port(), capped.port()},
                    QStringLiteral(FLIGHT_SOURCE_DIR "/packaging/prometheus/flight-memory.rules.yml"));
    const bool allUp = prom.waitForTargetsUp(4);
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
