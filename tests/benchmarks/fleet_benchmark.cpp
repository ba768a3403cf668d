// SPDX-License-Identifier: MIT
// The Fleet view of 1,000 VMs (issue #20: opens within 1 s; docs/performance.md
// "The Fleet view"). A real Prometheus scrapes 10 real agents exporting 100
// sessions each (go-snake.jsonl replayed at 20x, looped: a new session each
// pass, --metrics-max-sessions 100). Measured, 5 times each: the baseline, one instant query of `up` (a
// round trip to this Prometheus); queryFleet (every query and its parsing, on
// this thread as the view's worker does it); and the view opening: from
// FleetPage::setPrometheus to the rows shown and the page painted once.
//
//   cmake --build --preset release --target fleet_benchmark
//   nice build/release/bin/fleet_benchmark

#include "live_test_support.h"
#include "prometheus_runner.h"

#include "fleet/fleet_query.h"
#include "fleet/prometheus_client.h"
#include "models/fleet_table_model.h"
#include "views/fleet_page.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace flight;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QString exe = promtest::prometheusExecutable();
    if (exe.isEmpty()) {
        std::fprintf(stderr, "prometheus not found (Debian's prometheus package)\n");
        return 2;
    }
    constexpr int kAgents = 10;
    constexpr int kSessionsEach = 100;
    std::vector<std::unique_ptr<promtest::MetricsAgent>> agents;
    QList<quint16> ports;
    for (int i = 0; i < kAgents; ++i) {
        agents.push_back(std::make_unique<promtest::MetricsAgent>(
            QStringLiteral(FLIGHT_AGENT_SERVE_PATH),
            QStringList{QStringLiteral("--source"), QStringLiteral("replay:" FLIGHT_TEST_DATA "/conformance/go-snake.jsonl"),
                        QStringLiteral("--loop"), QStringLiteral("--speed"), QStringLiteral("20"),
                        QStringLiteral("--metrics-max-sessions"), QString::number(kSessionsEach)}));
        ports << agents.back()->port();
    }
    QTemporaryDir dir;
    promtest::PrometheusServer prom(exe, dir.path(), ports);
    if (!prom.waitForTargetsUp(kAgents, 60'000)) {
        std::fprintf(stderr, "targets not up: %s\n", prom.log().constData());
        return 2;
    }
    const fleet::PrometheusClient client(QUrl(prom.url()));
    std::size_t held = 0;
    livetest::waitUntil([&] {
        const auto r = client.query(QStringLiteral("count(flight_memory_used_bytes)"));
        held = r && !r->empty() ? static_cast<std::size_t>(r->front().samples.back().value) : 0;
        return held == kAgents * kSessionsEach;
    }, 120'000);
    // The agents keep replaying (a pass every ~0.15 s, light work; their new sessions are not
    // exported) and stay up: a target that stops has its series marked stale at once.
    std::printf("sessions in Prometheus: %zu\n", held);

    std::vector<double> baseline, query, open;
    std::size_t rows = 0;
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer t;
        t.start();
        (void)client.query(QStringLiteral("up"));
        baseline.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        t.restart();
        const auto snap = fleet::queryFleet(client);
        query.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        if (!snap) {
            std::fprintf(stderr, "%s\n", snap.error().message.c_str());
            return 2;
        }
        rows = snap->vms.size();
        ui::FleetPage page;
        page.resize(1280, 800);
        page.show();
        QSignalSpy shown(&page, &ui::FleetPage::fleetShown);
        t.restart();
        page.setPrometheus(QUrl(prom.url()));
        livetest::waitUntil([&] { return shown.count() > 0; }, 30'000);
        (void)page.grab(); // one painted frame of the table
        open.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        if (page.model()->rowCount() != static_cast<int>(rows))
            std::fprintf(stderr, "the view shows %d rows, the query %zu\n", page.model()->rowCount(), rows);
    }
    std::printf("rows: %zu\n", rows);
    std::printf("baseline, instant query of up: median %.1f ms\n", median(baseline));
    std::printf("queryFleet (worker's share):    median %.1f ms (%.1fx the baseline)\n", median(query),
                median(query) / median(baseline));
    std::printf("Fleet view opens (to painted):  median %.1f ms (%.1fx the baseline), target <= 1000 ms: %s\n",
                median(open), median(open) / median(baseline), median(open) <= 1000 ? "met" : "NOT met");
    return 0;
}
