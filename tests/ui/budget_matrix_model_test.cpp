// SPDX-License-Identifier: MIT
#include "models/budget_matrix_model.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>

using namespace flight;
using namespace flight::ui;

namespace {
// 33 MB of asset cache and 1 MB of JIT code: over on Dreamcast, PSP-1000 and PSP.
void addAssetsAndCode(SessionModel& m)
{
    ASSERT_TRUE(m.recordAllocation("tex", 33ull << 20, MemoryPurpose(StandardPurpose::AssetCache), 0).has_value());
    ASSERT_TRUE(m.recordAllocation("code", 1ull << 20, MemoryPurpose(StandardPurpose::JitCodeCache), 5).has_value());
}
} // namespace

TEST(BudgetMatrixModel, EveryPlatformSideBySideUnderTheTester)
{
    SessionModel m(SessionInfo{"title", "vita", "", 512ull << 20, {}, 0});
    ASSERT_NO_FATAL_FAILURE(addAssetsAndCode(m));

    BudgetMatrixModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setBudgets(builtinBudgets());
    model.setSession(&m, UsagePoint::Peak);
    ASSERT_EQ(model.columnCount(), 7);
    // Total, then every purpose used or budgeted: the eight standard ones here.
    ASSERT_EQ(model.rowCount(), 1 + 8);

    int pspColumn = -1;
    for (int c = 0; c < model.columnCount(); ++c)
        if (model.headerData(c, Qt::Horizontal).toString().startsWith(QStringLiteral("PSP\n(default)\n")))
            pspColumn = c;
    ASSERT_GE(pspColumn, 0);
    EXPECT_TRUE(model.headerData(pspColumn, Qt::Horizontal).toString().contains(QStringLiteral("OVER")));
    // Asset cache is purpose id 2: row 3 (after Total).
    EXPECT_EQ(model.headerData(3, Qt::Vertical).toString(), QStringLiteral("Asset cache"));
    const QModelIndex cell = model.index(3, pspColumn);
    EXPECT_FALSE(model.data(cell, BudgetMatrixModel::FitsRole).toBool());
    EXPECT_EQ(model.data(cell, BudgetMatrixModel::HeadroomRole).toLongLong(), -(9ll << 20));
    EXPECT_EQ(model.data(cell).toString(), QStringLiteral("33.0MB / 24.0MB\n9.0MB over"));
    EXPECT_TRUE(model.data(model.index(0, pspColumn), BudgetMatrixModel::FitsRole).toBool()); // 34 MB of 64 MB
    EXPECT_TRUE(model.summary().contains(QStringLiteral("PSP (default) (asset-cache 9.0MB over)")));
    EXPECT_TRUE(model.summary().contains(QStringLiteral("Dreamcast (default) (total 18.0MB over")));

    model.setSession(nullptr, UsagePoint::Peak);
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(BudgetMatrixModel, HeadlineSaysHowManyAreOverTheWorstAndTheNearestMissInOneLine)
{
    SessionModel m(SessionInfo{"title", "vita", "", 512ull << 20, {}, 0});
    ASSERT_NO_FATAL_FAILURE(addAssetsAndCode(m));

    BudgetMatrixModel model;
    model.setBudgets(builtinBudgets());
    model.setSession(&m, UsagePoint::Peak);
    int over = 0;
    for (const auto& v : model.verdicts())
        over += v.fits ? 0 : 1;
    ASSERT_GE(over, 2);
    const QString headline = model.headline();
    EXPECT_FALSE(headline.contains(QLatin1Char('\n')));
    EXPECT_TRUE(headline.startsWith(QStringLiteral("Would not fit on %1 of 7 budgets; ").arg(over))) << headline.toStdString();
    // Dreamcast (16 MB) is the furthest off: its asset-cache budget (6 MB) is 27 MB short.
    EXPECT_TRUE(headline.contains(QStringLiteral("worst: Dreamcast (default), asset-cache 27.0MB over"))) << headline.toStdString();
    // PSP misses only by its asset-cache, 9 MB: the nearest miss.
    EXPECT_TRUE(headline.contains(QStringLiteral("nearest miss: PSP (default), asset-cache 9.0MB over"))) << headline.toStdString();
    // The full list, one budget a line, is what the tooltip shows.
    EXPECT_EQ(model.summary().count(QLatin1Char('\n')), over);
}

TEST(BudgetMatrixModel, HeadlineForASingleBudgetOverNamesItsLargestOverage)
{
    // 1.5 MB of VM heap and 768 KB of JIT code: over Dreamcast's 1 MB and 512 KB only.
    SessionModel m(SessionInfo{"title", "vita", "", 512ull << 20, {}, 0});
    ASSERT_TRUE(m.recordAllocation("heap", 1536ull << 10, MemoryPurpose(StandardPurpose::VmHeap), 0).has_value());
    ASSERT_TRUE(m.recordAllocation("jit", 768ull << 10, MemoryPurpose(StandardPurpose::JitCodeCache), 1).has_value());
    BudgetMatrixModel model;
    model.setBudgets(builtinBudgets());
    model.setSession(&m, UsagePoint::Peak);
    EXPECT_EQ(model.headline(), QStringLiteral("Would not fit on Dreamcast (default): vm-heap 512.0KB over and 1 more over"));
    EXPECT_EQ(model.summary(), QStringLiteral("Would not fit:\nDreamcast (default) (vm-heap 512.0KB over, jit-code-cache 256.0KB over)"));
}
