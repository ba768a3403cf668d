// SPDX-License-Identifier: MIT
// The sessions list while live data comes (issue 16, stumble 5), on the real
// window with real agents on loopback: a long connection state does not squeeze
// the Source column to "…"; when the followed demo run ends, the selection moves
// to the run that follows it; a new connection is selected and scrolled into
// view; the status line speaks for the selected session's connection only; the
// window title names the selected session.
#include "live/server/agent_server.h"
#include "live/sources/demo_source.h"
#include "models/session_list_model.h"
#include "sessions/session_table.h"
#include "sessions/sessions_page.h"
#include "sessions/table_column_fitter.h"
#include "window/main_window.h"

#include "live_test_support.h"

#include <gtest/gtest.h>

#include <QHeaderView>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace flight;
using namespace flight::ui;
using flight::livetest::waitUntil;

namespace {

// An agent with one demo source whose runs are `eventsPerRun` messages long.
std::unique_ptr<live::AgentServer> demoAgent(const char* platform, double rate, std::uint64_t eventsPerRun)
{
    auto server = std::make_unique<live::AgentServer>(live::AgentServerOptions{});
    live::DemoSourceOptions o;
    o.platform = platform;
    o.rate = rate;
    o.eventsPerRun = eventsPerRun;
    auto source = live::DemoSource::create(o);
    if (!source) {
        ADD_FAILURE() << source.error().message;
        return nullptr;
    }
    server->addSource(std::move(*source));
    if (const auto port = server->listen(); !port) {
        ADD_FAILURE() << port.error().message;
        return nullptr;
    }
    return server;
}

int rowOf(const SessionListModel* model, int liveId)
{
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->row(r).liveId == liveId)
            return r;
    return -1;
}

// Clicks the row of `table` (in its sorted order) showing model row `modelRow`.
void clickModelRow(QTableView* table, const SessionListModel* model, int modelRow)
{
    const QAbstractItemModel* shown = table->model();
    for (int r = 0; r < shown->rowCount(); ++r) {
        if (shown->index(r, SessionListModel::Session).data().toString() == model->row(modelRow).sessionId
            && shown->index(r, SessionListModel::Source).data().toString() == model->row(modelRow).source) {
            table->scrollTo(shown->index(r, SessionListModel::Session));
            const QRect cell = table->visualRect(shown->index(r, SessionListModel::Session));
            QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
            return;
        }
    }
    ADD_FAILURE() << "no such row in the table";
}

// The real window, its sessions page and list; each test shows it at its size.
class SessionsUnderLiveData : public ::testing::Test {
protected:
    void show(int width, int height)
    {
        window.resize(width, height);
        window.show();
    }
    void TearDown() override { window.closeAll(); }

    MainWindow window;
    SessionsPage* const page = window.sessionsPage();
    const SessionListModel* const model = page->model();
};

} // namespace

TEST_F(SessionsUnderLiveData, ALongConnectionStateLeavesTheSourceReadable)
{
    auto server = demoAgent("dreamcast", 2000, 12'000);
    ASSERT_NE(server, nullptr);
    show(1024, 768);
    window.openConnection(server->url());
    ASSERT_TRUE(waitUntil([&] { return model->rowCount() > 0 && model->row(0).state == QStringLiteral("live"); }, 8000));
    // The agent goes away: the state says since when ("disconnected since 14:03:07"), and its
    // tooltip the connection's sentence ("…; reconnecting in 2 s").
    server.reset();
    ASSERT_TRUE(waitUntil([&] { return model->row(0).state.contains(QStringLiteral("disconnected since")); }, 15000));
    EXPECT_TRUE(waitUntil([&] {
        return model->data(model->index(0, SessionListModel::State), Qt::ToolTipRole).toString().contains(QStringLiteral("reconnecting"));
    }, 15000)) << model->data(model->index(0, SessionListModel::State), Qt::ToolTipRole).toString().toStdString();
    QTest::qWait(100); // the snapshot that said so has been laid out
    QTableView* table = page->sessionTable();
    const QString source = model->row(0).source;
    EXPECT_GE(table->columnWidth(SessionListModel::Source), TableColumnFitter::cellWidthFor(table, source))
        << "Source squeezed to " << table->columnWidth(SessionListModel::Source) << " px by State's "
        << table->columnWidth(SessionListModel::State) << " px (" << model->row(0).state.toStdString() << ")";
    // The whole state is in the State cell's tooltip.
    EXPECT_TRUE(model->data(model->index(0, SessionListModel::State), Qt::ToolTipRole).toString().contains(model->row(0).state));
}

TEST_F(SessionsUnderLiveData, TheSelectionFollowsTheNextDemoRunWhenTheFollowedOneEnds)
{
    // Runs of 1,500 messages at 1,500 a second: a new session every second.
    const auto server = demoAgent("psp", 1500, 1500);
    ASSERT_NE(server, nullptr);
    show(1280, 800);
    window.openConnection(server->url());
    ASSERT_TRUE(waitUntil([&] { return model->rowCount() > 0 && page->table()->currentRow() != nullptr; }, 8000));
    const QString first = page->table()->currentRow()->sessionId;
    // The followed run ends and the next starts: the selection moves on, to a run still live.
    ASSERT_TRUE(waitUntil([&] { return model->rowCount() >= 3; }, 15000)) << model->rowCount() << " rows";
    const SessionRow* current = page->table()->currentRow();
    ASSERT_NE(current, nullptr);
    EXPECT_NE(current->sessionId, first);
    EXPECT_EQ(model->row(model->rowCount() - 2).state, QStringLiteral("ended")); // the one before the newest has ended
    EXPECT_TRUE(waitUntil([&] { return page->table()->currentRow()->state != QStringLiteral("ended"); }, 3000))
        << page->table()->currentRow()->sessionId.toStdString() << " stays selected after it ended";

    // A run the user picked by hand stays selected when newer ones come.
    const int older = 0;
    clickModelRow(page->sessionTable(), model, older);
    ASSERT_EQ(page->table()->currentModelRow(), older);
    const int rows = model->rowCount();
    ASSERT_TRUE(waitUntil([&] { return model->rowCount() > rows; }, 8000));
    EXPECT_EQ(page->table()->currentModelRow(), older);
}

TEST_F(SessionsUnderLiveData, ANewConnectionIsSelectedAndTheStatusAndTitleFollowTheSelection)
{
    const auto a = demoAgent("dreamcast", 500, 100'000);
    const auto b = demoAgent("psp", 500, 100'000);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    show(1280, 800);
    window.openConnection(a->url());
    ASSERT_TRUE(waitUntil([&] { return rowOf(model, 1) >= 0 && page->currentLiveId() == 1; }, 8000));
    EXPECT_TRUE(window.windowTitle().startsWith(model->row(rowOf(model, 1)).sessionId)) << window.windowTitle().toStdString();

    // The second connection's row is selected and in view, wherever it sorts.
    window.openConnection(b->url());
    ASSERT_TRUE(waitUntil([&] { return rowOf(model, 2) >= 0; }, 8000));
    EXPECT_TRUE(waitUntil([&] { return page->currentLiveId() == 2; }, 2000));
    QTableView* table = page->sessionTable();
    EXPECT_TRUE(table->viewport()->rect().intersects(table->visualRect(table->currentIndex())));
    const QString bTitle = model->row(rowOf(model, 2)).sessionId;
    EXPECT_TRUE(window.windowTitle().startsWith(bTitle)) << window.windowTitle().toStdString();

    // Back to the first by mouse: the title and the status line speak for it, and only for it.
    clickModelRow(table, model, rowOf(model, 1));
    ASSERT_EQ(page->currentLiveId(), 1);
    EXPECT_TRUE(window.windowTitle().startsWith(model->row(rowOf(model, 1)).sessionId)) << window.windowTitle().toStdString();
    const QString aUrl = model->row(rowOf(model, 1)).source;
    const QString bUrl = model->row(rowOf(model, 2)).source;
    ASSERT_NE(aUrl, bUrl);
    int sawA = 0;
    for (int i = 0; i < 30; ++i) { // 1.5 s of snapshots from both connections
        QTest::qWait(50);
        const QString message = window.statusBar()->currentMessage();
        EXPECT_FALSE(message.contains(bUrl)) << message.toStdString();
        sawA += message.contains(aUrl) ? 1 : 0;
    }
    EXPECT_GT(sawA, 0);
}
