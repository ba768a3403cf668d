// SPDX-License-Identifier: MIT
#include "models/budget_matrix_model.h"
#include "views/budgets_page.h"

#include <gtest/gtest.h>

#include <QLabel>

using namespace flight;
using namespace flight::ui;

TEST(BudgetsPage, VerdictIsOneLineWithEveryOverageInItsTooltip)
{
    // 33 MB of asset cache and 1 MB of JIT code: over on Dreamcast, PSP-1000 and PSP.
    SessionModel m(SessionInfo{"title", "vita", "", 512ull << 20, {}, 0});
    ASSERT_TRUE(m.recordAllocation("tex", 33ull << 20, MemoryPurpose(StandardPurpose::AssetCache), 0).has_value());
    ASSERT_TRUE(m.recordAllocation("code", 1ull << 20, MemoryPurpose(StandardPurpose::JitCodeCache), 5).has_value());
    BudgetsPage page;
    page.resize(1240, 600);
    page.setSession(&m);
    const QLabel* verdict = page.verdictLabel();
    EXPECT_TRUE(verdict->text().contains(page.model()->headline().toHtmlEscaped())) << verdict->text().toStdString();
    int over = 0;
    for (const auto& v : page.model()->verdicts())
        over += v.fits ? 0 : 1;
    ASSERT_GE(over, 3); // the three shipped budgets, and any a user added that is smaller
    EXPECT_TRUE(verdict->text().contains(QStringLiteral("Would not fit on %1 of %2 budgets").arg(over).arg(page.model()->verdicts().size())))
        << verdict->text().toStdString();
    // Short enough for one line at the page's width.
    EXPECT_LT(verdict->fontMetrics().horizontalAdvance(page.model()->headline()), 1200);
    for (const auto& v : page.model()->verdicts()) {
        if (!v.fits) {
            EXPECT_TRUE(verdict->toolTip().contains(QStringLiteral("<li>%1 (").arg(QString::fromStdString(v.budget->name).toHtmlEscaped())))
                << v.budget->name << "\n" << verdict->toolTip().toStdString();
        }
    }

    page.setSession(nullptr);
    EXPECT_TRUE(verdict->text().isEmpty());
}
