// SPDX-License-Identifier: MIT
// ReplaySource alone: timing scaled by speed, header left out, loop renames sessions.

#include "live_server_test_support.h"

#include "live/sources/replay_source.h"
#include "live/sources/source_spec.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

using namespace flight;
using namespace flight::live;
using namespace flight::live::test;
using namespace flight::livetest;

namespace {

// 11 messages 100 ms apart by receivedAt (1 s of recording), with a header line.
QString writeTimed(const QTemporaryDir& dir)
{
    return writeTimedRecording(dir.filePath(QStringLiteral("timed.jsonl")), "vm-7", 10, 100);
}

} // namespace

TEST(ReplaySource, KeepsTheRecordedTimingScaledBySpeed)
{
    ensureCoreApp();
    QTemporaryDir dir;
    auto made = makeSources(QStringLiteral("replay:") + writeTimed(dir), SourceSettings{200, 4.0, false, {}});
    ASSERT_TRUE(made.has_value()) << made.error().message;
    ASSERT_EQ(made->size(), 1u);
    AgentSource& src = *made->front();
    std::vector<qint64> at;
    std::vector<std::uint64_t> used;
    QElapsedTimer t;
    t.start();
    src.start([&](const protocol::Message& m) {
        at.push_back(t.elapsed());
        EXPECT_FALSE(m.seq.has_value());
        EXPECT_FALSE(m.receivedAt.has_value());
        if (const auto* u = m.as<protocol::MemoryUpdateMsg>())
            used.push_back(*u->usedBytes);
    });
    ASSERT_TRUE(waitUntil([&] { return src.finished(); }, 3000));
    ASSERT_EQ(at.size(), 11u); // header left out
    EXPECT_EQ(used.front(), 10u * 1024 * 1024);
    EXPECT_EQ(used.back(), 100u * 1024 * 1024);
    // 1 s of recording at x4: about 250 ms
    EXPECT_GE(at.back() - at.front(), 230);
    EXPECT_LT(at.back() - at.front(), 900);
}

TEST(ReplaySource, LoopStartsOverUnderFreshSessionIds)
{
    ensureCoreApp();
    QTemporaryDir dir;
    auto src = ReplaySource::open({writeTimed(dir), 1e9, true});
    ASSERT_TRUE(src.has_value());
    std::map<std::string, int> perSession;
    (*src)->start([&](const protocol::Message& m) { ++perSession[std::string(m.sessionId())]; });
    ASSERT_TRUE(waitUntil([&] { return perSession.size() >= 3; }, 3000));
    (*src)->stop();
    EXPECT_EQ(perSession["vm-7"], 11);
    EXPECT_EQ(perSession["vm-7~2"], 11);
    EXPECT_FALSE((*src)->finished());
}

TEST(ReplaySource, BadSpecsAreClearErrors)
{
    ensureCoreApp();
    auto missing = makeSources(QStringLiteral("replay:/nonexistent/x.jsonl"), {});
    ASSERT_FALSE(missing.has_value());
    EXPECT_NE(missing.error().message.find("bad source 'replay:/nonexistent/x.jsonl'"), std::string::npos)
        << missing.error().message;
    auto kind = makeSources(QStringLiteral("proc:1"), {});
    ASSERT_FALSE(kind.has_value());
    EXPECT_NE(kind.error().message.find("unknown kind 'proc'"), std::string::npos);
    auto pid = makeSources(QStringLiteral("process:abc"), {});
    ASSERT_FALSE(pid.has_value());
    auto demo = makeSources(QStringLiteral("demo"), {});
    ASSERT_TRUE(demo.has_value());
    EXPECT_EQ(demo->size(), 2u);
    EXPECT_EQ(demo->at(1)->describe(), QStringLiteral("demo:dreamcast"));
    EXPECT_FALSE(makeSources(QStringLiteral("demo:no-such-platform-x"), {}).has_value());
}

TEST(ReplaySource, MessagesWithoutSessionIdAreNamedAfterTheFile)
{
    ensureCoreApp();
    auto src = ReplaySource::open({QStringLiteral(FLIGHT_TEST_DATA "/conformance/seed-flat.jsonl"), 1e9, false});
    ASSERT_TRUE(src.has_value()) << src.error().message;
    std::vector<std::string> ids;
    std::vector<std::uint64_t> used;
    (*src)->start([&](const protocol::Message& m) {
        ids.emplace_back(m.sessionId());
        if (const auto* u = m.as<protocol::MemoryUpdateMsg>())
            used.push_back(u->usedBytes.value_or(0));
    });
    ASSERT_TRUE(waitUntil([&] { return (*src)->finished(); }, 2000));
    EXPECT_EQ(ids, std::vector<std::string>(4, "replay-seed-flat"));
    ASSERT_EQ(used.size(), 4u);
    EXPECT_EQ(used[0], 256u * 1024 * 1024);
    EXPECT_EQ(used[3], 500u * 1024 * 1024);
}
