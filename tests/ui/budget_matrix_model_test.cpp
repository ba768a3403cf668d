#include "budget_matrix_model.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>

using namespace flight;
using namespace flight::ui;

TEST(BudgetMatrixModel, EveryPlatformSideBySideUnderTheTester)
{
    SessionModel m(SessionInfo{"title", "vita", "", 512ull << 20, {}, 0});
    const auto asset = MemoryPurpose(StandardPurpose::AssetCache);
    ASSERT_TRUE(m.recordAllocation("tex", 33ull << 20, asset, 0).has_value());
    ASSERT_TRUE(m.recordAllocation("code", 1ull << 20, MemoryPurpose(StandardPurpose::JitCodeCache), 5).has_value());

    BudgetMatrixModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setBudgets(builtinBudgets());
    model.setSession(&m, UsagePoint::Peak);
    ASSERT_EQ(model.columnCount(), 7);
    // Total, then every purpose used or budgeted: the eight standard ones here.
    ASSERT_EQ(model.rowCount(), 1 + 8);

    int pspColumn = -1;
    for (int c = 0; c < model.columnCount(); ++c)
        if (model.headerData(c, Qt::Horizontal).toString().startsWith(QStringLiteral("PSP (default)")))
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
