// SPDX-License-Identifier: MIT
// "Go Live" only when the VM's agent answers: fleet::agentConnectUrl (an
// agent listening on 0.0.0.0 or :: is reached at its scrape target's host)
// and fleet::probeAgent against a real agent and a closed port; then the Fleet
// view's button, checked off the UI thread, against the real Prometheus'
// rows and against rows naming a real agent and a closed port; Go Live opens
// the Connect dialog on the agent's URL (a token can be given there).
#include "fleet_environment.h"
#include "live_test_support.h"

#include "connections/connect_dialog.h"
#include "fleet/agent_reachability.h"
#include "loading/fleet_loader.h"
#include "models/fleet_table_model.h"
#include "views/fleet_page.h"
#include "window/main_window.h"

#include "live/server/agent_server.h"

#include <QItemSelectionModel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTimer>

#include <gtest/gtest.h>

using namespace flight;
using fleettest::FleetEnvironment;
using fleettest::settled;
using fleettest::showFleet;

namespace {

// Selects the row of the view whose session is `session`; false when none.
bool selectSession(ui::FleetPage& page, const QString& session)
{
    QAbstractItemModel* view = page.table()->model();
    for (int r = 0; r < view->rowCount(); ++r)
        if (view->index(r, ui::FleetTableModel::Session).data().toString().startsWith(session)) {
            page.table()->selectionModel()->select(view->index(r, 0),
                                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            return true;
        }
    return false;
}

fleet::FleetVm vmAt(const QString& session, const QString& websocket, const QString& target)
{
    fleet::FleetVm vm;
    vm.instance = target.toStdString();
    vm.session = session.toStdString();
    vm.platform = "psp";
    vm.usedBytes = 1024;
    vm.websocket = websocket.toStdString();
    return vm;
}

} // namespace

TEST(FleetGoLive, TheAgentsAddressIsReachedAtItsScrapeTargetWhenItListensEverywhere)
{
    EXPECT_EQ(fleet::agentConnectUrl(QStringLiteral("ws://0.0.0.0:8765"), QStringLiteral("10.1.2.3:9464")),
              QUrl(QStringLiteral("ws://10.1.2.3:8765")));
    EXPECT_EQ(fleet::agentConnectUrl(QStringLiteral("ws://[::]:8765"), QStringLiteral("[fd00::7]:9464")),
              QUrl(QStringLiteral("ws://[fd00::7]:8765")));
    EXPECT_EQ(fleet::agentConnectUrl(QStringLiteral("wss://vm-7.example:8765"), QStringLiteral("10.1.2.3:9464")),
              QUrl(QStringLiteral("wss://vm-7.example:8765")))
        << "an agent that names its host is taken at its word";
    EXPECT_EQ(fleet::agentConnectUrl(QStringLiteral("ws://0.0.0.0:8765"), QString()), QUrl(QStringLiteral("ws://0.0.0.0:8765")));
    EXPECT_TRUE(fleet::agentConnectUrl(QStringLiteral("http://10.1.2.3:8765"), QString()).isEmpty());
    EXPECT_TRUE(fleet::agentConnectUrl(QStringLiteral("ws://10.1.2.3"), QString()).isEmpty()) << "no port";
    EXPECT_TRUE(fleet::agentConnectUrl(QString(), QStringLiteral("10.1.2.3:9464")).isEmpty());
}

TEST(FleetGoLive, AProbeTellsARealAgentFromAClosedPort)
{
    livetest::ensureCoreApp();
    const auto agent = livetest::startDemoAgent({"demo:psp"}, 50);
    ASSERT_TRUE(agent);
    EXPECT_TRUE(fleet::probeAgent(agent->url()).has_value());
    // Listening on every address says so; the scrape target's host reaches it.
    const QUrl everywhere(QStringLiteral("ws://0.0.0.0:%1").arg(agent->url().port()));
    const auto unreachable = fleet::probeAgent(everywhere);
    ASSERT_FALSE(unreachable);
    EXPECT_NE(unreachable.error().message.find("listens on every address"), std::string::npos) << unreachable.error().message;
    EXPECT_TRUE(fleet::probeAgent(fleet::agentConnectUrl(everywhere.toString(), QStringLiteral("127.0.0.1:9464"))).has_value());

    const livetest::ClosedPort closed;
    const auto refused = fleet::probeAgent(closed.wsUrl());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message,
              QStringLiteral("agent at ws://127.0.0.1:%1/live not reachable: connection refused").arg(closed.port()).toStdString());
    fleet::AgentProbeOptions cancelled;
    cancelled.cancelled = [] { return true; };
    const auto stopped = fleet::probeAgent(agent->url(), cancelled);
    ASSERT_FALSE(stopped);
    EXPECT_NE(stopped.error().message.find("cancelled"), std::string::npos) << stopped.error().message;
}

TEST(FleetGoLive, TheButtonIsOnOnlyForAnAgentThatAnswersAndSaysWhyNot)
{
    livetest::ensureCoreApp();
    const auto agent = livetest::startDemoAgent({"demo:psp"}, 50);
    ASSERT_TRUE(agent);
    const livetest::ClosedPort closed;
    const QString gone = QStringLiteral("ws://127.0.0.1:%1").arg(closed.port());
    ui::FleetPage page;
    fleet::FleetSnapshot snapshot;
    snapshot.vms = {vmAt(QStringLiteral("vm-everywhere"), QStringLiteral("ws://0.0.0.0:%1").arg(agent->url().port()),
                         QStringLiteral("127.0.0.1:9464")),
                    vmAt(QStringLiteral("vm-gone"), gone, QStringLiteral("127.0.0.1:9465")),
                    vmAt(QStringLiteral("vm-silent"), QString(), QStringLiteral("127.0.0.1:9466"))};
    page.model()->setSnapshot(snapshot);
    QPushButton* live = page.goLiveButton();
    QSignalSpy probed(page.loader(), &ui::FleetLoader::agentProbed);

    ASSERT_TRUE(selectSession(page, QStringLiteral("vm-gone")));
    EXPECT_FALSE(live->isEnabled()) << "off while the check runs";
    EXPECT_TRUE(live->toolTip().startsWith(QStringLiteral("Checking whether the agent at %1").arg(gone))) << live->toolTip().toStdString();
    ASSERT_TRUE(livetest::waitUntil([&] { return probed.count() > 0; }, 5000));
    EXPECT_FALSE(live->isEnabled());
    EXPECT_EQ(live->toolTip(), QStringLiteral("agent at %1 not reachable: connection refused").arg(gone));

    // The agent bound to 0.0.0.0 is reached at its scrape target's host, and Go Live connects there.
    probed.clear();
    ASSERT_TRUE(selectSession(page, QStringLiteral("vm-everywhere")));
    ASSERT_TRUE(livetest::waitUntil([&] { return probed.count() > 0; }, 5000));
    const QString reached = QStringLiteral("ws://127.0.0.1:%1").arg(agent->url().port());
    EXPECT_TRUE(live->isEnabled()) << live->toolTip().toStdString();
    EXPECT_EQ(live->toolTip(), QStringLiteral("Connect to %1").arg(reached));
    QSignalSpy goLive(&page, &ui::FleetPage::goLiveRequested);
    live->click();
    ASSERT_EQ(goLive.count(), 1);
    EXPECT_EQ(goLive.front().front().toUrl(), QUrl(reached));

    // No address in its metrics: off at once, saying so.
    ASSERT_TRUE(selectSession(page, QStringLiteral("vm-silent")));
    EXPECT_FALSE(live->isEnabled());
    EXPECT_TRUE(live->toolTip().contains(QStringLiteral("flight_agent_info")));

    // The address is the agent's label: nothing in it is shown as HTML.
    snapshot.vms.push_back(vmAt(QStringLiteral("vm-html"), gone + QStringLiteral("/<b>x</b>"), QStringLiteral("127.0.0.1:9467")));
    snapshot.vms.push_back(vmAt(QStringLiteral("vm-junk"), QStringLiteral("<img src=x>\x01"), QStringLiteral("127.0.0.1:9468")));
    page.model()->setSnapshot(snapshot);
    probed.clear();
    ASSERT_TRUE(selectSession(page, QStringLiteral("vm-html")));
    ASSERT_TRUE(livetest::waitUntil([&] { return probed.count() > 0; }, 5000));
    EXPECT_EQ(live->toolTip(), QStringLiteral("agent at %1/%3Cb%3Ex%3C/b%3E not reachable: connection refused").arg(gone));
    ASSERT_TRUE(selectSession(page, QStringLiteral("vm-junk")));
    EXPECT_FALSE(live->toolTip().contains(QLatin1Char('<'))) << live->toolTip().toStdString();

    // A probe replaced by another selection is dropped: the last row's answer wins.
    probed.clear();
    ASSERT_TRUE(selectSession(page, QStringLiteral("vm-everywhere")));
    ASSERT_TRUE(selectSession(page, QStringLiteral("vm-gone")));
    ASSERT_TRUE(livetest::waitUntil([&] { return probed.count() > 0; }, 5000));
    livetest::pump(200);
    EXPECT_EQ(probed.count(), 1) << "the first probe's answer was dropped";
    EXPECT_FALSE(live->isEnabled());
    EXPECT_TRUE(live->toolTip().contains(QStringLiteral("connection refused"))) << live->toolTip().toStdString();
}

TEST(FleetGoLive, AFleetRowOfARunningAgentOffersGoLive)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    ui::FleetPage page;
    ASSERT_TRUE(showFleet(page, env));
    QSignalSpy probed(page.loader(), &ui::FleetLoader::agentProbed);
    ASSERT_TRUE(selectSession(page, QStringLiteral("vm-go")));
    ASSERT_TRUE(livetest::waitUntil([&] { return probed.count() > 0; }, 5000));
    EXPECT_TRUE(page.goLiveButton()->isEnabled()) << page.goLiveButton()->toolTip().toStdString();
    EXPECT_EQ(page.goLiveButton()->toolTip(), QStringLiteral("Connect to %1").arg(env.replay->websocket()));

    // A refresh replaces the rows: the VM stays selected and Go Live stays on while it is checked again.
    QSignalSpy again(&page, &ui::FleetPage::fleetShown);
    probed.clear();
    page.loader()->refresh();
    ASSERT_TRUE(livetest::waitUntil([&] { return again.count() > 0; }, 15'000));
    const QModelIndexList selected = page.table()->selectionModel()->selectedRows();
    ASSERT_EQ(selected.size(), 1);
    EXPECT_EQ(selected.front().sibling(selected.front().row(), ui::FleetTableModel::Session).data().toString(),
              QStringLiteral("vm-go"));
    EXPECT_TRUE(page.goLiveButton()->isEnabled());
    ASSERT_TRUE(livetest::waitUntil([&] { return probed.count() > 0; }, 5000)) << "checked again";
    EXPECT_TRUE(page.goLiveButton()->isEnabled());
}

TEST(FleetGoLive, GoLiveOpensTheConnectDialogOnTheAgentsUrl)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    ui::MainWindow window;
    QSignalSpy shown(window.fleetPage(), &ui::FleetPage::fleetShown);
    window.openPrometheus(QUrl(env.prometheus->url()));
    ASSERT_TRUE(livetest::waitUntil([&] { return shown.count() > 0; }, 15'000));
    ASSERT_TRUE(selectSession(*window.fleetPage(), QStringLiteral("vm-go")));
    QPushButton* live = window.fleetPage()->goLiveButton();
    ASSERT_TRUE(livetest::waitUntil([&] { return live->isEnabled(); }, 5000)) << live->toolTip().toStdString();
    // The dialog is modal: looked at from its own event loop, then cancelled (nothing connects).
    QString seen;
    bool producer = false;
    QTimer::singleShot(0, &window, [&] {
        if (auto* dialog = window.findChild<ui::ConnectDialog*>()) {
            seen = dialog->url().toString();
            producer = dialog->kind() == ui::ConnectDialog::Kind::Producer;
            dialog->reject();
        }
    });
    live->click();
    EXPECT_TRUE(producer);
    EXPECT_EQ(seen, env.replay->websocket());
}
