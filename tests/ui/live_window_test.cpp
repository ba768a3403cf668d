// The window on a live session: a real agent on loopback (core's AgentServer
// with a demo source), the same client a user's connection uses, rows that go
// live and detail views fed from the recording made as it goes.
#include "main_window.h"
#include "session_list_model.h"
#include "sessions_page.h"
#include "timeline_view.h"

#include "live/agent_server.h"
#include "live/source_spec.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QStandardPaths>


using namespace flight;

namespace {
bool waitFor(const std::function<bool()>& done, int ms)
{
    QDeadlineTimer deadline(ms);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}
} // namespace

TEST(LiveWindow, ConnectsToARealAgentAndShowsItsSessionsLive)
{
    QStandardPaths::setTestModeEnabled(true);
    live::AgentServer server(live::AgentServerOptions{});
    auto sources = live::makeSources(QStringLiteral("demo:dreamcast"), live::SourceSettings{2000.0});
    ASSERT_TRUE(sources.has_value()) << sources.error().message;
    for (auto& s : *sources)
        server.addSource(std::move(s));
    const auto port = server.listen();
    ASSERT_TRUE(port.has_value()) << port.error().message;

    ui::MainWindow window;
    window.openConnection(server.url());
    ui::SessionsPage* page = window.sessionsPage();
    ui::SessionListModel* model = page->model();
    ASSERT_TRUE(waitFor([&] { return model->rowCount() > 0 && model->row(0).state == QStringLiteral("live"); }, 8000));
    EXPECT_EQ(model->row(0).platform, QStringLiteral("dreamcast"));
    EXPECT_EQ(model->row(0).totalBytes, 16ull << 20);
    EXPECT_GE(model->row(0).liveId, 1);
    // The periodic re-read of the live recording attaches a session model for the views.
    ASSERT_TRUE(waitFor([&] { return model->row(0).recording != nullptr; }, 8000));
    const SessionModel& s = model->row(0).recording->store->session(model->row(0).sessionIndex);
    EXPECT_GT(s.allocationCount(), 0u);
    EXPECT_TRUE(QFileInfo(model->row(0).recording->path).fileName().startsWith(QStringLiteral("live-")));
    // Figures keep moving while it runs.
    const auto before = s.lastMs();
    ASSERT_TRUE(waitFor([&] {
        const auto& row = model->row(0);
        return row.recording && row.recording->store->session(row.sessionIndex).lastMs() > before;
    }, 8000));
    window.closeAll();
    QStandardPaths::setTestModeEnabled(false);
}
