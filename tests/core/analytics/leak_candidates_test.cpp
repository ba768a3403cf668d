// SPDX-License-Identifier: MIT
// One definition of a leak candidate (allocated in the range, never freed):
// the allocations table's query and the report data every format and the PDF
// are written from count the same allocations for the same range of a real
// sample, and allocations made before the range are not among them.
#include "analytics/allocation_query.h"
#include "analytics/leak_candidates.h"
#include "reports/report_data.h"

#include "protocol/session_store.h"

#include <gtest/gtest.h>

using namespace flight;

TEST(LeakCandidates, TheDefinition)
{
    EXPECT_TRUE(isLeakCandidate(10, false, 10, 20));
    EXPECT_TRUE(isLeakCandidate(20, false, 10, 20));
    EXPECT_FALSE(isLeakCandidate(9, false, 10, 20));  // before the range: its starting state
    EXPECT_FALSE(isLeakCandidate(21, false, 10, 20)); // after it
    EXPECT_FALSE(isLeakCandidate(15, true, 10, 20));  // freed, even after the range
}

TEST(LeakCandidates, TheAllocationsQueryAndTheReportAgreeOnARangeOfTheV6rSample)
{
    protocol::SessionStore store;
    const auto read = protocol::loadRecording(FLIGHT_SOURCE_DIR "/resources/recordings/v6r-small.jsonl.zst", store);
    ASSERT_FALSE(read.ioError.has_value());
    const SessionModel& s = store.session(0);
    const std::int64_t from = s.firstMs() + (s.lastMs() - s.firstMs()) / 4;
    const std::int64_t to = s.firstMs() + (s.lastMs() - s.firstMs()) * 3 / 4;

    AllocationFilter filter;
    filter.mode = AllocationFilter::Mode::LeakCandidates;
    filter.fromMs = from;
    filter.toMs = to;
    const auto rows = buildAllocationRows(s);
    const AllocationQueryResult window = runAllocationQuery(rows, s, filter, AllocationColumn::Size, false);

    reports::ReportOptions options;
    options.rangeFromSeconds = static_cast<double>(from - s.firstMs()) / 1000.0;
    options.rangeToSeconds = static_cast<double>(to - s.firstMs()) / 1000.0;
    const reports::SessionReport report = reports::collectSession(s, options);
    ASSERT_EQ(report.fromMs, from);
    ASSERT_EQ(report.toMs, to);

    EXPECT_EQ(report.leakCandidateCount, window.rows.size());
    EXPECT_EQ(report.leakCandidateBytes, window.totalBytes);
    EXPECT_EQ(report.leakCandidateCount, 65u);
    // The report's top list is the window's largest rows, in the same order.
    ASSERT_EQ(report.leakCandidates.size(), std::min<std::size_t>(window.rows.size(), reports::kTopAllocations));
    for (std::size_t i = 0; i < report.leakCandidates.size(); ++i) {
        EXPECT_EQ(report.leakCandidates[i].size.bytes, rows[window.rows[i]].bytes) << i;
        EXPECT_GE(report.leakCandidates[i].allocatedAt, from) << i;
    }
    // Never freed allocations from before the range exist, and neither counts them.
    std::uint64_t before = 0;
    for (const AllocationRow& r : rows)
        before += !r.freed() && r.allocatedAt < from ? 1 : 0;
    EXPECT_GT(before, 0u);
}
