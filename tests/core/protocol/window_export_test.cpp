// SPDX-License-Identifier: MIT
// "Save the last N minutes" (window_export.h): the exported recording, loaded
// with the normal loader, has the live model's figures within the window.
#include "protocol/window_export.h"

#include "../model/live_like_feed.h"
#include "protocol/session_store.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <QTemporaryDir>

#include <algorithm>
#include <set>
#include <string>

using namespace flight;
using namespace flight::protocol;
using flight::test::Feed;
using flight::test::T0;

namespace {

// A store with one live-like session of `minutes` (allocations every 10 ms,
// samples with a sampled purpose level and untracked bytes, markers, errors).
std::unique_ptr<SessionStore> liveStore(int minutes, unsigned seed)
{
    auto store = std::make_unique<SessionStore>();
    store->ingest(R"({"type":"session_started","sessionId":"vm-1","platform":"v6r-small","label":"export",)"
                  R"("timestamp":)" + std::to_string(T0) + "}",
                  1);
    EXPECT_EQ(store->sessionCount(), 1u);
    Feed feed(10, seed);
    feed.run({&store->session(0)}, minutes * 60'000LL);
    return store;
}

std::multiset<std::string> liveIds(const SessionModel& m)
{
    std::multiset<std::string> out;
    for (const auto& a : m.listAllocations())
        out.insert(a.id + "/" + std::to_string(a.size.bytes) + "/" + std::string(a.purpose.name()));
    return out;
}

void expectSameWindow(const SessionModel& live, const SessionModel& loaded, std::int64_t from)
{
    EXPECT_EQ(loaded.firstMs(), from);
    EXPECT_EQ(loaded.lastMs(), live.lastMs());
    for (std::int64_t t = from; t <= live.lastMs(); t += 997) {
        ASSERT_EQ(loaded.usageAt(t), live.usageAt(t)) << "at " << t - from;
        ASSERT_EQ(loaded.usedAt(t), live.usedAt(t)) << "at " << t - from;
    }
    for (std::int64_t s = from; s + 30'000 <= live.lastMs(); s += 31'000) {
        const RangeSummary a = live.rangeSummary(s, s + 30'000), b = loaded.rangeSummary(s, s + 30'000);
        ASSERT_EQ(b.peakUsedBytes, a.peakUsedBytes);
        ASSERT_EQ(b.peakUsedAtMs, a.peakUsedAtMs);
        ASSERT_EQ(b.averageUsedBytes, a.averageUsedBytes);
        ASSERT_EQ(b.freesInRange, a.freesInRange);
        if (s > from) { // the live ones at the start are made at `from` in the file
            ASSERT_EQ(b.allocationsInRange, a.allocationsInRange);
        }
    }
    EXPECT_EQ(liveIds(loaded), liveIds(live));
    const MemoryStats a = MemoryAnalytics(live).calculateMemoryStats(), b = MemoryAnalytics(loaded).calculateMemoryStats();
    EXPECT_EQ(b.activeAllocations, a.activeAllocations);
    EXPECT_EQ(b.currentBytes, a.currentBytes);
    EXPECT_EQ(b.trackedBytes, a.trackedBytes);
    EXPECT_EQ(b.byPurpose, a.byPurpose);
    EXPECT_EQ(loaded.rangeSummary(from, loaded.lastMs()).peakUsedBytes, live.rangeSummary(from, live.lastMs()).peakUsedBytes);
    auto inWindow = [from](const auto& items) {
        return std::count_if(items.begin(), items.end(), [from](const auto& x) { return x.timeMs >= from; });
    };
    EXPECT_EQ(inWindow(loaded.markers()), inWindow(live.markers()));
    EXPECT_EQ(loaded.reportedErrorCodes().size(),
              static_cast<std::size_t>(std::count_if(live.events().begin(), live.events().end(), [from](const SessionEvent& e) {
                  return e.kind == SessionEventKind::ReportedError && e.timeMs >= from;
              })));
}

} // namespace

// 12 minutes live; the last 5 exported (~30,000 allocations in the window plus
// those live at its start), loaded back with loadRecording.
TEST(WindowExport, LastMinutesLoadToTheSameState)
{
    auto store = liveStore(12, 21);
    const SessionModel& live = store->session(0);
    QTemporaryDir dir;
    const std::string path = dir.filePath("last5.jsonl").toStdString();
    auto summary = exportRecentWindow(*store, std::chrono::minutes(5), path);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->sessions, 1u);
    EXPECT_EQ(summary->toMs, live.lastMs());
    EXPECT_EQ(summary->fromMs, live.lastMs() - 5 * 60'000);
    EXPECT_FALSE(summary->clamped);

    SessionStore loaded;
    const RecordingReadResult read = loadRecording(path, loaded);
    EXPECT_FALSE(read.ioError);
    EXPECT_EQ(loaded.decodeErrors(), 0u);
    EXPECT_EQ(loaded.sessionErrors(), loaded.session(0).reportedErrorCodes().size()); // no operation errors
    ASSERT_EQ(loaded.sessionCount(), 1u);
    EXPECT_EQ(loaded.messagesApplied(), summary->messages);
    EXPECT_EQ(loaded.session(0).info().sessionId, "vm-1");
    EXPECT_EQ(loaded.session(0).info().platform, "v6r-small");
    EXPECT_EQ(loaded.session(0).info().totalBytes, live.info().totalBytes);
    std::printf("[ figures ] exported %llu messages for the last 5 of 12 minutes (%zu allocations live at the start)\n",
                static_cast<unsigned long long>(summary->messages), live.listAllocationsAt(summary->fromMs - 1).size());
    expectSameWindow(live, loaded.session(0), summary->fromMs);
}

// After the retention policy compacted everything older than 10 minutes, a
// request for 15 minutes exports the 10 that are still in full detail, and
// says so. zstd output.
TEST(WindowExport, CompactedSessionExportsItsFullDetailWindow)
{
    auto store = liveStore(16, 5);
    ASSERT_TRUE(store->compact(RetentionPolicy{}).compacted);
    const SessionModel& live = store->session(0);
    QTemporaryDir dir;
    const std::string path = dir.filePath("last15.jsonl.zst").toStdString();
    RecordingWriterOptions options;
    options.compress = true;
    auto summary = exportRecentWindow(*store, std::chrono::minutes(15), path, options);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_TRUE(summary->clamped);
    EXPECT_EQ(summary->fromMs, live.retention().fullDetailFromMs);

    SessionStore loaded;
    loadRecording(path, loaded);
    ASSERT_EQ(loaded.sessionCount(), 1u);
    EXPECT_EQ(loaded.decodeErrors(), 0u);
    expectSameWindow(live, loaded.session(0), summary->fromMs);
}

TEST(WindowExport, UnwritablePathIsATypedError)
{
    auto store = liveStore(1, 1);
    auto summary = exportRecentWindow(*store, std::chrono::minutes(5), "/nonexistent-dir/x.jsonl");
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().code, MemoryErrorCode::IoError);
}
