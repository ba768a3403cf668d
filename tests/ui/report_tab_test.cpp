// SPDX-License-Identifier: MIT
// The Dreamcast sample in the real window: the Events tab shows its pressure
// flapping at 49 s as one row, and the Report tab shows the HTML report (its
// tables, its charts as images, the same pressure-change rows) with an Export
// button that opens File › Export Report….
#include "load_for_test.h"

#include "models/event_list_model.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "views/events_page.h"
#include "views/report_view.h"
#include "window/main_window.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QDialog>
#include <QImage>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabBar>
#include <QTest>
#include <QTextBrowser>
#include <QTextTable>
#include <QTimer>
#include <QUrl>

using namespace flight;
using namespace flight::ui;
using flight::uitest::clickTab;

namespace {

QStringList pressureRows(const EventListModel* model)
{
    QStringList rows;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->data(model->index(r, EventListModel::Kind)).toString() == QStringLiteral("Pressure"))
            rows << model->data(model->index(r, EventListModel::Time)).toString() + QLatin1Char(' ') +
                        model->data(model->index(r, EventListModel::Message)).toString();
    return rows;
}

} // namespace

TEST(ReportTab, DreamcastFlappingIsOneEventRowAndTheReportIsTheHtmlOneWithCharts)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast")}, {1280, 900}));
    SessionDetail* detail = w.sessionsPage()->detail();

    clickTab(w, QStringLiteral("Events"));
    const QStringList rows = pressureRows(detail->findChild<EventsPage*>()->model());
    const auto burst = std::find_if(rows.begin(), rows.end(), [](const QString& r) { return r.contains(QStringLiteral("↔")); });
    ASSERT_NE(burst, rows.end()) << rows.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(*burst, QStringLiteral("49.012 s pressure low ↔ medium ×11 in 646 ms, ending medium"));
    // 56 changes in 14 rows, 11 of them bursts.
    EXPECT_EQ(rows.size(), 14) << rows.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(rows.filter(QStringLiteral("↔")).size(), 11);

    QSignalSpy shown(detail->report(), &ReportView::reportShown);
    clickTab(w, QStringLiteral("Report"));
    ASSERT_TRUE(shown.wait(10000));
    QTextBrowser* browser = detail->report()->browser();
    const QString text = browser->toPlainText();
    EXPECT_TRUE(text.startsWith(QStringLiteral("Flight memory report"))) << text.left(200).toStdString();
    for (const char* heading : {"Time at each pressure level", "Pressure changes", "Timeline by purpose", "Pressure over time",
                                "Budgets", "Largest allocations (top 20)", "Leak candidates", "Decode problems"})
        EXPECT_TRUE(text.contains(QLatin1String(heading))) << heading;
    EXPECT_TRUE(text.contains(QStringLiteral("pressure low ↔ medium ×11 in 646 ms, ending medium")));
    // The summary figures sit four to a row in one table (they stacked in one column as CSS cards).
    const auto exact = QTextDocument::FindCaseSensitively | QTextDocument::FindWholeWords;
    const QTextCursor platform = browser->document()->find(QStringLiteral("Platform"), 0, exact);
    const QTextCursor peak = browser->document()->find(QStringLiteral("Peak"), platform, exact);
    const QTextCursor allocations = browser->document()->find(QStringLiteral("Allocations"), peak, exact);
    ASSERT_FALSE(platform.isNull());
    ASSERT_FALSE(peak.isNull());
    ASSERT_FALSE(allocations.isNull());
    QTextTable* figures = platform.currentTable();
    ASSERT_NE(figures, nullptr);
    EXPECT_EQ(figures->columns(), 4);
    EXPECT_EQ(peak.currentTable(), figures);
    EXPECT_EQ(figures->cellAt(platform).row(), 0);
    EXPECT_EQ(figures->cellAt(peak).row(), 0);
    EXPECT_EQ(figures->cellAt(peak).column(), 3);
    EXPECT_EQ(figures->cellAt(allocations).row(), 1);
    EXPECT_TRUE(figures->cellAt(peak).firstCursorPosition().block().text().contains(QStringLiteral("15.7"))); // its value
    // The other tables have padded cells (a QTextBrowser ignores the CSS padding): "1 min 41.6 s" and
    // "42.9 %" do not run into each other.
    const QTextCursor levelLow = browser->document()->find(QStringLiteral("low"), allocations, exact);
    ASSERT_FALSE(levelLow.isNull());
    ASSERT_NE(levelLow.currentTable(), nullptr);
    EXPECT_EQ(levelLow.currentTable()->format().cellPadding(), 3.0);
    // Each chart is an image the browser draws, painted as the PDF's are.
    const QString html = browser->toHtml();
    int charts = 0;
    for (int i = 0; html.contains(QStringLiteral("chart:%1").arg(i)); ++i, ++charts) {
        const QImage image = browser->document()->resource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart:%1").arg(i))).value<QImage>();
        EXPECT_FALSE(image.isNull()) << i;
        EXPECT_GT(image.width(), 400) << i;
    }
    EXPECT_GE(charts, 3);
    if (const QByteArray dir = qgetenv("FLIGHT_SCREENSHOT_DIR"); !dir.isEmpty()) // docs/screenshots, by hand
        w.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/report.png"));

    // Its Export button opens the export dialog (the one File › Export Report… opens).
    QString dialogTitle;
    QTimer::singleShot(200, [&] {
        if (auto* d = qobject_cast<QDialog*>(QApplication::activeModalWidget())) {
            dialogTitle = d->windowTitle();
            d->reject();
        }
    });
    QTest::mouseClick(detail->report()->exportButton(), Qt::LeftButton);
    EXPECT_EQ(dialogTitle, QStringLiteral("Export Report"));
}
