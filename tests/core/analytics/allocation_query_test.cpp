// SPDX-License-Identifier: MIT
// The allocations table's worker-side query (filter, sort, totals) against brute force.
#include "analytics/allocation_query.h"

#include "test_sessions.h"

#include <gtest/gtest.h>

#include <random>

using namespace flight;

using flight::test::churnSession;

TEST(AllocationQuery, FiltersMatchBruteForce)
{
    const SessionModel m = churnSession(200'000);
    const auto rows = buildAllocationRows(m);
    ASSERT_EQ(rows.size(), 200'000u);

    AllocationFilter live;
    live.mode = AllocationFilter::Mode::LiveAt;
    live.atMs = 100'000;
    auto r = runAllocationQuery(rows, m, live, AllocationColumn::Size, false);
    EXPECT_EQ(r.rows.size(), m.listAllocationsAt(100'000).size());
    for (std::size_t i = 1; i < r.rows.size(); ++i)
        ASSERT_GE(rows[r.rows[i - 1]].bytes, rows[r.rows[i]].bytes); // sorted by size, descending
    std::uint64_t sum = 0;
    for (const auto& a : m.listAllocationsAt(100'000))
        sum += a.size.bytes;
    EXPECT_EQ(r.totalBytes, sum);
    EXPECT_EQ(r.totals.total(), static_cast<std::int64_t>(sum));

    AllocationFilter leaks;
    leaks.mode = AllocationFilter::Mode::LeakCandidates;
    leaks.fromMs = 1000;
    leaks.toMs = 1999;
    leaks.purpose = 2;
    r = runAllocationQuery(rows, m, leaks, AllocationColumn::AllocatedAt, true);
    std::size_t expected = 0;
    for (int i = 1000; i <= 1999; ++i)
        expected += (i % 4 == 2 && !(i + 500 < 200'000 && i % 3 == 0)) ? 1 : 0;
    EXPECT_EQ(r.rows.size(), expected);
    for (std::size_t i = 1; i < r.rows.size(); ++i)
        ASSERT_LT(rows[r.rows[i - 1]].allocatedAt, rows[r.rows[i]].allocatedAt);

    AllocationFilter text;
    text.text = QStringLiteral("ID-1999");
    r = runAllocationQuery(rows, m, text, AllocationColumn::Id, true);
    // id-1999 and id-19990..id-19999 and id-199900..id-199999
    EXPECT_EQ(r.rows.size(), 1u + 10u + 100u);
}
