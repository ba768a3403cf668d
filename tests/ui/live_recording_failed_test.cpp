// SPDX-License-Identifier: MIT
// The disk fills while a live session records (a file size limit on this
// process stands in for it: the kernel refuses the write exactly as for a full
// disk): the window says the recording stopped and why, and the live rows go
// on updating.
#include "window/main_window.h"
#include "models/session_list_model.h"
#include "sessions/sessions_page.h"

#include "live/server/agent_server.h"
#include "live/sources/source_spec.h"

#include "live_test_support.h"

#include <gtest/gtest.h>

#include <QStandardPaths>
#include <QStatusBar>

#include <csignal>
#include <sys/resource.h>

using namespace flight;

using flight::livetest::waitUntil;

TEST(LiveRecordingFailed, WindowSaysTheRecordingStoppedAndTheLiveRowsGoOn)
{
    QStandardPaths::setTestModeEnabled(true);
    live::AgentServer server(live::AgentServerOptions{});
    auto sources = live::makeSources(QStringLiteral("demo:dreamcast"), live::SourceSettings{5000.0});
    ASSERT_TRUE(sources.has_value()) << sources.error().message;
    for (auto& s : *sources)
        server.addSource(std::move(s));
    ASSERT_TRUE(server.listen().has_value());

    struct rlimit saved = {};
    ::getrlimit(RLIMIT_FSIZE, &saved);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN); // EFBIG, not death
    // format 2 holds a few bytes per message: a small limit is reached within seconds
    struct rlimit limit = {16 * 1024, saved.rlim_max};
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);

    ui::MainWindow window;
    window.openConnection(server.url());
    ui::SessionListModel* model = window.sessionsPage()->model();
    const bool said = waitUntil([&] { return window.statusBar()->currentMessage().contains(QStringLiteral("NOT recording")); }, 15000);
    const QString message = window.statusBar()->currentMessage();
    // the live row keeps moving after the recording stopped
    ASSERT_TRUE(waitUntil([&] { return model->rowCount() > 0; }, 5000));
    const std::uint64_t before = model->row(0).totalAllocations;
    const bool moving = waitUntil([&] { return model->row(0).totalAllocations > before + 50; }, 8000);
    window.closeAll();
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, oldHandler);
    QStandardPaths::setTestModeEnabled(false);

    ASSERT_TRUE(said) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("File too large"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("connected"))) << message.toStdString();
    EXPECT_TRUE(moving) << "the live row goes on";
}
