// SPDX-License-Identifier: MIT
// Follow on a live session, in the window, against a real agent on loopback (core's
// AgentServer with a demo source) and the same client a user's connection uses:
// while Follow is on the timeline's visible window ends at the newest data as each
// refresh arrives (zoomed or not); turned off, the window stays where it was while
// the session keeps growing; turned on again, it catches up.
#include "connections/live_connections.h"
#include "window/main_window.h"
#include "sessions/replay_bar.h"
#include "models/session_list_model.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "timeline/timeline_view.h"

#include "live_test_support.h"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QStandardPaths>
#include <QToolButton>

using namespace flight;

namespace {

// The newest instant of the selected live session's latest copy.
std::int64_t newestMs(ui::SessionsPage* page)
{
    if (page->model()->rowCount() == 0)
        return 0;
    const ui::SessionRow& row = page->model()->row(0);
    return row.recording ? row.recording->store->session(row.sessionIndex).lastMs() : 0;
}

} // namespace

TEST(LiveFollow, TheTimelineTracksTheNewestDataUntilFollowIsTurnedOff)
{
    QStandardPaths::setTestModeEnabled(true);
    // Time in a demo session is the wall clock's; at 300 messages a second one run (one
    // session, 12,000 messages) lasts 40 s, longer than this test.
    const auto server = livetest::startDemoAgent({"demo:dreamcast"}, 300.0);
    ASSERT_NE(server, nullptr);

    ui::MainWindow window;
    window.resize(1200, 800);
    window.show();
    auto* live = window.findChild<ui::LiveConnections*>();
    ASSERT_NE(live, nullptr);
    QSignalSpy refreshed(live, &ui::LiveConnections::recordingRefreshed);
    window.openConnection(server->url());
    ui::SessionsPage* page = window.sessionsPage();
    ui::TimelineView* timeline = page->detail()->timeline();
    ui::ReplayBar* replay = page->detail()->replay();
    // The window's own handler runs before the spy's: after a wait the views show that copy.
    const auto nextRefresh = [&] { return refreshed.wait(10000); };
    // Enough data to zoom into a second of it.
    const auto span = [&] {
        if (page->model()->rowCount() == 0 || !page->model()->row(0).recording)
            return std::int64_t{0};
        const ui::SessionRow& row = page->model()->row(0);
        const SessionModel& s = row.recording->store->session(row.sessionIndex);
        return s.lastMs() - s.firstMs();
    };
    while (span() < 2500)
        ASSERT_TRUE(nextRefresh());
    ASSERT_TRUE(replay->isLive());
    ASSERT_TRUE(replay->isFollowing()); // on by default

    // Full view, Follow on: the window is the whole session, ending at its newest instant.
    ASSERT_TRUE(nextRefresh());
    EXPECT_TRUE(timeline->isFullRange());
    EXPECT_EQ(timeline->visibleToMs(), newestMs(page));

    // Zoomed to the last second, Follow on: each refresh slides the window to the newest data.
    const std::int64_t width = 1000;
    timeline->setVisibleRange(newestMs(page) - width, newestMs(page));
    for (int i = 0; i < 2; ++i) {
        const std::int64_t before = newestMs(page);
        do
            ASSERT_TRUE(nextRefresh());
        while (newestMs(page) <= before);
        EXPECT_EQ(timeline->visibleToMs(), newestMs(page)) << "refresh " << i;
        EXPECT_EQ(timeline->visibleToMs() - timeline->visibleFromMs(), width) << "the zoom is kept";
        EXPECT_EQ(replay->position(), newestMs(page));
    }

    // Follow off (the bar's toggle, as a user does): the window and the playhead stay put.
    QToolButton* follow = nullptr;
    for (auto* b : replay->findChildren<QToolButton*>())
        if (b->isCheckable())
            follow = b;
    ASSERT_NE(follow, nullptr);
    ASSERT_TRUE(follow->isVisible() && follow->isChecked());
    follow->click();
    ASSERT_FALSE(replay->isFollowing());
    const std::int64_t from = timeline->visibleFromMs(), to = timeline->visibleToMs(), playhead = replay->position();
    for (int i = 0; i < 2; ++i) {
        const std::int64_t before = newestMs(page);
        do
            ASSERT_TRUE(nextRefresh());
        while (newestMs(page) <= before);
    }
    EXPECT_GT(newestMs(page), to); // the session grew past the window...
    EXPECT_EQ(timeline->visibleFromMs(), from); // ...which did not move
    EXPECT_EQ(timeline->visibleToMs(), to);
    EXPECT_EQ(replay->position(), playhead);
    EXPECT_EQ(replay->rangeEnd(), newestMs(page)); // the replay works over everything received

    // Not zoomed either: the whole-session view stops growing while Follow is off.
    timeline->resetZoom();
    const std::int64_t fullTo = timeline->visibleToMs();
    {
        const std::int64_t before = newestMs(page);
        do
            ASSERT_TRUE(nextRefresh());
        while (newestMs(page) <= before);
    }
    EXPECT_GT(newestMs(page), fullTo);
    EXPECT_EQ(timeline->visibleToMs(), fullTo);

    // Follow on again: the next refresh brings the window to the newest data.
    follow->click();
    ASSERT_TRUE(replay->isFollowing());
    EXPECT_EQ(replay->position(), replay->rangeEnd());
    {
        const std::int64_t before = newestMs(page);
        do
            ASSERT_TRUE(nextRefresh());
        while (newestMs(page) <= before);
    }
    EXPECT_EQ(timeline->visibleToMs(), newestMs(page));

    window.closeAll();
    QStandardPaths::setTestModeEnabled(false);
}
