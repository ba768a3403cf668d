// SPDX-License-Identifier: MIT
// The Statistics and Events views and the shared cursor, driving the real
// SessionsPage with conformance recordings loaded by the real loader.
#include "load_for_test.h"
#include "models/event_list_model.h"
#include "views/events_page.h"
#include "models/ranked_allocation_model.h"
#include "loading/recording_loader.h"
#include "sessions/replay_bar.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "views/statistics_page.h"
#include "timeline/timeline_view.h"

#include "model/memory_size.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace flight;
using namespace flight::ui;

namespace {

LoadedRecordingPtr load(const char* name)
{
    return uitest::loadForTest(uitest::conformanceVector(name), 10000);
}

QString bytes(std::uint64_t b)
{
    return QString::fromStdString(formatBytes(b));
}

// The page with the recording open and its first statistics computed.
void open(SessionsPage& page, const LoadedRecordingPtr& rec)
{
    QSignalSpy ready(page.statistics(), &StatisticsPage::statisticsReady);
    page.addRecording(rec);
    ASSERT_TRUE(ready.count() > 0 || ready.wait(10000));
}

// The same on screen at 1200x800, for the tests that click and type into it.
void openShown(SessionsPage& page, const LoadedRecordingPtr& rec)
{
    page.resize(1200, 800);
    page.show();
    open(page, rec);
}

QTabWidget* tabsOf(SessionsPage& page)
{
    return page.findChild<QTabWidget*>();
}

} // namespace

TEST(StatisticsPage, WholeSessionFiguresAreTheModels)
{
    const auto rec = load("ts-camel.jsonl");
    ASSERT_TRUE(rec);
    SessionsPage page;
    QAbstractItemModelTester largestTester(page.statistics()->largestModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester longestTester(page.statistics()->longestModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    open(page, rec);
    const SessionModel& s = rec->store->session(0);
    const MemoryStats st = MemoryAnalytics(s).calculateMemoryStats();
    const StatisticsPage* stats = page.statistics();
    ASSERT_NE(stats->statistics(), nullptr);
    EXPECT_TRUE(stats->statistics()->wholeSession);
    EXPECT_EQ(stats->statistics()->stats.currentBytes, st.currentBytes);
    EXPECT_EQ(stats->statistics()->stats.trackedBytes, st.trackedBytes);
    EXPECT_EQ(stats->figure(QStringLiteral("used")), bytes(369098752));   // the expected.json figure
    EXPECT_EQ(stats->figure(QStringLiteral("tracked")), bytes(st.trackedBytes));
    EXPECT_EQ(stats->figure(QStringLiteral("untracked")), bytes(s.untrackedBytes()));
    EXPECT_EQ(stats->figure(QStringLiteral("efficiency")), QStringLiteral("%1 %").arg(st.efficiencyRatio * 100.0, 0, 'f', 1));
    EXPECT_EQ(stats->figure(QStringLiteral("allocations")), QStringLiteral("4 (3 live, 1 freed)"));
    const MemoryTrend trend = MemoryAnalytics(s).getMemoryTrends(s.lastMs() - s.firstMs());
    EXPECT_EQ(stats->figure(QStringLiteral("predicted-peak")), bytes(trend.predictedPeakBytes));
    EXPECT_EQ(stats->figure(QStringLiteral("errors")), QStringLiteral("none"));
    // Largest first: a1 256 MB, a2 64 MB, a4 32 MB, a3 1 MB.
    const RankedAllocationModel* largest = stats->largestModel();
    ASSERT_EQ(largest->rowCount(), 4);
    EXPECT_EQ(largest->index(0, RankedAllocationModel::Id).data().toString(), QStringLiteral("a1"));
    EXPECT_EQ(largest->index(3, RankedAllocationModel::Id).data().toString(), QStringLiteral("a3"));
    EXPECT_EQ(largest->index(1, RankedAllocationModel::Size).data().toString(), bytes(67108864));
}

TEST(StatisticsPage, FollowsTheSelectedRange)
{
    const auto rec = load("ts-camel.jsonl");
    ASSERT_TRUE(rec);
    SessionsPage page;
    open(page, rec);
    const SessionModel& s = rec->store->session(0);
    QSignalSpy ready(page.statistics(), &StatisticsPage::statisticsReady);
    const std::int64_t from = s.firstMs() + 150, to = s.firstMs() + 350;
    page.detail()->timeline()->setSelection(std::make_pair(from, to));
    ASSERT_TRUE(ready.wait(10000));
    const StatisticsPage* stats = page.statistics();
    ASSERT_FALSE(stats->statistics()->wholeSession);
    // At 350 ms: a1 256 MB + a2 64 MB + a3 1 MB (freed at 400); a4 comes at 500.
    EXPECT_EQ(s.usedAt(to), 268435456u + 67108864u + 1048576u);
    EXPECT_EQ(stats->figure(QStringLiteral("used")), bytes(s.usedAt(to)));
    EXPECT_NE(stats->figure(QStringLiteral("used")), bytes(369098752));
    EXPECT_EQ(stats->figure(QStringLiteral("allocations")), QStringLiteral("3 (3 live, 0 freed)"));
    EXPECT_EQ(stats->figure(QStringLiteral("in-range")), QStringLiteral("2 allocations, 0 frees"));
    EXPECT_EQ(stats->largestModel()->rowCount(), 3); // a4 is not live in the range
    // Clearing the selection brings the session's figures back.
    page.detail()->timeline()->setSelection(std::nullopt);
    ASSERT_TRUE(ready.wait(10000));
    EXPECT_TRUE(stats->statistics()->wholeSession);
    EXPECT_EQ(stats->figure(QStringLiteral("used")), bytes(369098752));
}

// The figures column is as wide as its longest figure at any window width: the
// tables beside it give way (the review found "4,876 (111 live, 4,765 freed)"
// cut at 1280 px). A sample recording has the long figures.
TEST(StatisticsPage, FiguresAreNeverCutSideways)
{
    const auto rec = uitest::loadForTest(uitest::sampleRecording("dreamcast.jsonl.zst"));
    ASSERT_NE(rec, nullptr);
    for (const int width : {1000, 760}) {
        SessionsPage page;
        page.resize(width, 600);
        page.show();
        page.showView(QStringLiteral("statistics"));
        open(page, rec);
        QCoreApplication::processEvents(); // the layout pass that follows the figures
        auto* scroll = page.statistics()->findChild<QScrollArea*>();
        ASSERT_NE(scroll, nullptr);
        EXPECT_FALSE(scroll->horizontalScrollBar()->isVisible());
        const QWidget* viewport = scroll->viewport();
        int checked = 0;
        for (const QLabel* figure : page.statistics()->findChildren<QLabel*>()) {
            if (!figure->objectName().startsWith(QStringLiteral("stat-")))
                continue;
            ++checked;
            const int right = figure->mapTo(viewport, QPoint(figure->sizeHint().width(), 0)).x();
            EXPECT_LE(right, viewport->width()) << width << " px: " << figure->objectName().toStdString() << " \""
                                                << figure->text().toStdString() << "\"";
            EXPECT_GE(figure->width(), figure->sizeHint().width()) << figure->objectName().toStdString();
        }
        EXPECT_EQ(checked, 15);
        EXPECT_EQ(page.statistics()->figure(QStringLiteral("allocations")), QStringLiteral("4,876 (111 live, 4,765 freed)"));
        // The tables keep the rest.
        EXPECT_GT(page.statistics()->largestView()->width(), 200);
    }
}

TEST(StatisticsPage, ClickingARankedAllocationMovesTheCursorToIt)
{
    const auto rec = load("ts-camel.jsonl");
    ASSERT_TRUE(rec);
    SessionsPage page;
    openShown(page, rec);
    page.showView(QStringLiteral("statistics"));
    QTableView* view = page.statistics()->largestView();
    const QModelIndex second = view->model()->index(1, RankedAllocationModel::Id); // a2, allocated at 200 ms
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(second).center());
    EXPECT_EQ(page.detail()->replay()->position(), rec->store->session(0).firstMs() + 200);
}

TEST(EventsPage, CountsPerKindForBadInputUnderTheModelTester)
{
    const auto rec = load("bad-input.jsonl");
    ASSERT_TRUE(rec);
    SessionsPage page;
    QAbstractItemModelTester tester(page.detail()->events()->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    open(page, rec);
    const EventListModel* m = page.detail()->events()->model();
    const auto count = [&](EventLogKind k) { return m->counts()[static_cast<std::size_t>(k)]; };
    EXPECT_EQ(count(EventLogKind::DecodeError), 8u); // expected.json: decodeErrors 8
    EXPECT_EQ(count(EventLogKind::Error), 2u);       // sessionErrors 2
    EXPECT_EQ(count(EventLogKind::Warning), 2u);     // warnings 2
    EXPECT_EQ(m->rowCount(), static_cast<int>(rec->analytics[0].events->size()));
    EXPECT_EQ(page.detail()->events()->kindButton(EventLogKind::DecodeError)->text(), QStringLiteral("Decode error (8)"));
    // Only decode errors: their lines, in order.
    for (int k = 0; k < kEventLogKindCount; ++k)
        if (static_cast<EventLogKind>(k) != EventLogKind::DecodeError)
            page.detail()->events()->kindButton(static_cast<EventLogKind>(k))->setChecked(false);
    ASSERT_EQ(m->rowCount(), 8);
    QStringList lines;
    for (int r = 0; r < m->rowCount(); ++r)
        lines << m->index(r, EventListModel::Line).data().toString();
    EXPECT_EQ(lines.join(QLatin1Char(',')), QStringLiteral("2,4,5,6,7,13,14,15"));
}

TEST(EventsPage, SelectingAnEventMovesTheCursorAndEnterShowsTheTimeline)
{
    const auto rec = load("go-snake.jsonl");
    ASSERT_TRUE(rec);
    SessionsPage page;
    openShown(page, rec);
    ASSERT_TRUE(page.showView(QStringLiteral("events")));
    QTableView* view = page.detail()->events()->view();
    const EventListModel* m = page.detail()->events()->model();
    ASSERT_GE(m->rowCount(), 2);
    const int last = m->rowCount() - 1;
    const std::int64_t t = m->entry(last).timeMs;
    view->setFocus();
    view->setCurrentIndex(m->index(last, 0));
    EXPECT_EQ(page.detail()->replay()->position(), t);
    EXPECT_EQ(tabsOf(page)->currentIndex(), 2); // still on Events
    QTest::keyClick(view, Qt::Key_Return);
    EXPECT_EQ(tabsOf(page)->currentIndex(), 0); // the timeline, with the cursor there
    EXPECT_EQ(page.detail()->replay()->position(), t);
    EXPECT_LE(page.detail()->timeline()->visibleFromMs(), t);
    EXPECT_GE(page.detail()->timeline()->visibleToMs(), t);
}

TEST(Replay, StepGoesFromEventToEventOfTheShownKinds)
{
    const auto rec = load("go-snake.jsonl");
    ASSERT_TRUE(rec);
    SessionsPage page;
    open(page, rec);
    const SessionModel& s = rec->store->session(0);
    const std::vector<std::int64_t> times = page.detail()->events()->model()->shownTimes();
    ASSERT_GE(times.size(), 2u);
    ReplayBar* replay = page.detail()->replay();
    EXPECT_EQ(replay->position(), s.firstMs());
    std::vector<std::int64_t> visited;
    for (std::size_t i = 0; i < times.size() + 1; ++i) {
        replay->stepForward();
        visited.push_back(replay->position());
    }
    std::vector<std::int64_t> expected;
    for (auto t : times)
        if (t > s.firstMs())
            expected.push_back(t);
    expected.push_back(s.lastMs()); // past the last event: the end
    visited.resize(expected.size());
    EXPECT_EQ(visited, expected);
    replay->stepBack();
    EXPECT_EQ(replay->position(), times.back() < s.lastMs() ? times.back() : times[times.size() - 2]);
    // Only errors shown: a step from the start lands on the reported error.
    for (int k = 0; k < kEventLogKindCount; ++k)
        page.detail()->events()->kindButton(static_cast<EventLogKind>(k))->setChecked(static_cast<EventLogKind>(k) == EventLogKind::Error);
    ASSERT_EQ(page.detail()->events()->model()->rowCount(), 1);
    replay->seek(s.firstMs());
    replay->stepForward();
    EXPECT_EQ(replay->position(), page.detail()->events()->model()->entry(0).timeMs);
}
