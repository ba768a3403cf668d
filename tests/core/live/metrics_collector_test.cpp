// SPDX-License-Identifier: MIT
// What the agent's /metrics knows of its sessions (core/live/metrics/metrics_collector.h):
// figures as the model computes them, active allocations by purpose, errors by
// code, ended sessions leaving after their time, and the --metrics-max-sessions cap.
#include "live/metrics/metrics_collector.h"

#include <gtest/gtest.h>

using namespace flight;
using namespace flight::live;
using namespace flight::protocol;
using namespace std::chrono_literals;

namespace {

using Clock = MetricsCollector::Clock;
const Clock::time_point t0 = Clock::time_point(1h);

Message started(std::string_view id, std::string_view platform, std::uint64_t total = 0)
{
    SessionStartedMsg s;
    s.sessionId = id;
    s.platform = platform;
    if (total)
        s.totalBytes = total;
    s.timestamp = 1000;
    return Message{s, {}, {}};
}

Message alloc(std::string_view session, std::string_view id, std::uint64_t bytes, StandardPurpose purpose,
              std::int64_t at = 1001)
{
    AllocationMsg a;
    a.sessionId = session;
    a.id = id;
    a.bytes = bytes;
    a.purpose = MemoryPurpose(purpose);
    a.allocatedAt = at;
    return Message{a, {}, {}};
}

Message freed(std::string_view session, std::string_view id, std::int64_t at = 1002)
{
    FreeMsg f;
    f.sessionId = session;
    f.allocationId = id;
    f.freedAt = at;
    return Message{f, {}, {}};
}

Message ended(std::string_view session)
{
    SessionEndedMsg e;
    e.sessionId = session;
    e.timestamp = 2000;
    return Message{e, {}, {}};
}

const SessionMetrics* find(const AgentMetrics& m, std::string_view id)
{
    for (const auto& s : m.sessions)
        if (s.session == id)
            return &s;
    return nullptr;
}

const PurposeMetrics* purpose(const SessionMetrics& s, std::string_view name)
{
    for (const auto& p : s.purposes)
        if (p.purpose == name)
            return &p;
    return nullptr;
}

} // namespace

TEST(MetricsCollector, FiguresAreTheModelsWithActiveAllocationsAndErrorsByPurposeAndCode)
{
    MetricsCollector c;
    c.observe(started("s1", "psp"), t0); // psp: 64 MiB from the platform catalogue
    c.observe(alloc("s1", "a", 1000, StandardPurpose::VmHeap), t0);
    c.observe(alloc("s1", "b", 3000, StandardPurpose::VmHeap), t0);
    c.observe(alloc("s1", "c", 500, StandardPurpose::AssetCache), t0);
    c.observe(freed("s1", "b"), t0);
    c.observe(freed("s1", "nope"), t0);  // refused by the model: invalid-allocation
    c.observe(freed("s1", "b"), t0);     // already-freed
    LimitsMsg l;
    l.sessionId = "s1";
    l.limits.softLimit = MemorySize{1200};
    l.limits.hardLimit = MemorySize{9000};
    c.observe(Message{l, {}, {}}, t0);
    ErrorMsg e;
    e.sessionId = "s1";
    e.code = MemoryErrorCode::LimitExceeded;
    e.message = "over";
    c.observe(Message{e, {}, {}}, t0);

    const AgentMetrics m = c.snapshot(t0);
    ASSERT_EQ(m.sessions.size(), 1u);
    const SessionMetrics& s = m.sessions[0];
    EXPECT_EQ(s.session, "s1");
    EXPECT_EQ(s.platform, "psp");
    EXPECT_EQ(s.totalBytes, 64u * 1024 * 1024);
    EXPECT_EQ(s.usedBytes, 1500u);
    EXPECT_EQ(s.peakBytes, 4500u);
    EXPECT_EQ(s.allocations, 3u);
    EXPECT_EQ(s.frees, 1u);
    ASSERT_EQ(s.purposes.size(), 8u); // the eight standard purposes, always
    ASSERT_NE(purpose(s, "vm-heap"), nullptr);
    EXPECT_EQ(purpose(s, "vm-heap")->bytes, 1000u);
    EXPECT_EQ(purpose(s, "vm-heap")->activeAllocations, 1u);
    EXPECT_EQ(purpose(s, "asset-cache")->bytes, 500u);
    EXPECT_EQ(purpose(s, "asset-cache")->activeAllocations, 1u);
    EXPECT_EQ(purpose(s, "temporary")->activeAllocations, 0u);
    EXPECT_EQ(s.softLimitBytes, std::optional<std::uint64_t>(1200));
    EXPECT_EQ(s.hardLimitBytes, std::optional<std::uint64_t>(9000));
    EXPECT_EQ(s.pressure, MemoryPressure::Low);
    EXPECT_EQ(s.criticalBytes, 63753421u); // psp's critical threshold, 0.95 of 64 MiB, rounded up
    ASSERT_EQ(s.errors.size(), 3u);
    EXPECT_EQ(s.errors[0].code, MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(s.errors[0].count, 1u);
    EXPECT_EQ(s.errors[1].code, MemoryErrorCode::AlreadyFreed);
    EXPECT_EQ(s.errors[2].code, MemoryErrorCode::InvalidAllocation);
    EXPECT_FALSE(s.ended);
}

TEST(MetricsCollector, PressureFollowsUsedOverTotal)
{
    MetricsCollector c;
    c.observe(started("s", "custom", 1000), t0);
    c.observe(alloc("s", "a", 960, StandardPurpose::Temporary), t0);
    EXPECT_EQ(c.snapshot(t0).sessions.at(0).pressure, MemoryPressure::Critical);
    c.observe(freed("s", "a"), t0);
    c.observe(alloc("s", "b", 860, StandardPurpose::Temporary), t0);
    EXPECT_EQ(c.snapshot(t0).sessions.at(0).pressure, MemoryPressure::High);
    EXPECT_EQ(purpose(c.snapshot(t0).sessions.at(0), "temporary")->activeAllocations, 1u);
}

TEST(MetricsCollector, AnEndedSessionLeavesAfterItsRetention)
{
    MetricsCollector c(MetricsCollectorOptions{.maxSessions = 10, .endedRetention = 5min});
    c.observe(started("gone", "psp"), t0);
    c.observe(started("stays", "psp"), t0);
    c.observe(ended("gone"), t0 + 1s);
    const AgentMetrics before = c.snapshot(t0 + 1s + 5min - 1ms);
    ASSERT_NE(find(before, "gone"), nullptr);
    EXPECT_TRUE(find(before, "gone")->ended);
    const AgentMetrics after = c.snapshot(t0 + 1s + 5min);
    EXPECT_EQ(find(after, "gone"), nullptr);
    ASSERT_NE(find(after, "stays"), nullptr);
    EXPECT_EQ(c.sessionCount(), 1u);
    EXPECT_EQ(c.sessionsEvicted(), 0u);
}

TEST(MetricsCollector, TheCapReplacesTheFirstEndedAndOmitsNewSessionsWhenAllAreLive)
{
    MetricsCollector c(MetricsCollectorOptions{.maxSessions = 2, .endedRetention = 5min});
    c.observe(started("a", "psp"), t0);
    c.observe(started("b", "psp"), t0);
    c.observe(started("c", "psp"), t0);            // both live: c is never exported
    c.observe(alloc("c", "x", 10, StandardPurpose::VmHeap), t0); // ignored, not counted again
    EXPECT_EQ(c.sessionsOmitted(), 1u);
    c.observe(ended("b"), t0 + 1s);
    c.observe(ended("a"), t0 + 2s);
    c.observe(alloc("c", "y", 10, StandardPurpose::VmHeap), t0 + 3s); // still not c: it began partly unseen
    EXPECT_EQ(c.sessionsOmitted(), 1u);
    c.observe(started("d", "psp"), t0 + 3s);       // takes b's place: b ended first
    const AgentMetrics m = c.snapshot(t0 + 3s);
    ASSERT_EQ(m.sessions.size(), 2u);
    EXPECT_EQ(m.sessions[0].session, "a");
    EXPECT_EQ(m.sessions[1].session, "d");
    EXPECT_EQ(m.sessionsEvicted, 1u);
    EXPECT_EQ(m.sessionsOmitted, 1u);
}

TEST(MetricsCollector, TappedSourceHandsEveryMessageToTheCollectorAndTheSink)
{
    class Fixed final : public AgentSource {
    public:
        QString describe() const override { return QStringLiteral("fixed"); }
        void start(Sink sink) override
        {
            sink(started("t", "psp"));
            sink(alloc("t", "a", 64, StandardPurpose::VmHeap));
        }
        void stop() override {}
        bool finished() const override { return true; }
    };
    MetricsCollector c;
    auto tapped = tapSource(std::make_unique<Fixed>(), c);
    int seen = 0;
    tapped->start([&](const Message&) { ++seen; });
    EXPECT_EQ(seen, 2);
    EXPECT_EQ(tapped->describe(), QStringLiteral("fixed"));
    EXPECT_TRUE(tapped->finished());
    const AgentMetrics m = c.snapshot(Clock::now());
    ASSERT_EQ(m.sessions.size(), 1u);
    EXPECT_EQ(m.sessions[0].usedBytes, 64u);
}

TEST(MetricsCollector, CompactionKeepsTheFiguresAndCountsEveryErrorOnce)
{
    // 1,500 errors long before the full-detail minute: compaction keeps the
    // newest 1,000 events, and the counts must neither lose nor repeat any.
    MetricsCollector c;
    c.observe(started("long", "psp"), t0);
    for (int i = 0; i < 1500; ++i) {
        ErrorMsg e;
        e.sessionId = "long";
        e.code = MemoryErrorCode::AllocationFailed;
        e.message = "no";
        e.timestamp = 1000 + i;
        c.observe(Message{e, {}, {}}, t0);
    }
    c.observe(alloc("long", "a", 4096, StandardPurpose::WasmLinear, 600'000), t0); // ten minutes on
    const SessionMetrics before = c.snapshot(t0).sessions.at(0);
    c.sweep(t0 + 61s); // a minute since the session began: compacted now
    const SessionMetrics after = c.snapshot(t0 + 61s).sessions.at(0);
    EXPECT_EQ(after.usedBytes, before.usedBytes);
    EXPECT_EQ(after.peakBytes, before.peakBytes);
    EXPECT_EQ(after.allocations, before.allocations);
    ASSERT_EQ(after.errors.size(), 1u);
    EXPECT_EQ(after.errors[0].count, 1500u);
    ErrorMsg one;
    one.sessionId = "long";
    one.code = MemoryErrorCode::AllocationFailed;
    one.message = "again";
    one.timestamp = 600'001;
    c.observe(Message{one, {}, {}}, t0 + 62s);
    EXPECT_EQ(c.snapshot(t0 + 62s).sessions.at(0).errors.at(0).count, 1501u);
    EXPECT_EQ(purpose(c.snapshot(t0 + 62s).sessions.at(0), "wasm-linear")->activeAllocations, 1u);
}
