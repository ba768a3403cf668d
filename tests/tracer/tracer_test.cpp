// SPDX-License-Identifier: MIT
// `flight-agent run -- PROGRAM` (the real agent, the real preload library and
// real programs, tests/tracer/*_program.cpp): tagged bytes are exact live (a
// WebSocket client feeding a SessionStore as the window does) and in the
// recording; 16 threads, fork and exec, SIGKILL, python3.

#include "tracer_test_support.h"

#include "scratch_files.h"

using namespace flight;
using namespace flight::tracertest;


TEST(Tracer, TaggedBytesAreExactLiveAndInTheRecording)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-tagged");
    const std::string recording = (dir / "tagged.fmr").string();
    const std::string go = (dir / "go").string();
    TracedRun run;
    run.start({"--platform", "dreamcast", "-o", QString::fromStdString(recording)},
              {QStringLiteral(FLIGHT_TAGGED_PROGRAM), QString::fromStdString(go)});
    LiveClient client(run.url);
    const auto liveFigures = [&] {
        const SessionModel* s = onlySessionOf(client.store, "trace-");
        return s ? s->usage() : PurposeUsage{};
    };
    // The program waits for `go`: the live figures are read while it runs.
    const bool seen = livetest::waitUntil([&] {
        const PurposeUsage u = liveFigures();
        return u[purpose("asset-cache")] == 1'034'096 && u[purpose("network-buffers")] == 270'336
               && u[purpose("level-data")] == 131'648;
    }, 15000);
    const PurposeUsage live = liveFigures();
    EXPECT_TRUE(seen) << "live: asset-cache " << live[purpose("asset-cache")] << ", network-buffers "
                      << live[purpose("network-buffers")] << ", level-data " << live[purpose("level-data")];
    const SessionModel* liveSession = onlySessionOf(client.store, "trace-");
    ASSERT_NE(liveSession, nullptr);
    EXPECT_EQ(liveSession->info().platform, "dreamcast");
    EXPECT_EQ(liveSession->snapshot().total.bytes, 16u * 1024 * 1024) << "held against the Dreamcast's 16 MiB";
    EXPECT_TRUE(test::writeFile(std::filesystem::path(go), "go"));
    EXPECT_EQ(run.finished(), 0) << run.stderrText;
    EXPECT_NE(run.stderrText.find("tagged program done"), std::string::npos) << "the program's stdout is passed on";

    protocol::SessionStore store;
    const auto read = protocol::loadRecording(recording, store);
    EXPECT_FALSE(read.ioError.has_value());
    EXPECT_EQ(store.decodeErrors(), 0u);
    const SessionModel* s = onlySessionOf(store, "trace-");
    ASSERT_NE(s, nullptr);
    const PurposeUsage u = s->usage();
    EXPECT_EQ(u[purpose("asset-cache")], 1'034'096);
    EXPECT_EQ(u[purpose("network-buffers")], 270'336);
    EXPECT_EQ(u[purpose("level-data")], 131'648);
    EXPECT_TRUE(s->endedAt().has_value());
    std::vector<std::string> markers;
    for (const auto& m : s->markers())
        markers.push_back(m.label);
    EXPECT_EQ(markers, (std::vector<std::string>{"assets loaded", "level 1 loaded"}));
}

// Threads that allocate and then sleep (no allocation, no marker, no exit)
// have their events sent anyway: the library's flusher thread sends a
// buffer idle for 100 ms, so the live figures are there while they sleep.
TEST(Tracer, ThreadsThatGoIdleHaveTheirEventsSentWhileTheySleep)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-idle");
    const std::string go = (dir / "go").string();
    TracedRun run;
    run.start({}, {QStringLiteral(FLIGHT_IDLE_PROGRAM), QString::fromStdString(go)});
    LiveClient client(run.url);
    const auto idleBytes = [&] {
        const SessionModel* s = onlySessionOf(client.store, "trace-");
        return s ? s->usage()[purpose("idle-data")] : 0;
    };
    const bool seen = livetest::waitUntil([&] { return idleBytes() == 600'000; }, 10000);
    EXPECT_TRUE(seen) << "live idle-data " << idleBytes() << " while both threads sleep";
    EXPECT_TRUE(test::writeFile(std::filesystem::path(go), "go"));
    EXPECT_EQ(run.finished(), 0) << run.stderrText;
    EXPECT_NE(run.stderrText.find("idle program done"), std::string::npos) << run.stderrText;
}
