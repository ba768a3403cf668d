// SPDX-License-Identifier: MIT
// Budgets › Add Budget File… with a truncated JSON file, through the real
// window: the page says why (the file, the line and column,
// the reason, as `report --budgets` prints it) and adds no column.
#include "load_for_test.h"

#include "models/budget_matrix_model.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "views/budgets_page.h"
#include "window/main_window.h"

#include "budgets/budget.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>

using namespace flight;
using namespace flight::ui;
using flight::uitest::clickTab;

TEST(BudgetFileError, ATruncatedBudgetFileSaysWhereAndWhyAndAddsNoColumn)
{
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("truncated.json"));
    {
        QFile f(file);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("{\n  \"name\": \"Handheld\",\n  \"platform\": \"psp\",\n  \"total\": \"24MB\",\n  \"purposes\": {\n    \"vm-heap\": \"8MB\",\n");
    }
    // What the command line says about the same file.
    const auto cli = loadBudgetFile(file.toStdString());
    ASSERT_FALSE(cli.has_value());
    EXPECT_EQ(cli.error().message.rfind(file.toStdString() + ": line 7, column 1: ", 0), 0u) << cli.error().message;

    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("psp")}, {1200, 800}));
    clickTab(w, QStringLiteral("Budgets"));
    BudgetsPage* page = w.findChild<BudgetsPage*>();
    ASSERT_NE(page, nullptr);
    ASSERT_TRUE(page->isVisible());
    const int columns = page->model()->columnCount();
    EXPECT_TRUE(page->errorLabel()->isHidden());

    QSignalSpy failed(page, &BudgetsPage::budgetFileFailed);
    // What Add Budget File… does with the name chosen in its file dialog (driving the
    // dialog itself hangs when this test runs alone on the offscreen platform).
    page->addBudgetFile(file);
    ASSERT_TRUE(failed.count() > 0 || failed.wait(10000));

    EXPECT_TRUE(page->errorLabel()->isVisible());
    EXPECT_EQ(page->errorLabel()->text(), QStringLiteral("No budget added. ") + QString::fromStdString(cli.error().message));
    EXPECT_TRUE(page->errorLabel()->text().contains(QStringLiteral("line 7, column 1")));
    EXPECT_EQ(page->model()->columnCount(), columns);
    QStandardPaths::setTestModeEnabled(false);
}
