// SPDX-License-Identifier: MIT
// Allocations table: the model under QAbstractItemModelTester with a large
// session (the worker-side query is tested in tests/core/analytics).
#include "models/allocation_table_model.h"

#include "test_sessions.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <random>

using namespace flight;
using namespace flight::ui;

using flight::test::churnSession;

TEST(AllocationTableModel, AMillionRowsUnderTheTester)
{
    const SessionModel m = churnSession(1'000'000);
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
