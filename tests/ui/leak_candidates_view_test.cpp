// SPDX-License-Identifier: MIT
// One definition of a leak candidate: for the same selected range, the
// Allocations view, the Report tab (the HTML report) and the report data the
// PDF and every export format are written from count the same allocations,
// and each says what it counts.
#include "load_for_test.h"

#include "analytics/leak_candidates.h"
#include "models/allocation_table_model.h"
#include "reports/report_data.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "timeline/timeline_view.h"
#include "views/allocations_page.h"
#include "views/report_view.h"
#include "window/main_window.h"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTabBar>
#include <QTest>
#include <QTextBrowser>

using namespace flight;
using namespace flight::ui;
using flight::uitest::clickTab;

TEST(LeakCandidates, TheAllocationsViewAndEveryReportCountTheSameForARange)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("v6r-small")}, {1280, 860}));
    SessionDetail* detail = w.sessionsPage()->detail();
    const SessionRow& row = w.sessionsPage()->model()->row(0);
    ASSERT_TRUE(row.recording);
    const SessionModel& s = row.recording->store->session(row.sessionIndex);
    // The middle half: allocations from before it are still live in it, never freed.
    const std::int64_t from = s.firstMs() + (s.lastMs() - s.firstMs()) / 4;
    const std::int64_t to = s.firstMs() + (s.lastMs() - s.firstMs()) * 3 / 4;
    std::uint64_t inRange = 0, before = 0;
    for (std::size_t i = 0; i < s.allocationCount(); ++i) {
        const MemoryAllocation a = s.allocation(i);
        if (a.freedAt)
            continue;
        inRange += a.allocatedAt >= from && a.allocatedAt <= to ? 1 : 0;
        before += a.allocatedAt < from ? 1 : 0;
    }
    ASSERT_GT(inRange, 0u);
    ASSERT_GT(before, 0u) << "the range must start after some never-freed allocation for the two readings to differ";
    detail->timeline()->setSelection(std::make_pair(from, to));

    // The Allocations view, leak candidates of the selection, chosen by keyboard.
    clickTab(w, QStringLiteral("Allocations"));
    AllocationsPage* page = detail->allocations();
    QSignalSpy queried(page->model(), &AllocationTableModel::queryFinished);
    page->modeBox()->setFocus();
    QTest::keyClick(page->modeBox(), Qt::Key_Down);
    QTest::keyClick(page->modeBox(), Qt::Key_Down);
    ASSERT_EQ(page->modeBox()->currentIndex(), 2);
    ASSERT_TRUE(queried.wait(10000));
    const QString totals = page->totalsLabel()->text();
    EXPECT_TRUE(totals.startsWith(QStringLiteral("<b>%L1</b> allocations in ").arg(inRange))) << totals.toStdString();
    EXPECT_TRUE(totals.contains(QStringLiteral("leak candidates: allocated in the range and never freed"))) << totals.toStdString();

    // The report data the PDF, HTML, Markdown and JSON are written from.
    reports::ReportOptions options;
    options.rangeFromSeconds = static_cast<double>(from - s.firstMs()) / 1000.0;
    options.rangeToSeconds = static_cast<double>(to - s.firstMs()) / 1000.0;
    const reports::SessionReport r = reports::collectSession(s, options);
    EXPECT_EQ(r.leakCandidateCount, inRange);

    // The Report tab over the same selection says the same count and the same definition.
    QSignalSpy shown(detail->report(), &ReportView::reportShown);
    clickTab(w, QStringLiteral("Report"));
    ASSERT_TRUE(shown.wait(10000));
    const QString report = detail->report()->browser()->toPlainText();
    EXPECT_TRUE(report.contains(QStringLiteral("%1 allocation(s), ").arg(inRange))) << report.toStdString();
    EXPECT_TRUE(report.contains(QStringLiteral(", allocated in the range and never freed; the largest")));
}
