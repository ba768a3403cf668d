// SPDX-License-Identifier: MIT
// DemoSource: paced, timestamps on the wall clock, never ends (new runs, new ids).

#include "live_server_test_support.h"

#include "live/sources/demo_source.h"
#include "live/common/message_rewrite.h"

#include <QDateTime>
#include <QElapsedTimer>

using namespace flight;
using namespace flight::live;
using namespace flight::live::test;
using namespace flight::livetest;

TEST(DemoSource, PacedOnTheWallClockAndStartsFreshSessionsForever)
{
    ensureCoreApp();
    auto src = DemoSource::create({.platform = "dreamcast", .rate = 1000, .eventsPerRun = 200, .seed = 4});
    ASSERT_TRUE(src.has_value()) << src.error().message;
    std::map<std::string, std::vector<std::string>> types;
    std::int64_t maxSkew = 0;
    std::uint64_t count = 0;
    QElapsedTimer t;
    t.start();
    (*src)->start([&](const protocol::Message& m) {
        ++count;
        EXPECT_FALSE(m.seq.has_value());
        types[std::string(m.sessionId())].push_back(std::string(protocol::typeName(m.payload)));
        if (const auto ts = messageTime(m))
            maxSkew = std::max<std::int64_t>(maxSkew, std::abs(*ts - QDateTime::currentMSecsSinceEpoch()));
    });
    ASSERT_TRUE(waitUntil([&] { return count >= 450; }, 3000)) << count;
    const qint64 elapsed = t.elapsed();
    (*src)->stop();
    EXPECT_GE(elapsed, 400); // 450 messages at 1000/s
    EXPECT_LE(maxSkew, 5); // rebased to now as sent
    ASSERT_GE(types.size(), 3u);
    EXPECT_EQ(types["demo-dreamcast-1"].size(), 200u);
    EXPECT_EQ(types["demo-dreamcast-1"].front(), "session_started");
    EXPECT_EQ(types["demo-dreamcast-1"].back(), "session_ended");
    EXPECT_EQ(types["demo-dreamcast-2"].front(), "session_started");
    EXPECT_GE((*src)->runs(), 3u);
}
