// SPDX-License-Identifier: MIT
// How often the views of a live session refresh: from what a refresh costs,
// and against a real agent on loopback through LiveConnections.
#include "connections/live_connections.h"
#include "connections/live_refresh_interval.h"

#include "live_test_support.h"

#include <gtest/gtest.h>

#include <QStandardPaths>

using namespace flight;
using flight::livetest::waitUntil;

TEST(LiveRefreshInterval, FollowsTheCostOfTheLastRefreshWithinItsBounds)
{
    EXPECT_EQ(ui::liveRefreshIntervalMs(0, 0), 250);     // a small session: four times a second
    EXPECT_EQ(ui::liveRefreshIntervalMs(100, 10), 250);
    EXPECT_EQ(ui::liveRefreshIntervalMs(400, 10), 800);  // the worker at most half a core
    EXPECT_EQ(ui::liveRefreshIntervalMs(10, 120), 600);  // the UI thread at most a fifth busy
    EXPECT_EQ(ui::liveRefreshIntervalMs(5000, 900), 2000); // never slower than every 2 s
}

TEST(LiveRefreshInterval, AQuietSessionIsRefreshedOnceASecondABusyOneAtEveryTick)
{
    constexpr int tick = ui::kMinLiveRefreshMs;
    EXPECT_FALSE(ui::liveRefreshDue(0, false, 5000, tick)); // nothing new: never
    EXPECT_TRUE(ui::liveRefreshDue(1, true, 0, tick));      // the first data: at once
    // 200 msg/s: 50 messages a tick, refreshed once about a second has passed.
    EXPECT_FALSE(ui::liveRefreshDue(50, false, 250, tick));
    EXPECT_FALSE(ui::liveRefreshDue(150, false, 750, tick));
    EXPECT_TRUE(ui::liveRefreshDue(175, false, 875, tick)); // the tick at ~1 s, early by timer jitter
    EXPECT_TRUE(ui::liveRefreshDue(200, false, 1000, tick));
    // 20,000 msg/s: 5,000 messages a tick, refreshed at every tick.
    EXPECT_TRUE(ui::liveRefreshDue(5000, false, 250, tick));
    EXPECT_TRUE(ui::liveRefreshDue(ui::kBusyLiveMessages, false, 100, tick));
}

// A real demo agent: refreshes keep arriving, and the interval the connection
// has adapted to stays within the bounds (how fast is a benchmark's question).
TEST(LiveRefreshInterval, ARealConnectionRefreshesAtTheAdaptedInterval)
{
    QStandardPaths::setTestModeEnabled(true);
    const auto server = livetest::startDemoAgent({"demo:dreamcast"}, 2000.0);
    ASSERT_NE(server, nullptr);
    ui::LiveConnections live;
    int refreshes = 0;
    QObject::connect(&live, &ui::LiveConnections::recordingRefreshed, [&](int, const ui::LoadedRecordingPtr&) { ++refreshes; });
    live.connectTo(server->url());
    ASSERT_TRUE(waitUntil([&] { return refreshes >= 4; }, 20000)) << refreshes << " refreshes";
    EXPECT_GE(live.refreshIntervalMs(), ui::kMinLiveRefreshMs);
    EXPECT_LE(live.refreshIntervalMs(), ui::kMaxLiveRefreshMs);
    live.closeAll();
    QStandardPaths::setTestModeEnabled(false);
}
