// SPDX-License-Identifier: MIT
// The Fleet model and view against the real Prometheus of fleet_environment.h:
// the rows (under QAbstractItemModelTester), sorting and filtering, a refresh
// that stays off the UI thread, opening a row as a session, Go Live's address,
// and Prometheus down (the error in the view, the UI thread free meanwhile).
#include "fleet_environment.h"
#include "live_test_support.h"

#include "loading/fleet_loader.h"
#include "models/fleet_table_model.h"
#include "models/allocation_table_model.h"
#include "views/allocations_page.h"
#include "views/fleet_page.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTcpServer>
#include <QTimer>

#include <gtest/gtest.h>

#include <cmath>

using namespace flight;
using fleettest::FleetEnvironment;
using fleettest::settled;
using fleettest::showFleet;

namespace {

int rowOf(const QAbstractItemModel& m, const QString& instance, const QString& session)
{
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.index(r, ui::FleetTableModel::Instance).data().toString() == instance
            && m.index(r, ui::FleetTableModel::Session).data().toString().startsWith(session))
            return r;
    return -1;
}

// The settled fleet shown on `page`, then vm-go's row opened: its history as a
// recording (null, with the failures reported, when a step failed).
ui::LoadedRecordingPtr openGoHistory(ui::FleetPage& page)
{
    const FleetEnvironment& env = settled();
    if (!env.error.isEmpty())
        return nullptr;
    const ::testing::AssertionResult shown = showFleet(page, env);
    EXPECT_TRUE(shown);
    if (!shown)
        return nullptr;
    QSignalSpy loaded(page.loader(), &ui::FleetLoader::historyLoaded);
    const int row = rowOf(*page.table()->model(), env.targetOf(*env.replay), QStringLiteral("vm-go"));
    EXPECT_GE(row, 0);
    if (row < 0)
        return nullptr;
    page.openRow(row);
    EXPECT_TRUE(livetest::waitUntil([&] { return loaded.count() > 0; }, 20'000)) << page.errorText().toStdString();
    return loaded.isEmpty() ? nullptr : loaded.front().front().value<ui::LoadedRecordingPtr>();
}

} // namespace

TEST(FleetView, ModelRowsAreThePrometheusFleetUnderTheModelTester)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    ui::FleetPage page;
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester proxyTester(page.table()->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    ASSERT_TRUE(showFleet(page, env));
    const ui::FleetTableModel& m = *page.model();
    const int go = rowOf(m, env.targetOf(*env.replay), QStringLiteral("vm-go"));
    ASSERT_GE(go, 0);
    EXPECT_EQ(m.index(go, ui::FleetTableModel::Platform).data().toString(), QStringLiteral("v6r-medium"));
    EXPECT_EQ(m.index(go, ui::FleetTableModel::Used).data().toString(), QStringLiteral("868.0MB / 1.0GB"));
    EXPECT_EQ(m.index(go, ui::FleetTableModel::Pressure).data().toString(), QStringLiteral("medium"));
    EXPECT_EQ(m.index(go, ui::FleetTableModel::Critical).data().toString(), QStringLiteral("none"));
    EXPECT_EQ(m.index(go, ui::FleetTableModel::Budget).data().toString(), QStringLiteral("OVER"));
    EXPECT_EQ(m.index(go, 0).data(ui::FleetTableModel::WebSocketRole).toString(), env.replay->websocket());
    const QList<double> spark = m.index(go, ui::FleetTableModel::Trend).data(ui::FleetTableModel::SparklineRole).value<QList<double>>();
    ASSERT_EQ(spark.size(), 61);
    EXPECT_EQ(spark.back(), 910163968);
    const int psp = rowOf(m, env.targetOf(*env.psp), QStringLiteral("demo-psp-1"));
    ASSERT_GE(psp, 0);
    EXPECT_EQ(m.index(psp, ui::FleetTableModel::Session).data().toString(), QStringLiteral("demo-psp-1 (ended)"));
    EXPECT_EQ(m.index(psp, ui::FleetTableModel::Platform).data().toString(), QStringLiteral("psp"));

    // Filtering: the platform's rows only.
    QAbstractItemModel* view = page.table()->model();
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(view);
    ASSERT_NE(proxy, nullptr);
    proxy->setFilterFixedString(QStringLiteral("v6r-small"));
    ASSERT_GT(view->rowCount(), 0);
    for (int r = 0; r < view->rowCount(); ++r)
        EXPECT_EQ(view->index(r, ui::FleetTableModel::Platform).data().toString(), QStringLiteral("v6r-small"));
    proxy->setFilterFixedString({});
    // Sorting by used / total, largest share first.
    page.table()->sortByColumn(ui::FleetTableModel::Used, Qt::DescendingOrder);
    for (int r = 1; r < view->rowCount(); ++r)
        EXPECT_GE(view->index(r - 1, ui::FleetTableModel::Used).data(ui::FleetTableModel::SortRole).toDouble(),
                  view->index(r, ui::FleetTableModel::Used).data(ui::FleetTableModel::SortRole).toDouble());

    // A second refresh replaces the rows (the model tester checks the reset).
    QSignalSpy again(&page, &ui::FleetPage::fleetShown);
    page.loader()->refresh();
    EXPECT_TRUE(livetest::waitUntil([&] { return again.count() > 0; }, 15'000));
}

TEST(FleetView, OpeningARowGivesThatVmsHistoryAsASession)
{
    ui::FleetPage page;
    const ui::LoadedRecordingPtr recording = openGoHistory(page);
    ASSERT_TRUE(recording);
    const FleetEnvironment& env = fleettest::fleetEnvironment();
    ASSERT_EQ(recording->store->sessionCount(), 1u);
    const SessionModel& s = recording->store->session(0);
    EXPECT_EQ(s.info().platform, "v6r-medium");
    EXPECT_EQ(s.usedBytes(), 910163968u);
    EXPECT_EQ(recording->analytics.size(), 1u);
    EXPECT_EQ(recording->stage, ui::LoadStage::Complete);
    // Named after the agent and the Prometheus, without a '/' (the views show a path's file name).
    EXPECT_EQ(recording->path, QStringLiteral("%1 (Prometheus 127.0.0.1:%2)").arg(env.targetOf(*env.replay)).arg(env.prometheus->port()));
}

TEST(FleetView, PrometheusDownOrSilentShowsWhyAndTheUiThreadStaysFree)
{
    livetest::ensureCoreApp();
    const livetest::ClosedPort closed;
    ui::FleetPage page;
    QSignalSpy failed(&page, &ui::FleetPage::refreshFailed);
    page.setPrometheus(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closed.port())));
    ASSERT_TRUE(livetest::waitUntil([&] { return failed.count() > 0; }, 10'000));
    EXPECT_TRUE(page.errorText().startsWith(QStringLiteral("cannot reach Prometheus at http://127.0.0.1:%1").arg(closed.port())))
        << page.errorText().toStdString();
    EXPECT_EQ(page.model()->rowCount(), 0);

    // Accepts and never answers: while the worker waits, the UI thread's timers keep firing.
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    ui::FleetPage slow;
    slow.loader()->setTimeoutMs(1500);
    QSignalSpy slowFailed(&slow, &ui::FleetPage::refreshFailed);
    int ticks = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, [&] { ++ticks; });
    tick.start(50);
    QElapsedTimer clock;
    clock.start();
    slow.setPrometheus(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())));
    EXPECT_TRUE(slow.loader()->isRefreshing());
    ASSERT_TRUE(livetest::waitUntil([&] { return slowFailed.count() > 0; }, 10'000));
    EXPECT_GE(ticks, 10) << "the UI thread was blocked";
    EXPECT_TRUE(slow.errorText().contains(QStringLiteral("did not answer within 1.5 s"))) << slow.errorText().toStdString();
}

TEST(FleetView, AHistorysAllocationsViewSaysWhyItIsEmpty)
{
    ui::FleetPage fleetPage;
    const ui::LoadedRecordingPtr history = openGoHistory(fleetPage);
    ASSERT_TRUE(history);

    ui::SessionsPage sessions;
    sessions.resize(1000, 700);
    sessions.show();
    sessions.addRecording(history);
    sessions.selectSession(0);
    ASSERT_TRUE(sessions.showView(QStringLiteral("allocations")));
    ui::AllocationsPage* allocations = sessions.detail()->allocations();
    ASSERT_TRUE(livetest::waitUntil([&] { return allocations->emptyNote()->isVisibleTo(allocations); }, 10'000));
    EXPECT_TRUE(allocations->emptyNote()->text().contains(QStringLiteral("never individual allocations")));
    EXPECT_FALSE(allocations->modeBox()->isEnabled());
    EXPECT_EQ(allocations->model()->rowCount(), 0);
    if (const QString dir = qEnvironmentVariable("FLIGHT_SCREENSHOT_DIR"); !dir.isEmpty())
        sessions.grab().save(QDir(dir).filePath(QStringLiteral("history-allocations.png")));
}
