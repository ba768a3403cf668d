#include "replay_bar.h"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QSignalSpy>

using namespace flight::ui;

TEST(ReplayBar, PlaysToTheEndAtItsSpeedThenStops)
{
    ReplayBar bar;
    EXPECT_FALSE(bar.isEnabled());
    bar.setRange(1'000, 3'000);
    EXPECT_TRUE(bar.isEnabled());
    EXPECT_EQ(bar.position(), 1'000);
    auto* speed = bar.findChild<QComboBox*>();
    ASSERT_NE(speed, nullptr);
    speed->setCurrentIndex(speed->findData(100.0)); // 2 s of session in ~20 ms
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
