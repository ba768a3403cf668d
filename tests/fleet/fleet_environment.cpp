// SPDX-License-Identifier: MIT
#include "fleet_environment.h"

#include "live_test_support.h"

#include "views/fleet_page.h"

#include <QSettings>
#include <QSignalSpy>

#include <gtest/gtest.h>

namespace flight::fleettest {
namespace {

std::unique_ptr<FleetEnvironment>& holder()
{
    static std::unique_ptr<FleetEnvironment> env;
    return env;
}

} // namespace

FleetEnvironment& fleetEnvironment()
{
    auto& env = holder();
    if (env)
        return *env;
    livetest::ensureCoreApp();
    env = std::make_unique<FleetEnvironment>();
    const QString agent = QStringLiteral(FLIGHT_AGENT_SERVE_PATH);
    const QString rate = QStringLiteral("2000");
    env->psp = std::make_unique<promtest::MetricsAgent>(
        agent, QStringList{QStringLiteral("--source"), QStringLiteral("demo:psp"), QStringLiteral("--rate"), rate});
    env->v6r = std::make_unique<promtest::MetricsAgent>(
        agent, QStringList{QStringLiteral("--source"), QStringLiteral("demo:v6r-small"), QStringLiteral("--rate"), rate});
    env->replay = std::make_unique<promtest::MetricsAgent>(
        agent, QStringList{QStringLiteral("--source"), QStringLiteral("replay:" FLIGHT_TEST_DATA "/conformance/go-snake.jsonl"),
                           QStringLiteral("--loop")});
    env->capped = std::make_unique<promtest::MetricsAgent>(
        agent, QStringList{QStringLiteral("--source"), QStringLiteral("demo:vita"), QStringLiteral("--rate"), rate,
                           QStringLiteral("--metrics-max-sessions"), QStringLiteral("1")});
    for (const auto* a : {env->psp.get(), env->v6r.get(), env->replay.get(), env->capped.get()})
        if (a->port() == 0)
            env->error = QStringLiteral("an agent did not start");
    const QString exe = promtest::prometheusExecutable();
    if (exe.isEmpty()) {
        env->error = QStringLiteral("prometheus not found: install Debian's prometheus package "
                                    "(packaging/debian-build-deps.txt)");
        return *env;
    }
    env->prometheus = std::make_unique<promtest::PrometheusServer>(
        exe, env->dir.path(),
        QList<quint16>{env->psp->port(), env->v6r->port(), env->replay->port(), env->capped->port()});
    if (!env->prometheus->waitForTargetsUp(4))
        env->error = QStringLiteral("Prometheus' targets are not up: ") + QString::fromUtf8(env->prometheus->log());
    return *env;
}

void stopFleetEnvironment()
{
    holder().reset();
}

bool waitForSettledFleet(FleetEnvironment& env)
{
    // demo-psp-1 and demo-v6r-small-1 ended and Prometheus scraped them so; the replay's used is in.
    return livetest::waitUntil([&] {
        const auto ended = env.prometheus->values(
            QStringLiteral("flight_memory_session_ended{session=~\"demo-psp-1|demo-v6r-small-1\"} == 1"));
        const auto go = env.prometheus->values(QStringLiteral("flight_memory_used_bytes{session=\"vm-go\"} == 910163968"));
        return ended.size() == 2 && go.size() == 1;
    }, 40'000);
}

QString settingsFolder()
{
    static QTemporaryDir dir;
    static const bool set = [] {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
        return true;
    }();
    (void)set;
    return dir.path();
}

FleetEnvironment& settled()
{
    FleetEnvironment& env = fleetEnvironment();
    EXPECT_TRUE(env.error.isEmpty()) << env.error.toStdString();
    if (env.error.isEmpty()) {
        EXPECT_TRUE(waitForSettledFleet(env));
    }
    return env;
}

::testing::AssertionResult showFleet(ui::FleetPage& page, const FleetEnvironment& env)
{
    QSignalSpy shown(&page, &ui::FleetPage::fleetShown);
    page.setPrometheus(QUrl(env.prometheus->url()));
    if (livetest::waitUntil([&] { return shown.count() > 0; }, 15'000))
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "no fleet shown: " << page.errorText().toStdString();
}

} // namespace flight::fleettest
