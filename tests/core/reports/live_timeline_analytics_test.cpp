// SPDX-License-Identifier: MIT
// LiveTimelineAnalytics: appending what is new gives the same pyramid and
// pressure durations as analyzeSessionTimelines over the whole store, batch
// after batch, through a compaction, and reads each event once.

#include "reports/live_timeline_analytics.h"

#include "generator/workload_generator.h"
#include "protocol/message_encoder.h"
#include "protocol/session_store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flight {
namespace {

std::vector<std::string> generatedLines(std::uint64_t events, std::uint64_t seed)
{
    generator::WorkloadOptions o;
    o.platform = "v6r-large";
    o.events = events;
    o.seed = seed;
    o.typicalLiveAllocations = 400;
    auto g = generator::WorkloadGenerator::create(o);
    EXPECT_TRUE(g.has_value());
    std::vector<std::string> lines;
    while (const protocol::Message* m = g->next())
        lines.push_back(protocol::encode(*m));
    return lines;
}

// Every figure the timeline reads: columns at several widths over the whole session,
// the event count, the pressure durations.
void expectSameAsFull(const std::vector<SessionAnalytics>& incremental, const protocol::SessionStore& store)
{
    const auto full = analyzeSessionTimelines(store);
    ASSERT_EQ(incremental.size(), full.size());
    for (std::size_t s = 0; s < full.size(); ++s) {
        const SessionModel& session = store.session(s);
        ASSERT_TRUE(incremental[s].pyramid);
        EXPECT_EQ(incremental[s].pyramid->eventCount(), full[s].pyramid->eventCount());
        EXPECT_EQ(incremental[s].pyramid->eventCount(), session.timelineEventCount());
        EXPECT_EQ(incremental[s].pressureDurations.ms, full[s].pressureDurations.ms);
        const std::int64_t from = session.firstMs();
        const std::int64_t to = session.lastMs() + 1;
        for (const int n : {1, 7, 300, 1920}) {
            const auto a = incremental[s].pyramid->columns(from, to, n);
            const auto b = full[s].pyramid->columns(from, to, n);
            ASSERT_EQ(a.size(), b.size());
            for (std::size_t c = 0; c < a.size(); ++c) {
                EXPECT_EQ(a[c].empty, b[c].empty) << "column " << c << " of " << n;
                EXPECT_EQ(a[c].minUsed, b[c].minUsed) << "column " << c << " of " << n;
                EXPECT_EQ(a[c].maxUsed, b[c].maxUsed) << "column " << c << " of " << n;
                EXPECT_EQ(a[c].maxAtMs, b[c].maxAtMs) << "column " << c << " of " << n;
                ASSERT_EQ(a[c].usageAtMax == nullptr, b[c].usageAtMax == nullptr);
                if (a[c].usageAtMax) {
                    EXPECT_EQ(a[c].usageAtMax->total(), b[c].usageAtMax->total());
                }
            }
        }
    }
}

TEST(LiveTimelineAnalytics, AppendingEqualsTheFullAnalysisBatchAfterBatch)
{
    const auto lines = generatedLines(40'000, 11);
    protocol::SessionStore store;
    LiveTimelineAnalytics live;
    std::size_t next = 0;
    std::uint64_t line = 0;
    std::size_t batch = 1;
    int updates = 0;
    while (next < lines.size()) {
        const std::size_t before = store.sessionCount() ? store.session(0).timelineEventCount() : 0;
        for (std::size_t i = 0; i < batch && next < lines.size(); ++i)
            store.ingest(lines[next++], ++line);
        const auto analytics = live.update(store);
        ASSERT_EQ(store.sessionCount(), 1u);
        const std::size_t after = store.session(0).timelineEventCount();
        // Only what is new is read; the session is analysed from its start once.
        EXPECT_EQ(live.eventsReadLastUpdate(), after - before);
        EXPECT_EQ(live.rebuiltLastUpdate(), updates == 0 ? 1u : 0u);
        expectSameAsFull(analytics, store);
        ++updates;
        batch = batch * 3 + 1; // 1, 4, 13, 40, ... up to whole thousands: bucket edges fall anywhere
    }
    EXPECT_GE(updates, 9);
    EXPECT_GT(store.session(0).timelineEventCount(), 30'000u);
}

TEST(LiveTimelineAnalytics, NothingNewGivesTheSamePyramidAndACompactionRebuilds)
{
    const auto lines = generatedLines(20'000, 5);
    protocol::SessionStore store;
    LiveTimelineAnalytics live;
    std::uint64_t line = 0;
    for (std::size_t i = 0; i < lines.size() / 2; ++i)
        store.ingest(lines[i], ++line);
    const auto first = live.update(store);
    const auto again = live.update(store);
    EXPECT_EQ(live.eventsReadLastUpdate(), 0u);
    EXPECT_EQ(first[0].pyramid, again[0].pyramid); // the same copy: a view need not redraw
    expectSameAsFull(again, store);

    // Keep the last second in detail: the history before it changes the session's past.
    RetentionPolicy policy;
    policy.fullDetail = std::chrono::milliseconds(1000);
    policy.historyResolution = std::chrono::milliseconds(50);
    ASSERT_TRUE(store.compact(policy).compacted);
    const auto compacted = live.update(store);
    EXPECT_EQ(live.rebuiltLastUpdate(), 1u);
    expectSameAsFull(compacted, store);

    for (std::size_t i = lines.size() / 2; i < lines.size(); ++i)
        store.ingest(lines[i], ++line);
    const auto rest = live.update(store);
    EXPECT_EQ(live.rebuiltLastUpdate(), 0u);
    expectSameAsFull(rest, store);
}

} // namespace
} // namespace flight
