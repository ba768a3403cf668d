// SPDX-License-Identifier: MIT
// Pressure changes as the Events view and the reports list them: a burst of
// flapping between two levels is one row that counts it, time per level still
// counts every change; the Dreamcast sample's flapping at 49 s, through the
// real reader, the event list and the report data.
#include "analytics/pressure_changes.h"
#include "analytics/pressure_durations.h"
#include "analytics/session_events.h"
#include "reports/report_data.h"

#include "protocol/session_store.h"

#include <gtest/gtest.h>

using namespace flight;

namespace {

const auto kHeap = MemoryPurpose(StandardPurpose::VmHeap);

std::vector<EventLogEntry> pressureEvents(const SessionModel& m)
{
    std::vector<EventLogEntry> out;
    for (auto& e : collectSessionEvents(m))
        if (e.kind == EventLogKind::Pressure)
            out.push_back(e);
    return out;
}

} // namespace

TEST(PressureChanges, ABurstBetweenTwoLevelsIsOneChangeThatCountsThem)
{
    // total 1000, medium at 70 %: up and down around it 5 times within 0.9 s, then a second away.
    SessionModel m(SessionInfo{"s", "custom", "", 1000, {}, 0});
    ASSERT_TRUE(m.recordAllocation("base", 650, kHeap, 0).has_value());                 // low
    ASSERT_TRUE(m.recordAllocation("x1", 100, kHeap, 1000).has_value());                 // medium
    ASSERT_TRUE(m.recordFree("x1", 1200).has_value());                                   // low
    ASSERT_TRUE(m.recordAllocation("x2", 100, kHeap, 1500).has_value());                 // medium
    ASSERT_TRUE(m.recordFree("x2", 1700).has_value());                                   // low
    ASSERT_TRUE(m.recordAllocation("x3", 100, kHeap, 1900).has_value());                 // medium
    ASSERT_TRUE(m.recordAllocation("x4", 150, kHeap, 3000).has_value());                 // high, 1.1 s later
    const std::vector<PressureChange> changes = collectPressureChanges(m);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0], (PressureChange{1000, 1900, MemoryPressure::Low, MemoryPressure::Medium, MemoryPressure::Medium, 5}));
    EXPECT_EQ(pressureChangeText(changes[0]), "pressure low ↔ medium ×5 in 900 ms, ending medium");
    EXPECT_EQ(changes[1], (PressureChange{3000, 3000, MemoryPressure::Medium, MemoryPressure::High, MemoryPressure::High, 1}));
    EXPECT_EQ(pressureChangeText(changes[1]), "pressure medium → high");

    // The Events list has the same two rows.
    const auto events = pressureEvents(m);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].timeMs, 1000);
    EXPECT_EQ(events[0].text, "pressure low ↔ medium ×5 in 900 ms, ending medium");
    EXPECT_EQ(events[0].pressureChanges, 5u);
    EXPECT_EQ(events[0].spanMs, 900);
    EXPECT_EQ(events[0].pressure, MemoryPressure::Medium);

    // Time per level counts every change: low 0..1000, 1200..1500, 1700..1900; medium the rest up to 3000.
    const PressureDurations d = computePressureDurations(m);
    EXPECT_EQ(d.ms[0], 1000 + 300 + 200);
    EXPECT_EQ(d.ms[1], 200 + 200 + 1100);
}

TEST(PressureChanges, TwoChangesOrAGapOfASecondAreNotABurst)
{
    SessionModel m(SessionInfo{"s", "custom", "", 1000, {}, 0});
    ASSERT_TRUE(m.recordAllocation("base", 650, kHeap, 0).has_value());
    ASSERT_TRUE(m.recordAllocation("spike", 100, kHeap, 100).has_value()); // a spike up and back: two rows
    ASSERT_TRUE(m.recordFree("spike", 300).has_value());
    ASSERT_TRUE(m.recordAllocation("a", 100, kHeap, 1300).has_value());    // exactly 1 s later: not the same burst
    ASSERT_TRUE(m.recordFree("a", 1400).has_value());
    const auto changes = collectPressureChanges(m);
    ASSERT_EQ(changes.size(), 4u);
    for (const auto& c : changes)
        EXPECT_EQ(c.changes, 1u);
    EXPECT_EQ(changes[2].timeMs, 1300);
}

TEST(PressureChanges, TheDreamcastSampleFlapsAt49SecondsAsOneRowAndReportsListTheSameRows)
{
    protocol::SessionStore store;
    const auto read = protocol::loadRecording(FLIGHT_SOURCE_DIR "/resources/recordings/dreamcast.jsonl.zst", store);
    ASSERT_FALSE(read.ioError.has_value());
    ASSERT_EQ(store.sessionCount(), 1u);
    const SessionModel& s = store.session(0);

    const std::vector<PressureChange> changes = collectPressureChanges(s);
    std::vector<PressureChange> bursts;
    for (const auto& c : changes)
        if (c.burst())
            bursts.push_back(c);
    // 56 changes in 14 rows: 11 bursts (3 to 11 changes each) and 3 single changes.
    std::size_t raw = 0;
    for (const auto& c : changes)
        raw += c.changes;
    EXPECT_EQ(raw, 56u);
    EXPECT_EQ(changes.size(), 14u);
    ASSERT_EQ(bursts.size(), 11u);
    const PressureChange& b = bursts[0];
    EXPECT_EQ(b.timeMs - s.firstMs(), 49'012);
    EXPECT_EQ(b.lastMs - s.firstMs(), 49'658);
    EXPECT_EQ(b.changes, 11u);
    EXPECT_EQ(b.from, MemoryPressure::Low);
    EXPECT_EQ(b.other, MemoryPressure::Medium);
    EXPECT_EQ(b.to, MemoryPressure::Medium);
    EXPECT_EQ(pressureChangeText(b), "pressure low ↔ medium ×11 in 646 ms, ending medium");

    // The Events view's rows are these.
    const auto events = pressureEvents(s);
    ASSERT_EQ(events.size(), changes.size());
    for (std::size_t i = 0; i < changes.size(); ++i) {
        EXPECT_EQ(events[i].timeMs, changes[i].timeMs) << i;
        EXPECT_EQ(events[i].text, pressureChangeText(changes[i])) << i;
    }

    // A report of the whole session lists the same rows. Time per level counts every
    // change, folded or not: the gauge's figures and the report's (which also counts
    // the 4 ms from session_started to the first allocation, at low).
    const reports::SessionReport r = reports::collectSession(s, {});
    EXPECT_EQ(r.pressureChanges, changes);
    EXPECT_EQ(computePressureDurations(s).ms, (std::array<std::int64_t, 4>{101'581, 45'924, 45'595, 43'624}));
    EXPECT_EQ(r.pressureMs, (std::array<std::int64_t, 4>{101'585, 45'924, 45'595, 43'624}));

    // A range starting inside the burst lists no burst: a change belongs to where it starts.
    reports::ReportOptions after;
    after.rangeFromSeconds = 49.5;
    const reports::SessionReport later = reports::collectSession(s, after);
    for (const auto& c : later.pressureChanges)
        EXPECT_GE(c.timeMs - s.firstMs(), 49'500);
}
