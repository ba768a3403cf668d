// SPDX-License-Identifier: MIT
// The window on a small screen: it goes well below 734 px high, the compare
// page's marker labels neither overlap nor leave the plot at 1024 px wide, the
// budget cells stay two lines in MiB; and the sessions list takes the height
// of its rows, leaving the rest to the views.
#include "load_for_test.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "style/display_settings.h"
#include "timeline/timeline_view.h"
#include "views/budgets_page.h"
#include "views/compare_page.h"
#include "window/main_window.h"
#include "window/window_layout.h"

#include <gtest/gtest.h>

#include <QChart>
#include <QDockWidget>
#include <QGraphicsSimpleTextItem>
#include <QHeaderView>
#include <QTabWidget>
#include <QTableView>
#include <QSignalSpy>
#include <QTest>

using namespace flight;
using namespace flight::ui;

TEST(SmallWindow, GoesWellBelow734PixelsHigh)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast"), QStringLiteral("psp")}, QSize(1024, 700)));
    for (const char* view : {"timeline", "statistics", "events", "allocations", "budgets", "compare", "report"}) {
        ASSERT_TRUE(w.sessionsPage()->showView(QString::fromLatin1(view)));
        w.resize(1024, 620);
        QTest::qWait(20);
        EXPECT_LE(w.height(), 620) << view << ": the window stays " << w.height() << " px high";
        EXPECT_LE(w.minimumSizeHint().height(), 620) << view;
    }
}

TEST(SmallWindow, CompareMarkerLabelsNeitherOverlapNorLeaveThePlotAt1024)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast"), QStringLiteral("psp")}, QSize(1024, 700)));
    ASSERT_TRUE(w.sessionsPage()->showView(QStringLiteral("compare")));
    QTest::qWait(100);
    auto* compare = w.sessionsPage()->detail()->compare();
    const auto views = compare->findChildren<TimelineView*>();
    ASSERT_EQ(views.size(), 2);
    for (TimelineView* v : views) {
        const QRectF plot = v->chart()->plotArea();
        std::vector<QRectF> boxes;
        QStringList hidden;
        for (QGraphicsItem* item : v->scene()->items()) {
            auto* label = qgraphicsitem_cast<QGraphicsSimpleTextItem*>(item);
            if (!label)
                continue;
            if (!label->isVisible()) {
                hidden << label->text();
                continue;
            }
            const QRectF box = label->sceneBoundingRect();
            EXPECT_GE(box.left(), plot.left() - 0.5) << label->text().toStdString();
            EXPECT_LE(box.right(), plot.right() + 0.5) << label->text().toStdString() << " is clipped at the plot's right";
            EXPECT_GE(box.top(), plot.top() - 0.5) << label->text().toStdString();
            for (const QRectF& other : boxes)
                EXPECT_FALSE(box.intersects(other)) << label->text().toStdString() << " overlaps another marker label";
            boxes.push_back(box);
        }
        // Crowded labels give way, but most are still there (the sample has 11 markers).
        EXPECT_GE(boxes.size(), 7u) << hidden.join(QStringLiteral(", ")).toStdString();
    }
}

TEST(SmallWindow, BudgetCellsStayTwoLinesInMiBAt1024)
{
    DisplaySettings::instance().setUnits(ByteUnits::Binary);
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("psp")}, QSize(1024, 700)));
    ASSERT_TRUE(w.sessionsPage()->showView(QStringLiteral("budgets")));
    QTest::qWait(100);
    auto* table = w.sessionsPage()->detail()->budgets()->findChild<QTableView*>();
    ASSERT_NE(table, nullptr);
    ASSERT_GT(table->model()->rowCount(), 1);
    const int line = table->fontMetrics().lineSpacing();
    ASSERT_TRUE(table->model()->index(0, 0).data().toString().contains(QStringLiteral("MiB")));
    for (int r = 0; r < table->model()->rowCount(); ++r) {
        EXPECT_LT(table->rowHeight(r), 3 * line) << "row " << r << " wraps to three lines: " << table->rowHeight(r) << " px";
    }
    DisplaySettings::instance().setUnits(ByteUnits::Protocol);
}

TEST(SmallWindow, TheSessionsListIsAsHighAsItsRows)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast")}));
    QTest::qWait(50);
    QTableView* table = w.sessionsPage()->sessionTable();
    const int row = table->verticalHeader()->defaultSectionSize();
    const int header = table->horizontalHeader()->height();
    // One session: room for it and one more row, not a third of the window.
    EXPECT_LE(w.windowLayout()->sessionsDock()->height(), header + 3 * row + 40) << w.windowLayout()->sessionsDock()->height();
    EXPECT_GE(table->viewport()->height(), row);
    const int timelineBefore = w.sessionsPage()->detail()->timeline()->height();

    // More sessions: the list grows to show them all (up to its maximum), the timeline gives way.
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openRecordings({uitest::sampleRecording("psp.jsonl.zst"), uitest::sampleRecording("vita.jsonl.zst"),
                      uitest::sampleRecording("custom.jsonl.zst")});
    ASSERT_TRUE(finished.wait(30000));
    QTest::qWait(50);
    EXPECT_GE(table->viewport()->height(), 4 * row) << "the four sessions do not all show";
    EXPECT_LT(w.sessionsPage()->detail()->timeline()->height(), timelineBefore);
    EXPECT_GT(w.sessionsPage()->detail()->timeline()->height(), 300);
}
