// SPDX-License-Identifier: MIT
#pragma once
// One real Prometheus scraping four real agents every second, shared by the
// fleet tests of one executable (started once: Prometheus takes seconds):
// demo:psp and demo:v6r-small (a run ends after 6 s, the next begins), a
// looped replay of go-snake.jsonl (known figures), and demo:vita capped at one
// exported session (its ended runs disappear). Stopped at the end of the run.

#include "prometheus_runner.h"

#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <memory>

namespace flight::ui {
class FleetPage;
}

namespace flight::fleettest {

struct FleetEnvironment {
    QTemporaryDir dir;
    std::unique_ptr<promtest::MetricsAgent> psp, v6r, replay, capped;
    std::unique_ptr<promtest::PrometheusServer> prometheus;
    QString error; // why it could not start; empty when it did

    QString targetOf(const promtest::MetricsAgent& a) const { return QStringLiteral("127.0.0.1:%1").arg(a.port()); }
};

// Started on first use; null never (error says what failed).
FleetEnvironment& fleetEnvironment();
// Stops everything (called by the test main's environment tear-down).
void stopFleetEnvironment();

// Waits until Prometheus holds the replay's figures and the first demo runs
// ended (their figures are stable): false after a timeout.
bool waitForSettledFleet(FleetEnvironment& env);

// The folder every QSettings of this test process writes to (set by the
// test main: the window's settings never touch the user's), removed at exit.
QString settingsFolder();

// The environment, started and settled; a test failure (not a crash) when it
// could not start or settle.
FleetEnvironment& settled();

// Points `page` at the environment's Prometheus and waits (15 s at most) for
// the first table it shows; a failure says the page's error text.
::testing::AssertionResult showFleet(ui::FleetPage& page, const FleetEnvironment& env);

} // namespace flight::fleettest
