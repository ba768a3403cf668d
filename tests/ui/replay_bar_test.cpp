// SPDX-License-Identifier: MIT
#include "sessions/replay_bar.h"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QSignalSpy>
#include <QToolButton>

using namespace flight::ui;

TEST(ReplayBar, PlaysToTheEndAtItsSpeedThenStops)
{
    ReplayBar bar;
    EXPECT_FALSE(bar.isEnabled());
    bar.setRange(1'000, 3'000);
    EXPECT_TRUE(bar.isEnabled());
    EXPECT_EQ(bar.position(), 1'000);
    bar.setSpeed(64.0); // 2 s of session in ~31 ms
    EXPECT_EQ(bar.speed(), 64.0);
    QSignalSpy moved(&bar, &ReplayBar::positionChanged);
    QSignalSpy playing(&bar, &ReplayBar::playingChanged);
    bar.play();
    ASSERT_EQ(playing.count(), 1);
    EXPECT_TRUE(playing.at(0).at(0).toBool());
    ASSERT_TRUE(playing.wait(5000)); // stops by itself at the end
    EXPECT_FALSE(playing.at(1).at(0).toBool());
    EXPECT_EQ(bar.position(), 3'000);
    ASSERT_GE(moved.count(), 1);
    std::int64_t last = 1'000;
    for (const auto& args : moved) {
        EXPECT_GE(args.at(0).toLongLong(), last); // never backwards
        last = args.at(0).toLongLong();
    }
    bar.seek(1'500);
    EXPECT_EQ(bar.position(), 1'500);
    bar.seek(99'999);
    EXPECT_EQ(bar.position(), 3'000); // clamped to the session
}

TEST(ReplayBar, OffersTheSpeedsFromAQuarterTo64x)
{
    ReplayBar bar;
    auto* box = bar.findChild<QComboBox*>();
    ASSERT_NE(box, nullptr);
    QStringList items;
    for (int i = 0; i < box->count(); ++i)
        items << box->itemText(i);
    EXPECT_EQ(items.join(QLatin1Char(' ')), QStringLiteral("0.25× 0.5× 1× 2× 4× 8× 16× 32× 64×"));
    EXPECT_EQ(bar.speed(), 1.0);
}

TEST(ReplayBar, At4xACursorAdvancesFourTimesTheWallTime)
{
    ReplayBar bar;
    std::int64_t now = 10'000;
    bar.setClock([&now]() { return now; });
    bar.setRange(0, 100'000);
    bar.setSpeed(4.0);
    QSignalSpy moved(&bar, &ReplayBar::positionChanged);
    bar.play();
    now += 250; // a quarter second of wall time
    ASSERT_TRUE(moved.wait(2000));
    EXPECT_EQ(bar.position(), 1'000);
    now += 1'000;
    ASSERT_TRUE(moved.wait(2000));
    EXPECT_EQ(bar.position(), 5'000);
    // 0.25x: a frame of 33 ms is 8.25 ms of session; the quarters add up instead of being lost.
    bar.setSpeed(0.25);
    for (int i = 0; i < 4; ++i) {
        now += 33;
        ASSERT_TRUE(moved.wait(2000));
    }
    EXPECT_EQ(bar.position(), 5'033);
    bar.pause();
}

TEST(ReplayBar, StepsToTheNextAndPreviousEventThenTheEnds)
{
    ReplayBar bar;
    bar.setRange(0, 1'000);
    bar.setStepTimes({100, 250, 700});
    bar.stepForward();
    EXPECT_EQ(bar.position(), 100);
    bar.stepForward();
    EXPECT_EQ(bar.position(), 250);
    bar.seek(500);
    bar.stepForward();
    EXPECT_EQ(bar.position(), 700);
    bar.stepForward();
    EXPECT_EQ(bar.position(), 1'000); // no event left: the end
    bar.stepBack();
    EXPECT_EQ(bar.position(), 700);
    bar.seek(260);
    bar.stepBack();
    EXPECT_EQ(bar.position(), 250);
    bar.stepBack();
    bar.stepBack();
    EXPECT_EQ(bar.position(), 0); // the start
}

TEST(ReplayBar, LiveFollowSticksToTheNewestUntilTheUserTakesThePlayhead)
{
    ReplayBar bar;
    QToolButton* follow = nullptr;
    for (auto* b : bar.findChildren<QToolButton*>())
        if (b->text() == QStringLiteral("Follow"))
            follow = b;
    ASSERT_NE(follow, nullptr);
    bar.setRange(0, 1'000);
    EXPECT_FALSE(bar.isLive());
    EXPECT_FALSE(bar.isFollowing());

    QSignalSpy following(&bar, &ReplayBar::followingChanged);
    bar.setLiveRange(0, 1'000, true);
    EXPECT_TRUE(bar.isFollowing());
    EXPECT_TRUE(follow->isChecked());
    EXPECT_EQ(bar.position(), 1'000);
    bar.setLiveRange(0, 2'000, false); // more data arrived
    EXPECT_EQ(bar.position(), 2'000);

    bar.seek(500); // the user looks back
    EXPECT_FALSE(bar.isFollowing());
    EXPECT_FALSE(follow->isChecked());
    ASSERT_EQ(following.count(), 1);
    bar.setLiveRange(0, 3'000, false);
    EXPECT_EQ(bar.position(), 500); // stays where the user put it
    bar.stepForward();
    EXPECT_EQ(bar.position(), 3'000); // the same controls over what has been received

    follow->click(); // back to the newest
    EXPECT_TRUE(bar.isFollowing());
    EXPECT_EQ(bar.position(), 3'000);
    bar.setLiveRange(0, 4'000, false);
    EXPECT_EQ(bar.position(), 4'000);
}
