// SPDX-License-Identifier: MIT
// Report-only figures pinned to values worked out by hand, never computed by
// the code under test, and boundaries hit exactly (thresholds and budgets that
// are exact in binary), so an operator or a rank slip fails a test.
//
// The session (report_test_session.h, times in ms, total 1000 bytes):
//   used:     [0,100) 500  [100,400) 700  [400,1000) 850  [1000,1200) 950  [1200,1500) 850  [1500,2000] 700
//   vm-heap:  [0,400) 500  [400,1500) 650  [1500,2000] 500
//   asset:    [0,100) 0    [100,2000] 200
//   temporary:[1000,1200) 100, else 0
// The average and p95 sample 2000 midpoints of [0, 2000]: t = 0, 1, ..., 1999,
// one per millisecond, so each figure is a count of milliseconds.

#include "reports/report_data.h"

#include "analytics/pressure_durations.h"
#include "budgets/budget_verdict.h"

#include "report_test_session.h"
#include "test_sessions.h"

#include <gtest/gtest.h>

using namespace flight;
using namespace flight::reports;

namespace {

const PurposeFigures& figuresOf(const SessionReport& r, StandardPurpose p)
{
    for (const PurposeFigures& f : r.purposes)
        if (f.purpose == MemoryPurpose(p))
            return f;
    ADD_FAILURE() << "no figures for purpose " << static_cast<int>(p);
    static const PurposeFigures none;
    return none;
}

} // namespace

TEST(ReportFiguresPinned, PerPurposeAverageAndP95)
{
    const SessionModel m = reportTestSession();
    const SessionReport r = collectSession(m, {});
    // vm-heap: (500*400 + 650*1100 + 500*500) / 2000 = 1,165,000 / 2000 = 582.5, rounded half away: 583.
    EXPECT_EQ(figuresOf(r, StandardPurpose::VmHeap).averageBytes, 583u);
    // Sorted: 900 samples of 500, 1100 of 650; nearest rank 1900 (index 1899) is 650.
    EXPECT_EQ(figuresOf(r, StandardPurpose::VmHeap).p95Bytes, 650u);
    // asset-cache: 200 * 1900 / 2000 = 190; the 1900th smallest sample is 200.
    EXPECT_EQ(figuresOf(r, StandardPurpose::AssetCache).averageBytes, 190u);
    EXPECT_EQ(figuresOf(r, StandardPurpose::AssetCache).p95Bytes, 200u);
    EXPECT_EQ(figuresOf(r, StandardPurpose::AssetCache).peakBytes, 200u);
    EXPECT_EQ(figuresOf(r, StandardPurpose::AssetCache).endBytes, 200u);
    // temporary: 100 * 200 / 2000 = 10. 1800 samples of 0, then 200 of 100:
    // index 1899 is exactly inside the 100s (a rank one lower would still be
    // 100, index 1799 would be 0), so the p95 is 100.
    EXPECT_EQ(figuresOf(r, StandardPurpose::Temporary).averageBytes, 10u);
    EXPECT_EQ(figuresOf(r, StandardPurpose::Temporary).p95Bytes, 100u);
}

TEST(ReportFiguresPinned, APurposeP95BelowItsPeak)
{
    // vm-heap: 10 MB throughout, 100 MB for the last 4 % of [0, 10000] ms (80 of
    // the 2000 midpoint samples): the p95 is 10 MB, the peak 100 MB.
    const SessionModel m = flight::test::spikeSession(10ull << 20, 90ull << 20, 9600, 10000);
    const SessionReport r = collectSession(m, {});
    EXPECT_EQ(figuresOf(r, StandardPurpose::VmHeap).p95Bytes, 10ull << 20);
    EXPECT_EQ(figuresOf(r, StandardPurpose::VmHeap).peakBytes, 100ull << 20);
}

TEST(ReportFiguresPinned, AConstantPurposesAverageIsItsValue)
{
    // 1,000,000 B of vm-heap for the whole session: the average of the 2000
    // samples is exactly 1,000,000 (a divisor of 1999 would give 1,000,500).
    SessionModel m(SessionInfo{"s", "custom", "", 1ull << 30, {}, 0});
    ASSERT_TRUE(m.recordAllocation("a", 1'000'000, MemoryPurpose(StandardPurpose::VmHeap), 0).has_value());
    m.addMarker(10000, "end");
    const SessionReport r = collectSession(m, {});
    EXPECT_EQ(figuresOf(r, StandardPurpose::VmHeap).averageBytes, 1'000'000u);
    EXPECT_EQ(figuresOf(r, StandardPurpose::VmHeap).p95Bytes, 1'000'000u);
}

TEST(ReportFiguresPinned, RangeFigures)
{
    const SessionModel m = reportTestSession();
    ReportOptions o;
    o.rangeFromSeconds = 0.5; // [500, 1500]
    o.rangeToSeconds = 1.5;
    const SessionReport r = collectSession(m, o);
    EXPECT_EQ(r.fromMs, 500);
    EXPECT_EQ(r.toMs, 1500);
    // used over [500,1500]: 850 for 500 ms, 950 for 200, 850 for 300 (the free at 1500 ends it at 700).
    EXPECT_EQ(r.peakBytes, 950u);
    EXPECT_EQ(r.peakAtMs, 1000);
    EXPECT_EQ(r.endBytes, 700u);
    // (850*500 + 950*200 + 850*300) / 1000 = 870.
    EXPECT_EQ(r.averageBytes, 870u);
    // Samples at 500.25, 500.75, ... truncated: 500, 500, 501, ... every ms twice;
    // 1600 of 850 and 400 of 950: index 1899 is 950.
    EXPECT_EQ(r.p95Bytes, 950u);
    EXPECT_EQ(r.allocationsInRange, 1u); // d at 1000
    EXPECT_EQ(r.freesInRange, 2u);       // d at 1200, c at 1500
    // vm-heap is 650 all range long until the free at its end.
    EXPECT_EQ(figuresOf(r, StandardPurpose::VmHeap).peakBytes, 650u);
    EXPECT_EQ(figuresOf(r, StandardPurpose::VmHeap).endBytes, 500u);
    EXPECT_EQ(figuresOf(r, StandardPurpose::VmHeap).averageBytes, 650u);
}

TEST(ReportFiguresPinned, PressureDurationsAtExactThresholds)
{
    // 0.5, 0.75 and 0.875 are exact in binary: used 500 of 1000 is exactly at
    // the medium threshold and must count as medium (a level is reached at its
    // threshold), 850 is high (< 875), 950 critical.
    SessionModel m = reportTestSession();
    m.setThresholds({0.5, 0.75, 0.875});
    const SessionReport r = collectSession(m, {});
    EXPECT_EQ(r.pressureMs[static_cast<int>(MemoryPressure::Low)], 0);
    EXPECT_EQ(r.pressureMs[static_cast<int>(MemoryPressure::Medium)], 100 + 300 + 500); // 500 and 700
    EXPECT_EQ(r.pressureMs[static_cast<int>(MemoryPressure::High)], 600 + 300);         // 850
    EXPECT_EQ(r.pressureMs[static_cast<int>(MemoryPressure::Critical)], 200);           // 950
    EXPECT_EQ(r.endPressure, MemoryPressure::Medium);

    const PressureDurations d = computePressureDurations(m);
    EXPECT_EQ(d.ms[static_cast<int>(MemoryPressure::Low)], 0);
    EXPECT_EQ(d.ms[static_cast<int>(MemoryPressure::Medium)], 900);
    EXPECT_EQ(d.ms[static_cast<int>(MemoryPressure::High)], 900);
    EXPECT_EQ(d.ms[static_cast<int>(MemoryPressure::Critical)], 200);

    // One byte under each threshold is the level below.
    EXPECT_EQ(computePressure(499, 1000, {0.5, 0.75, 0.875}), MemoryPressure::Low);
    EXPECT_EQ(computePressure(500, 1000, {0.5, 0.75, 0.875}), MemoryPressure::Medium);
    EXPECT_EQ(computePressure(749, 1000, {0.5, 0.75, 0.875}), MemoryPressure::Medium);
    EXPECT_EQ(computePressure(750, 1000, {0.5, 0.75, 0.875}), MemoryPressure::High);
    EXPECT_EQ(computePressure(874, 1000, {0.5, 0.75, 0.875}), MemoryPressure::High);
    EXPECT_EQ(computePressure(875, 1000, {0.5, 0.75, 0.875}), MemoryPressure::Critical);
}

TEST(ReportFiguresPinned, BudgetFitsExactlyAtItsLimit)
{
    const SessionModel m = reportTestSession();
    // Peak: used 950, vm-heap 650, asset-cache 200, temporary 100.
    Budget exact{"exact", "custom", 950,
                 {{MemoryPurpose(StandardPurpose::VmHeap), 650}, {MemoryPurpose(StandardPurpose::AssetCache), 200}},
                 "test"};
    const SessionUsage peak = sessionUsage(m, UsagePoint::Peak);
    BudgetVerdict v = evaluateBudget(peak, exact);
    EXPECT_TRUE(v.totalFits);
    EXPECT_TRUE(v.fits);
    EXPECT_EQ(v.headroomBytes, 0);
    for (const PurposeVerdict& pv : v.purposes) {
        EXPECT_TRUE(pv.fits) << pv.purpose.name();
        if (pv.budgetBytes) {
            EXPECT_EQ(pv.headroomBytes, 0) << pv.purpose.name();
        }
    }

    // One byte less anywhere and it does not fit, by exactly one byte.
    Budget tightTotal = exact;
    tightTotal.totalBytes = 949;
    v = evaluateBudget(peak, tightTotal);
    EXPECT_FALSE(v.totalFits);
    EXPECT_FALSE(v.fits);
    EXPECT_EQ(v.headroomBytes, -1);

    Budget tightHeap = exact;
    tightHeap.purposes[0].bytes = 649;
    v = evaluateBudget(peak, tightHeap);
    EXPECT_TRUE(v.totalFits);
    EXPECT_FALSE(v.fits);
    bool sawHeap = false;
    for (const PurposeVerdict& pv : v.purposes)
        if (pv.purpose == MemoryPurpose(StandardPurpose::VmHeap)) {
            sawHeap = true;
            EXPECT_FALSE(pv.fits);
            EXPECT_EQ(pv.headroomBytes, -1);
            EXPECT_EQ(pv.usedBytes, 650u);
        }
    EXPECT_TRUE(sawHeap);

    // At the end: used 700 (vm-heap 500, asset-cache 200); p95: 950 in total.
    const SessionUsage end = sessionUsage(m, UsagePoint::End);
    EXPECT_EQ(end.totalBytes, 700u);
    EXPECT_EQ(end.byPurpose[MemoryPurpose(StandardPurpose::VmHeap)], 500);
    const SessionUsage p95 = sessionUsage(m, UsagePoint::P95);
    EXPECT_EQ(p95.totalBytes, 950u);
    EXPECT_EQ(p95.byPurpose[MemoryPurpose(StandardPurpose::Temporary)], 100);
}
