// SPDX-License-Identifier: MIT
// File › Close Session (Ctrl+W, Delete on the table, its context menu): one
// session goes, the others stay and the views move to the one that takes its
// place. On a live connection carrying several sessions, closing one hides it
// and the connection goes on; closing its last one disconnects.
#include "models/budget_matrix_model.h"
#include "views/budgets_page.h"
#include "connections/live_connections.h"
#include "window/main_window.h"
#include "sessions/pressure_gauge.h"
#include "models/session_list_model.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "window/welcome_page.h"

#include "live_test_support.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace flight;
using namespace flight::ui;
using flight::livetest::waitUntil;

namespace {
QString sample(const char* name)
{
    return QStringLiteral(FLIGHT_SOURCE_DIR "/resources/recordings/%1.jsonl.zst").arg(QLatin1String(name));
}

QWidget* currentPage(MainWindow& w)
{
    return w.findChild<QStackedWidget*>()->currentWidget();
}

QAction* fileAction(MainWindow& w, const QString& text)
{
    for (QAction* menu : w.menuBar()->actions())
        for (QAction* a : menu->menu()->actions())
            if (a->text() == text)
                return a;
    return nullptr;
}
} // namespace

TEST(CloseSession, ClosingOneRecordingLeavesTheOtherAndTheViewsShowIt)
{
    MainWindow w;
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openRecordings({sample("dreamcast"), sample("psp")});
    ASSERT_TRUE(finished.wait(30000));
    SessionsPage* page = w.sessionsPage();
    ASSERT_EQ(page->sessionCount(), 2);
    ASSERT_TRUE(page->selectSession(0)); // sorted by source: dreamcast first
    w.setWindowTitle(QStringLiteral("dreamcast.jsonl.zst — Flight Memory Inspector")); // as if it loaded last
    const auto* table = page->sessionTable();
    ASSERT_EQ(table->currentIndex().siblingAtColumn(SessionListModel::Source).data().toString().toStdString(), "dreamcast.jsonl.zst");

    QAction* close = fileAction(w, QStringLiteral("&Close Session"));
    ASSERT_NE(close, nullptr);
    EXPECT_EQ(close->shortcut(), QKeySequence(QStringLiteral("Ctrl+W")));
    QSignalSpy closed(page, &SessionsPage::sessionClosed);
    close->trigger();

    ASSERT_EQ(closed.count(), 1);
    EXPECT_EQ(closed[0][0].toString(), QStringLiteral("dreamcast.jsonl.zst"));
    EXPECT_EQ(closed[0][2].toInt(), -1); // a recording, no live connection
    ASSERT_EQ(page->sessionCount(), 1);
    const SessionRow& psp = page->model()->row(0);
    EXPECT_EQ(psp.source, QStringLiteral("psp.jsonl.zst"));
    ASSERT_NE(psp.recording, nullptr);
    EXPECT_EQ(page->recordings().size(), 1u);
    // The views follow the session that is left: the gauge at its end, the budgets at its peak.
    const SessionModel& s = psp.recording->store->session(psp.sessionIndex);
    EXPECT_DOUBLE_EQ(page->gauge()->fraction(), static_cast<double>(s.usedBytes()) / static_cast<double>(s.info().totalBytes));
    ASSERT_FALSE(page->detail()->budgets()->model()->verdicts().empty());
    EXPECT_EQ(page->detail()->budgets()->model()->verdicts().front().usedBytes, s.peakBytes());
    EXPECT_EQ(currentPage(w), page);
    EXPECT_EQ(w.windowTitle(), QStringLiteral("psp.jsonl.zst — Flight Memory Inspector")); // not the closed file

    // The last one: back to the empty state.
    close->trigger();
    EXPECT_EQ(page->sessionCount(), 0);
    EXPECT_EQ(page->gauge()->fraction(), 0.0);
    EXPECT_TRUE(page->detail()->budgets()->model()->verdicts().empty());
    EXPECT_EQ(currentPage(w), w.findChild<WelcomePage*>());
}

TEST(CloseSession, DeleteOnTheTableClosesTheSelectedRowOnly)
{
    MainWindow w;
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openRecordings({sample("dreamcast"), sample("psp"), sample("vita")});
    ASSERT_TRUE(finished.wait(30000));
    SessionsPage* page = w.sessionsPage();
    ASSERT_EQ(page->sessionCount(), 3);
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    auto* table = page->sessionTable();
    ASSERT_NE(table, nullptr);
    ASSERT_TRUE(page->selectSession(1)); // psp, in the middle
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Delete);
    ASSERT_EQ(page->sessionCount(), 2);
    EXPECT_EQ(table->model()->index(0, SessionListModel::Source).data().toString(), QStringLiteral("dreamcast.jsonl.zst"));
    EXPECT_EQ(table->model()->index(1, SessionListModel::Source).data().toString(), QStringLiteral("vita.jsonl.zst"));
    // The next session took the closed one's place, and the views show it.
    EXPECT_EQ(table->currentIndex().row(), 1);
    const SessionRow* vitaRow = nullptr;
    for (int r = 0; r < page->model()->rowCount(); ++r)
        if (page->model()->row(r).source == QStringLiteral("vita.jsonl.zst"))
            vitaRow = &page->model()->row(r);
    ASSERT_NE(vitaRow, nullptr);
    const SessionRow& vita = *vitaRow;
    ASSERT_NE(vita.recording, nullptr);
    const SessionModel& s = vita.recording->store->session(vita.sessionIndex);
    EXPECT_EQ(page->detail()->budgets()->model()->verdicts().front().usedBytes, s.peakBytes());
}

TEST(CloseSession, OneSessionOfALiveConnectionIsHiddenTheConnectionGoesOnUntilItsLast)
{
    QStandardPaths::setTestModeEnabled(true);
    const auto server = livetest::startDemoAgent({"demo:dreamcast", "demo:psp"}, 1000.0);
    ASSERT_NE(server, nullptr);

    MainWindow w;
    auto* live = w.findChild<LiveConnections*>();
    ASSERT_NE(live, nullptr);
    w.openConnection(server->url());
    SessionsPage* page = w.sessionsPage();
    SessionListModel* model = page->model();
    ASSERT_TRUE(waitUntil([&] { return model->rowCount() == 2 && model->row(0).state == QStringLiteral("live"); }, 10000));
    ASSERT_EQ(model->row(0).liveId, model->row(1).liveId); // one connection, two sessions
    const int liveId = model->row(0).liveId;

    // Close the dreamcast session: its row goes and stays gone, the psp one keeps updating.
    const auto* proxy = page->sessionTable()->model();
    int tableRow = -1;
    for (int r = 0; r < proxy->rowCount(); ++r)
        if (proxy->index(r, SessionListModel::Platform).data().toString() == QStringLiteral("dreamcast"))
            tableRow = r;
    ASSERT_GE(tableRow, 0);
    QSignalSpy closed(page, &SessionsPage::sessionClosed);
    ASSERT_TRUE(page->closeSession(tableRow));
    ASSERT_EQ(closed.count(), 1);
    EXPECT_EQ(closed[0][2].toInt(), liveId);
    EXPECT_EQ(closed[0][3].toInt(), 1); // the psp session is still shown
    ASSERT_EQ(model->rowCount(), 1);
    EXPECT_EQ(model->row(0).platform, QStringLiteral("psp"));
    EXPECT_EQ(live->count(), 1); // still connected
    const quint64 allocations = model->row(0).totalAllocations;
    ASSERT_TRUE(waitUntil([&] { return model->row(0).totalAllocations > allocations + 50; }, 10000));
    EXPECT_EQ(model->rowCount(), 1); // later snapshots did not bring dreamcast back
    EXPECT_EQ(model->row(0).state, QStringLiteral("live"));

    // Its last session: the connection is closed and the window goes back to the empty state.
    ASSERT_TRUE(page->closeSession(0));
    EXPECT_EQ(closed[1][3].toInt(), 0);
    EXPECT_EQ(live->count(), 0);
    EXPECT_EQ(model->rowCount(), 0);
    EXPECT_EQ(currentPage(w), w.findChild<WelcomePage*>());
    // Snapshots already on their way (and a store copy being analysed) do not bring a row back.
    ASSERT_TRUE(livetest::waitForIdleWorkers());
    EXPECT_EQ(model->rowCount(), 0);
    QStandardPaths::setTestModeEnabled(false);
}
