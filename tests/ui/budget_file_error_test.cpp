// SPDX-License-Identifier: MIT
// Budgets › Add Budget File… with a truncated JSON file, through the real
// window and its file dialog: the page says why (the file, the line and column,
// the reason, as `report --budgets` prints it) and adds no column.
#include "load_for_test.h"

#include "models/budget_matrix_model.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "views/budgets_page.h"
#include "window/main_window.h"

#include "budgets/budget.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace flight;
using namespace flight::ui;

namespace {

// Types `path` into the next file dialog that opens and presses Enter.
void answerFileDialog(const QString& path, bool* answered)
{
    QTimer::singleShot(50, [path, answered] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog) {
            answerFileDialog(path, answered); // not open yet
            return;
        }
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
        ASSERT_NE(name, nullptr);
        name->selectAll();
        QTest::keyClicks(name, path);
        QTest::keyClick(name, Qt::Key_Return);
        *answered = true;
    });
}

void clickTab(MainWindow& w, const QString& text)
{
    for (QTabBar* bar : w.findChildren<QTabBar*>())
        for (int i = 0; i < bar->count(); ++i)
            if (bar->tabText(i).remove(QLatin1Char('&')) == text) {
                QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(i).center());
                return;
            }
    FAIL() << "no tab " << text.toStdString();
}

} // namespace

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
    w.resize(1200, 800);
    w.show();
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openRecordings({uitest::sampleRecording("psp.jsonl.zst")});
    ASSERT_TRUE(finished.wait(20000));
    clickTab(w, QStringLiteral("Budgets"));
    BudgetsPage* page = w.findChild<BudgetsPage*>();
    ASSERT_NE(page, nullptr);
    ASSERT_TRUE(page->isVisible());
    const int columns = page->model()->columnCount();
    EXPECT_TRUE(page->errorLabel()->isHidden());

    QPushButton* add = nullptr;
    for (QPushButton* b : page->findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Add Budget File…"))
            add = b;
    ASSERT_NE(add, nullptr);
    QSignalSpy failed(page, &BudgetsPage::budgetFileFailed);
    bool answered = false;
    answerFileDialog(file, &answered);
    QTest::mouseClick(add, Qt::LeftButton);
    ASSERT_TRUE(answered);
    ASSERT_TRUE(failed.count() > 0 || failed.wait(10000));

    EXPECT_TRUE(page->errorLabel()->isVisible());
    EXPECT_EQ(page->errorLabel()->text(), QStringLiteral("No budget added. ") + QString::fromStdString(cli.error().message));
    EXPECT_TRUE(page->errorLabel()->text().contains(QStringLiteral("line 7, column 1")));
    EXPECT_EQ(page->model()->columnCount(), columns);
    QStandardPaths::setTestModeEnabled(false);
}
