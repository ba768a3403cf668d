// SPDX-License-Identifier: MIT
// A real flight-agent killed (SIGKILL) and started again on the same port while
// the window follows it: the old session is shown as disconnected (since when)
// and stays so, the gauge says so instead of "Pressure now", and the restarted
// producer's session is shown as its successor, "demo-psp-1 (2nd run)".
#include "agent_child.h"
#include "live_test_support.h"

#include "models/session_list_model.h"
#include "sessions/pressure_gauge.h"
#include "sessions/session_table.h"
#include "sessions/sessions_page.h"
#include "window/main_window.h"

#include <gtest/gtest.h>

#include <QAbstractProxyModel>
#include <QImage>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace flight;
using flight::livetest::AgentChild;
using flight::livetest::waitUntil;

namespace {

int rowOf(const ui::SessionListModel* model, const QString& sessionId)
{
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->row(r).sessionId == sessionId)
            return r;
    return -1;
}

// Clicks the model row's Session cell in the window's sessions table (through its sorting proxy).
void clickRow(ui::SessionsPage* page, int row)
{
    QTableView* view = page->sessionTable(); // docked by the window: not a child of the page
    ASSERT_NE(view, nullptr);
    QModelIndex index = page->model()->index(row, ui::SessionListModel::Session);
    if (auto* proxy = qobject_cast<QAbstractProxyModel*>(view->model()))
        index = proxy->mapFromSource(index);
    view->scrollTo(index);
    const QRect cell = view->visualRect(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
}

} // namespace

TEST(LiveRestart, AKilledAgentsSessionIsDisconnectedAndTheRestartedOneIsItsSecondRun)
{
    QStandardPaths::setTestModeEnabled(true);
    const QStringList serve = {QStringLiteral("--source"), QStringLiteral("demo:psp"), QStringLiteral("--rate"),
                               QStringLiteral("200")};
    AgentChild first;
    const QUrl url = first.start(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} + serve);
    ASSERT_TRUE(url.isValid()) << first.error().toStdString();

    ui::MainWindow window;
    window.resize(1280, 800);
    window.show();
    window.openConnection(url);
    ui::SessionsPage* page = window.sessionsPage();
    const ui::SessionListModel* model = page->model();
    const QString id = QStringLiteral("demo-psp-1");
    ASSERT_TRUE(waitUntil([&] {
        const int r = rowOf(model, id);
        return r >= 0 && model->row(r).state == QStringLiteral("live") && model->row(r).recording;
    }, 10000));
    clickRow(page, rowOf(model, id));
    ASSERT_EQ(page->table()->currentModelRow(), rowOf(model, id));
    ASSERT_TRUE(waitUntil([&] { return page->gauge()->caption() == QStringLiteral("Pressure now"); }, 5000))
        << page->gauge()->caption().toStdString();

    first.kill9();
    const QRegularExpression since(QStringLiteral("^disconnected since \\d\\d:\\d\\d:\\d\\d$"));
    ASSERT_TRUE(waitUntil([&] { return since.match(model->row(rowOf(model, id)).state).hasMatch(); }, 8000))
        << model->row(rowOf(model, id)).state.toStdString();
    const QString stateWhileDown = model->row(rowOf(model, id)).state;
    // The gauge no longer claims "now"; the reason and the retry are in the State tooltip, in seconds.
    EXPECT_EQ(page->gauge()->caption(), QStringLiteral("D") + stateWhileDown.mid(1));
    const QString tip = model->data(model->index(rowOf(model, id), ui::SessionListModel::State), Qt::ToolTipRole).toString();
    // Whole seconds from 1 s ("reconnecting in 2 s"), milliseconds only under a second.
    EXPECT_TRUE(QRegularExpression(QStringLiteral("reconnecting in (\\d{1,3} ms|[1-9]\\d* s)\\n")).match(tip).hasMatch())
        << tip.toStdString();

    AgentChild second; // the same port, a new producer instance: it starts demo-psp-1 again
    ASSERT_EQ(second.start(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(url.port())} + serve), url)
        << second.error().toStdString();
    const QString successor = id + QStringLiteral("~2");
    ASSERT_TRUE(waitUntil([&] {
        const int r = rowOf(model, successor);
        return r >= 0 && model->row(r).state == QStringLiteral("live");
    }, 15000));
    const int next = rowOf(model, successor);
    EXPECT_EQ(model->data(model->index(next, ui::SessionListModel::Session)).toString(), QStringLiteral("demo-psp-1 (2nd run)"));
    EXPECT_TRUE(model->data(model->index(next, ui::SessionListModel::Session), Qt::ToolTipRole)
                    .toString()
                    .startsWith(QStringLiteral("Continues demo-psp-1: its producer restarted")));
    // The connection is up again, and still the old session is not "live": nothing more comes for it.
    livetest::pump(500);
    const int old = rowOf(model, id);
    EXPECT_EQ(model->row(old).state, stateWhileDown);
    EXPECT_EQ(model->data(model->index(old, ui::SessionListModel::Session)).toString(), id);
    EXPECT_EQ(page->gauge()->caption(), QStringLiteral("D") + stateWhileDown.mid(1));
    // The tooltip has the state whole, then why.
    const QString oldTip = model->data(model->index(old, ui::SessionListModel::State), Qt::ToolTipRole).toString();
    EXPECT_TRUE(oldTip.startsWith(stateWhileDown + QLatin1Char('\n'))) << oldTip.toStdString();
    EXPECT_TRUE(oldTip.contains(QStringLiteral("\nIts producer restarted without ending it"))) << oldTip.toStdString();

    // The successor, selected once its data reached the views, is live.
    ASSERT_TRUE(waitUntil([&] { return model->row(rowOf(model, successor)).recording != nullptr; }, 8000));
    clickRow(page, rowOf(model, successor));
    ASSERT_EQ(page->table()->currentModelRow(), rowOf(model, successor));
    ASSERT_TRUE(waitUntil([&] { return page->gauge()->caption() == QStringLiteral("Pressure now"); }, 5000))
        << page->gauge()->caption().toStdString();
    if (const QByteArray dir = qgetenv("FLIGHT_SCREENSHOT_DIR"); !dir.isEmpty()) { // docs/screenshots, by hand
        clickRow(page, old);
        livetest::pump(300);
        window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/live-restarted.png"));
    }
    window.closeAll();
    QStandardPaths::setTestModeEnabled(false);
}
