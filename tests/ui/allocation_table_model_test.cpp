// SPDX-License-Identifier: MIT
// Allocations table: the worker-side query against brute force, and the model
// under QAbstractItemModelTester with a large session.
#include "models/allocation_table_model.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <random>

using namespace flight;
using namespace flight::ui;

namespace {

// n allocations over n ms across four purposes; every third is freed 500 ms later.
SessionModel makeSession(int n)
{
    SessionModel m(SessionInfo{"s", "custom", "", 1ull << 40, {}, 0});
    std::mt19937 rng(42);
    for (int i = 0; i < n; ++i) {
        const auto purpose = MemoryPurpose::fromIndex(i % 4).value();
        EXPECT_TRUE(m.recordAllocation("id-" + std::to_string(i), 1 + rng() % 100000, purpose, i).has_value());
        if (i >= 500 && (i - 500) % 3 == 0) {
            EXPECT_TRUE(m.recordFree("id-" + std::to_string(i - 500), i).has_value());
        }
    }
    return m;
}

} // namespace

TEST(AllocationQuery, FiltersMatchBruteForce)
{
    const SessionModel m = makeSession(200'000);
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

TEST(AllocationTableModel, AMillionRowsUnderTheTester)
{
    const SessionModel m = makeSession(1'000'000);
    auto rows = std::make_shared<const std::vector<AllocationRow>>(buildAllocationRows(m));
    AllocationTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy done(&model, &AllocationTableModel::queryFinished);
    model.setSession(&m, rows);
    ASSERT_TRUE(done.wait(20000));
    EXPECT_EQ(model.rowCount(), 1'000'000);
    EXPECT_EQ(model.columnCount(), static_cast<int>(AllocationColumn::Count));

    model.sort(static_cast<int>(AllocationColumn::Size), Qt::DescendingOrder);
    ASSERT_TRUE(done.wait(20000));
    const auto first = model.data(model.index(0, static_cast<int>(AllocationColumn::Size)), AllocationTableModel::SortRole)
                           .toULongLong();
    const auto last = model.data(model.index(999'999, static_cast<int>(AllocationColumn::Size)), AllocationTableModel::SortRole)
                          .toULongLong();
    EXPECT_GE(first, last);
    EXPECT_EQ(first, 100'000u); // the largest size drawn (1 + rng() % 100000)

    AllocationFilter f;
    f.purpose = 0;
    model.setFilter(f);
    ASSERT_TRUE(done.wait(20000));
    EXPECT_EQ(model.rowCount(), 250'000);
    EXPECT_EQ(model.data(model.index(0, static_cast<int>(AllocationColumn::Purpose))).toString(), QStringLiteral("VM heap"));
}
