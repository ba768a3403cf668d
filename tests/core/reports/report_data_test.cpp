// SPDX-License-Identifier: MIT
#include "reports/report_data.h"

#include "report_test_session.h"

#include <gtest/gtest.h>

using namespace flight;
using namespace flight::reports;

TEST(ReportData, WholeSessionFigures)
{
    const SessionModel m = reportTestSession();
    const SessionReport r = collectSession(m, {});
    EXPECT_EQ(r.fromMs, 0);
    EXPECT_EQ(r.toMs, 2000);
    EXPECT_EQ(r.endBytes, 700u);
    EXPECT_EQ(r.peakBytes, 950u);
    EXPECT_EQ(r.peakAtMs, 1000);
    // (500*100 + 700*300 + 850*600 + 950*200 + 850*300 + 700*500) / 2000
    EXPECT_EQ(r.averageBytes, 782u);
    EXPECT_EQ(r.p95Bytes, 950u); // 950 is held 10 % of the time
    EXPECT_EQ(r.pressureMs[0], 100);
    EXPECT_EQ(r.pressureMs[1], 800);
    EXPECT_EQ(r.pressureMs[2], 900);
    EXPECT_EQ(r.pressureMs[3], 200);
    EXPECT_EQ(r.endPressure, MemoryPressure::Medium);

    ASSERT_EQ(r.purposes.size(), 3u);
    EXPECT_EQ(r.purposes[0].purpose, MemoryPurpose(StandardPurpose::VmHeap));
    EXPECT_EQ(r.purposes[0].peakBytes, 650u);
    EXPECT_EQ(r.purposes[0].endBytes, 500u);
    EXPECT_NEAR(static_cast<double>(r.purposes[0].averageBytes), 582.5, 1.0);
    EXPECT_EQ(r.purposes[2].purpose, MemoryPurpose(StandardPurpose::Temporary));
    EXPECT_EQ(r.purposes[2].endBytes, 0u);
    EXPECT_EQ(r.purposes[2].peakBytes, 100u);

    ASSERT_EQ(r.largestAllocations.size(), 4u);
    EXPECT_EQ(r.largestAllocations[0].id, "a");
    EXPECT_EQ(r.largestAllocations[3].id, "d");
    ASSERT_EQ(r.leakCandidates.size(), 2u);
    EXPECT_EQ(r.leakCandidates[0].id, "a");
    EXPECT_EQ(r.leakCandidates[1].id, "b");
    EXPECT_EQ(r.leakCandidateCount, 2u);
    EXPECT_EQ(r.leakCandidateBytes, 700u);
    EXPECT_EQ(r.errorsByCode.at("invalid-allocation"), 1u);
    ASSERT_EQ(r.markers.size(), 1u);
    EXPECT_EQ(r.markers[0].label, "end");
}

TEST(ReportData, RangeAppliesToEveryFigure)
{
    const SessionModel m = reportTestSession();
    ReportOptions o;
    o.rangeFromSeconds = 0.5;
    o.rangeToSeconds = 1.3;
    const SessionReport r = collectSession(m, o);
    EXPECT_EQ(r.fromMs, 500);
    EXPECT_EQ(r.toMs, 1300);
    EXPECT_EQ(r.endBytes, 850u);
    EXPECT_EQ(r.peakBytes, 950u);
    EXPECT_EQ(r.pressureMs[0] + r.pressureMs[1], 0);
    EXPECT_EQ(r.pressureMs[2], 600);
    EXPECT_EQ(r.pressureMs[3], 200);
    EXPECT_EQ(r.largestAllocations.size(), 4u); // d (1000..1200) overlaps
    EXPECT_EQ(r.leakCandidateCount, 0u);        // a and b, never freed, were there before the range: not its leaks
    EXPECT_TRUE(r.errorsByCode.empty());         // the bad free is at 1600
    EXPECT_TRUE(r.markers.empty());
}

TEST(ReportData, PlatformLimitsAndHighlightsBudgets)
{
    const SessionModel m = reportTestSession();
    SessionReport all = collectSession(m, {});
    EXPECT_EQ(all.verdicts.size(), builtinBudgets().size());
    for (const auto& v : all.verdicts)
        EXPECT_FALSE(v.highlighted); // no shipped budget for "custom"
    ReportOptions o;
    o.platform = "PSP";
    const SessionReport psp = collectSession(m, o);
    ASSERT_FALSE(psp.verdicts.empty());
    for (const auto& v : psp.verdicts) {
        EXPECT_EQ(v.budget.platform, "psp");
        EXPECT_TRUE(v.highlighted);
        EXPECT_EQ(v.verdict.usedBytes, 950u); // at peak
        EXPECT_TRUE(v.verdict.fits);
    }
}

TEST(ReportData, ParseRange)
{
    auto r = parseRange("10..60");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->first, 10.0);
    EXPECT_EQ(r->second, 60.0);
    r = parseRange("2.5..");
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->second);
    const auto backwards = parseRange("60..10");
    ASSERT_FALSE(backwards);
    EXPECT_EQ(backwards.error().code, MemoryErrorCode::MalformedInput);
    EXPECT_NE(backwards.error().message.find("after its start"), std::string::npos);
    EXPECT_FALSE(parseRange("10-60"));
    EXPECT_FALSE(parseRange("a..b"));
}
