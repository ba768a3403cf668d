// SPDX-License-Identifier: MIT
// The event list of a session: conformance vectors through the real reader,
// counts per kind, line numbers and times; pressure transitions on a known series.
#include "analytics/session_events.h"

#include "protocol/session_store.h"

#include <gtest/gtest.h>

using namespace flight;

namespace {

std::unique_ptr<protocol::SessionStore> load(const std::string& name)
{
    auto store = std::make_unique<protocol::SessionStore>();
    const auto r = protocol::loadRecording(std::string(FLIGHT_TEST_DATA "/conformance/") + name, *store);
    EXPECT_FALSE(r.ioError.has_value());
    return store;
}

std::vector<std::uint64_t> linesOf(const std::vector<EventLogEntry>& events, EventLogKind kind)
{
    std::vector<std::uint64_t> lines;
    for (const auto& e : events)
        if (e.kind == kind)
            lines.push_back(e.line);
    return lines;
}

} // namespace

TEST(SessionEvents, BadInputHasEveryProblemWithItsLineInTimeOrder)
{
    const auto store = load("bad-input.jsonl");
    ASSERT_EQ(store->sessionCount(), 1u);
    const SessionModel& s = store->session(0);
    const auto events = collectSessionEvents(s, store.get());
    const auto counts = countByKind(events);
    EXPECT_EQ(counts[static_cast<int>(EventLogKind::DecodeError)], 8u);
    EXPECT_EQ(counts[static_cast<int>(EventLogKind::Error)], 2u);
    EXPECT_EQ(counts[static_cast<int>(EventLogKind::Warning)], 2u);
    EXPECT_EQ(counts[static_cast<int>(EventLogKind::Marker)], 0u);
    EXPECT_EQ(linesOf(events, EventLogKind::DecodeError), (std::vector<std::uint64_t>{2, 4, 5, 6, 7, 13, 14, 15}));
    EXPECT_EQ(linesOf(events, EventLogKind::Error), (std::vector<std::uint64_t>{8, 10}));
    EXPECT_EQ(linesOf(events, EventLogKind::Warning), (std::vector<std::uint64_t>{11, 12}));
    for (std::size_t i = 1; i < events.size(); ++i)
        EXPECT_LE(events[i - 1].timeMs, events[i].timeMs);
    // A refused line sits where the stream was: line 2 at the start, line 13 after line 11's allocation.
    for (const auto& e : events) {
        if (e.line == 2) {
            EXPECT_EQ(e.timeMs, 1764000000000);
        }
        if (e.line == 13) {
            EXPECT_EQ(e.timeMs, 1764000000009);
        }
        if (e.line == 8) {
            EXPECT_EQ(e.code, MemoryErrorCode::InvalidAllocation);
            EXPECT_EQ(e.timeMs, 1764000000006);
        }
        if (e.line == 10) {
            EXPECT_EQ(e.code, MemoryErrorCode::AlreadyFreed);
        }
        EXPECT_EQ(e.text.rfind("line ", 0), std::string::npos) << e.text; // the line is its own field
    }
}

TEST(SessionEvents, ReportedErrorLimitCrossingAndMarkers)
{
    const auto go = load("go-snake.jsonl");
    const auto events = collectSessionEvents(go->session(0), go.get());
    const auto counts = countByKind(events);
    EXPECT_EQ(counts[static_cast<int>(EventLogKind::Error)], 1u);
    EXPECT_EQ(counts[static_cast<int>(EventLogKind::Limit)], 1u); // above the soft limit, below the hard one
    EXPECT_EQ(counts[static_cast<int>(EventLogKind::DecodeError)], 0u);
    for (const auto& e : events)
        if (e.kind == EventLogKind::Error) {
            EXPECT_EQ(e.code, MemoryErrorCode::LimitExceeded);
            EXPECT_EQ(e.line, 5u);
        }
    const auto ts = load("ts-camel.jsonl");
    EXPECT_EQ(countByKind(collectSessionEvents(ts->session(0), ts.get()))[static_cast<int>(EventLogKind::Marker)], 1u);
}

TEST(SessionEvents, PressureTransitionsFollowTheUsedSeries)
{
    SessionModel m(SessionInfo{"s", "custom", "", 1000, {}, 0});
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    ASSERT_TRUE(m.recordAllocation("a", 500, heap, 0).has_value());    // low
    ASSERT_TRUE(m.recordAllocation("b", 200, heap, 100).has_value());  // medium
    ASSERT_TRUE(m.recordAllocation("c", 150, heap, 400).has_value());  // high
    ASSERT_TRUE(m.recordAllocation("d", 100, heap, 1000).has_value()); // critical
    ASSERT_TRUE(m.recordFree("d", 1200).has_value());                   // high
    ASSERT_TRUE(m.recordFree("c", 1500).has_value());                   // medium
    const auto events = collectSessionEvents(m);
    std::vector<std::pair<std::int64_t, MemoryPressure>> seen;
    for (const auto& e : events)
        if (e.kind == EventLogKind::Pressure)
            seen.emplace_back(e.timeMs, *e.pressure);
    EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, MemoryPressure>>{{100, MemoryPressure::Medium},
                                                                          {400, MemoryPressure::High},
                                                                          {1000, MemoryPressure::Critical},
                                                                          {1200, MemoryPressure::High},
                                                                          {1500, MemoryPressure::Medium}}));
}

TEST(SessionEvents, ChangesWithinOneMillisecondAreOneStep)
{
    // Up to critical and back to low in the same millisecond: no transition at all;
    // up to high and back to medium in one: one step, low -> medium.
    SessionModel m(SessionInfo{"s", "custom", "", 1000, {}, 0});
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    ASSERT_TRUE(m.recordAllocation("a", 100, heap, 0).has_value());   // low
    ASSERT_TRUE(m.recordAllocation("b", 900, heap, 100).has_value()); // critical...
    ASSERT_TRUE(m.recordFree("b", 100).has_value());                  // ...and low again, at 100
    ASSERT_TRUE(m.recordAllocation("c", 800, heap, 200).has_value()); // high...
    ASSERT_TRUE(m.recordFree("c", 200).has_value());
    ASSERT_TRUE(m.recordAllocation("d", 600, heap, 200).has_value()); // ...medium, at 200
    std::vector<std::pair<std::int64_t, MemoryPressure>> seen;
    for (const auto& e : collectSessionEvents(m))
        if (e.kind == EventLogKind::Pressure)
            seen.emplace_back(e.timeMs, *e.pressure);
    EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, MemoryPressure>>{{200, MemoryPressure::Medium}}));
}
