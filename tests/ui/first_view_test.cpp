// SPDX-License-Identifier: MIT
// The first timeline comes before the rest: the loader's stages (a preview of
// a file still being read, the timeline, then everything) in order, stale
// loads dropped, and the window showing each stage with "still computing" /
// "loading… NN %" where data has not arrived, on real (generated) recordings.
#include "models/allocation_table_model.h"
#include "views/allocations_page.h"
#include "window/main_window.h"
#include "loading/recording_loader.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "models/session_list_model.h"
#include "timeline/timeline_view.h"
#include "views/report_view.h"

#include "generator/workload_recording.h"

#include "live_test_support.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QTextBrowser>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace flight;
using namespace flight::ui;

namespace {

QString conformance(const char* name)
{
    return QStringLiteral(FLIGHT_TEST_DATA "/conformance/") + QLatin1String(name);
}

// A generated recording of ~33 MiB (200,000 events, one session): 33 of the
// reader's 1 MiB chunks, so a preview after the first holds a small part of it.
const QString& largeRecording()
{
    static QTemporaryDir dir;
    static QString path;
    if (path.isEmpty()) {
        generator::WorkloadOptions o;
        o.platform = "v6r-large";
        o.events = 200'000;
        o.seed = 7;
        o.typicalLiveAllocations = 2'000;
        const QString p = dir.filePath(QStringLiteral("large.jsonl"));
        if (generator::writeWorkloadRecording(o, p.toStdString()))
            path = p;
    }
    return path;
}

// A preview at the first chunk with events, exactly one: the test does not depend on the machine's speed.
constexpr PreviewPolicy kPreviewAtOnce{0, 0, 1};

LoadedRecordingPtr at(const QSignalSpy& spy, qsizetype i)
{
    return spy.at(i).at(0).value<LoadedRecordingPtr>();
}

} // namespace

TEST(RecordingLoaderStages, TheTimelineArrivesBeforeTheAnalytics)
{
    RecordingLoader loader;
    QStringList order;
    QObject::connect(&loader, &RecordingLoader::timelineReady, &loader, [&] { order << QStringLiteral("timeline"); });
    QObject::connect(&loader, &RecordingLoader::recordingLoaded, &loader, [&] { order << QStringLiteral("loaded"); });
    QSignalSpy timeline(&loader, &RecordingLoader::timelineReady);
    QSignalSpy loaded(&loader, &RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    loader.load({conformance("go-snake.jsonl")});
    ASSERT_TRUE(timeline.wait(10000));
    while (loader.isLoading())
        ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(order, (QStringList{QStringLiteral("timeline"), QStringLiteral("loaded")}));
    ASSERT_EQ(timeline.count(), 1);
    ASSERT_EQ(loaded.count(), 1);
    const auto first = at(timeline, 0);
    const auto full = at(loaded, 0);
    // The first has what the timeline and the gauge need, not the tables' data.
    EXPECT_EQ(first->stage, LoadStage::Timeline);
    ASSERT_EQ(first->analytics.size(), 1u);
    ASSERT_NE(first->analytics[0].pyramid, nullptr);
    EXPECT_GT(first->analytics[0].pressureDurations.totalMs(), 0);
    EXPECT_EQ(first->analytics[0].allocationRows, nullptr);
    EXPECT_EQ(first->analytics[0].events, nullptr);
    // The second: the same sessions and pyramid (what a view already draws stays valid), plus the rest.
    EXPECT_EQ(full->stage, LoadStage::Complete);
    EXPECT_EQ(full->loadId, first->loadId);
    EXPECT_EQ(full->store, first->store);
    EXPECT_EQ(full->analytics[0].pyramid, first->analytics[0].pyramid);
    ASSERT_NE(full->analytics[0].allocationRows, nullptr);
    ASSERT_NE(full->analytics[0].events, nullptr);
    EXPECT_FALSE(full->analytics[0].events->empty());
    EXPECT_EQ(full->store->session(0).usedBytes(), 910163968u);
}

TEST(RecordingLoaderStages, APreviewOfALargeRecordingArrivesBeforeTheLoadEnds)
{
    ASSERT_FALSE(largeRecording().isEmpty());
    RecordingLoader loader;
    loader.setPreviewPolicy(kPreviewAtOnce);
    QStringList order;
    QObject::connect(&loader, &RecordingLoader::previewReady, &loader, [&] { order << QStringLiteral("preview"); });
    QObject::connect(&loader, &RecordingLoader::timelineReady, &loader, [&] { order << QStringLiteral("timeline"); });
    QObject::connect(&loader, &RecordingLoader::recordingLoaded, &loader, [&] { order << QStringLiteral("loaded"); });
    QSignalSpy previews(&loader, &RecordingLoader::previewReady);
    QSignalSpy loaded(&loader, &RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    loader.load({largeRecording()});
    ASSERT_TRUE(previews.wait(10000));
    EXPECT_TRUE(loader.isLoading());
    while (loader.isLoading())
        ASSERT_TRUE(finished.wait(20000));
    EXPECT_EQ(order, (QStringList{QStringLiteral("preview"), QStringLiteral("timeline"), QStringLiteral("loaded")}));
    const auto preview = at(previews, 0);
    const auto full = at(loaded, 0);
    EXPECT_EQ(preview->stage, LoadStage::Preview);
    EXPECT_EQ(preview->loadId, full->loadId);
    EXPECT_NE(preview->store, full->store); // its own copy: the read went on meanwhile
    EXPECT_GT(preview->loadedFraction, 0.0);
    EXPECT_LT(preview->loadedFraction, 0.2); // one chunk of ~33
    const auto previewEvents = preview->store->session(0).timelineEventCount();
    const auto finalEvents = full->store->session(0).timelineEventCount();
    EXPECT_GT(previewEvents, 0u);
    EXPECT_LT(previewEvents, finalEvents / 5);
    EXPECT_GE(finalEvents, 190'000u);
    ASSERT_NE(preview->analytics[0].pyramid, nullptr);
    EXPECT_EQ(preview->analytics[0].allocationRows, nullptr);
    EXPECT_LT(preview->store->session(0).lastMs(), full->store->session(0).lastMs());
    EXPECT_GT(preview->buildMs, 0.0);
}

TEST(RecordingLoaderStages, AStaleLoadsPreviewAndStagesAreDropped)
{
    ASSERT_FALSE(largeRecording().isEmpty());
    RecordingLoader loader;
    loader.setPreviewPolicy(kPreviewAtOnce);
    QSignalSpy previews(&loader, &RecordingLoader::previewReady);
    QSignalSpy timeline(&loader, &RecordingLoader::timelineReady);
    QSignalSpy loaded(&loader, &RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    loader.load({largeRecording()});
    ASSERT_TRUE(previews.wait(10000));
    // The large file is ~1/33 read: its timeline and the rest are still to come when another load replaces it.
    ASSERT_EQ(timeline.count(), 0);
    loader.load({conformance("wit-kebab.jsonl")});
    while (loader.isLoading())
        ASSERT_TRUE(finished.wait(20000));
    // Anything the large file's worker still sent has arrived (and been dropped).
    ASSERT_TRUE(livetest::waitForIdleWorkers());
    EXPECT_EQ(previews.count(), 1);
    ASSERT_EQ(timeline.count(), 1);
    ASSERT_EQ(loaded.count(), 1);
    EXPECT_TRUE(at(timeline, 0)->path.endsWith(QStringLiteral("wit-kebab.jsonl")));
    EXPECT_TRUE(at(loaded, 0)->path.endsWith(QStringLiteral("wit-kebab.jsonl")));
}

TEST(FirstView, TheWindowShowsThePreviewThenTheTimelineThenEverything)
{
    ASSERT_FALSE(largeRecording().isEmpty());
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    window.setPreviewPolicy(kPreviewAtOnce);
    SessionsPage* page = window.sessionsPage();
    QAbstractItemModelTester tester(page->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy previewShown(&window, &MainWindow::previewShown);
    QSignalSpy finished(&window, &MainWindow::loadFinished);
    window.openRecordings({largeRecording()});
    ASSERT_TRUE(previewShown.wait(10000));

    // The preview: its timeline, a row saying "loading", the loading line, the progress and Cancel still there.
    ASSERT_EQ(page->sessionCount(), 1);
    const auto preview = page->model()->row(0).recording;
    ASSERT_EQ(preview->stage, LoadStage::Preview);
    EXPECT_TRUE(page->model()->row(0).state.startsWith(QStringLiteral("loading ")));
    EXPECT_EQ(page->detail()->timeline()->visibleToMs(), preview->store->session(0).lastMs());
    EXPECT_TRUE(page->loadingNote().contains(QStringLiteral("% read")));
    EXPECT_TRUE(page->loadingNote().contains(QStringLiteral("large.jsonl")));
    EXPECT_TRUE(page->pendingNote(QStringLiteral("allocations")).contains(QStringLiteral("allocations appear once the whole recording is read")));
    EXPECT_FALSE(page->pendingNote(QStringLiteral("budgets")).isEmpty());
    EXPECT_EQ(page->detail()->allocations()->model()->rowCount(), 0); // nothing, rather than another session's rows
    EXPECT_TRUE(page->recordings().empty()); // an export now would not take a part of the file for the whole
    const auto bars = window.findChildren<QProgressBar*>();
    ASSERT_EQ(bars.size(), 1);
    EXPECT_TRUE(bars[0]->isVisible());
    bool cancelShown = false;
    for (auto* b : window.findChildren<QToolButton*>())
        cancelShown = cancelShown || (b->text() == QStringLiteral("Cancel") && b->isVisible());
    EXPECT_TRUE(cancelShown);

    ASSERT_TRUE(finished.wait(20000));
    // Everything: the whole session in the same row, every view filled, no note left.
    ASSERT_EQ(page->sessionCount(), 1);
    const auto full = page->model()->row(0).recording;
    EXPECT_EQ(full->stage, LoadStage::Complete);
    EXPECT_GT(full->store->session(0).timelineEventCount(), preview->store->session(0).timelineEventCount());
    ASSERT_EQ(page->recordings().size(), 1u);
    EXPECT_EQ(page->recordings()[0], full);
    EXPECT_EQ(page->detail()->timeline()->visibleToMs(), full->store->session(0).lastMs());
    EXPECT_TRUE(page->loadingNote().isEmpty());
    for (const char* view : {"statistics", "events", "allocations", "budgets", "report"})
        EXPECT_TRUE(page->pendingNote(QLatin1String(view)).isEmpty()) << view;
    // The table filters on a worker of its own: its rows follow.
    const int rows = static_cast<int>(full->analytics[0].allocationRows->size());
    livetest::waitUntil([&] { return page->detail()->allocations()->model()->rowCount() == rows; }, 10000);
    EXPECT_GT(rows, 0);
    EXPECT_EQ(page->detail()->allocations()->model()->rowCount(), rows);
    EXPECT_FALSE(page->model()->row(0).state.startsWith(QStringLiteral("loading")));
}

TEST(FirstView, CancelTakesThePreviewAway)
{
    ASSERT_FALSE(largeRecording().isEmpty());
    MainWindow window;
    window.setPreviewPolicy(kPreviewAtOnce);
    QSignalSpy previewShown(&window, &MainWindow::previewShown);
    window.openRecordings({largeRecording()});
    ASSERT_TRUE(previewShown.wait(10000));
    ASSERT_EQ(window.sessionsPage()->sessionCount(), 1);
    window.cancelLoading();
    // Not the recording: what was read of it when cancelled is not kept as if it were.
    EXPECT_EQ(window.sessionsPage()->sessionCount(), 0);
    EXPECT_TRUE(window.sessionsPage()->loadingNote().isEmpty());
    ASSERT_TRUE(livetest::waitForIdleWorkers()); // what the cancelled worker still sent has arrived, and was dropped
    EXPECT_EQ(window.sessionsPage()->sessionCount(), 0);
}

TEST(FirstView, ANewFileWhileOneLoadsReplacesItsPreview)
{
    ASSERT_FALSE(largeRecording().isEmpty());
    MainWindow window;
    window.setPreviewPolicy(kPreviewAtOnce);
    QSignalSpy previewShown(&window, &MainWindow::previewShown);
    QSignalSpy finished(&window, &MainWindow::loadFinished);
    window.openRecordings({largeRecording()});
    ASSERT_TRUE(previewShown.wait(10000));
    window.openRecordings({conformance("ts-camel.jsonl"), conformance("wit-kebab.jsonl")}); // several at once
    while (window.isLoading())
        ASSERT_TRUE(finished.wait(20000));
    ASSERT_TRUE(livetest::waitForIdleWorkers()); // the replaced load's worker is done, what it sent was dropped
    SessionsPage* page = window.sessionsPage();
    ASSERT_EQ(page->sessionCount(), 2);
    for (int r = 0; r < 2; ++r) {
        EXPECT_EQ(page->model()->row(r).recording->stage, LoadStage::Complete);
        EXPECT_FALSE(page->model()->row(r).source.startsWith(QStringLiteral("large")));
    }
}

TEST(FirstView, ClosingTheWindowWhileALoadIsInFlightIsSafe)
{
    ASSERT_FALSE(largeRecording().isEmpty());
    auto window = std::make_unique<MainWindow>();
    window->setPreviewPolicy(kPreviewAtOnce);
    QSignalSpy previewShown(window.get(), &MainWindow::previewShown);
    window->openRecordings({largeRecording()});
    ASSERT_TRUE(previewShown.wait(10000));
    ASSERT_TRUE(window->isLoading());
    window.reset(); // the loader's "finished" must not reach the window being destroyed
    // Nor anything its worker still sends: the worker ends (cancelled with its loader) and what
    // it posted to the destroyed window is delivered harmlessly.
    EXPECT_TRUE(livetest::waitForIdleWorkers());
}

TEST(FirstView, TheTimelineStageSaysTheTablesAreStillComputingAndTheFullOneKeepsTheZoom)
{
    RecordingLoader loader;
    QSignalSpy timeline(&loader, &RecordingLoader::timelineReady);
    QSignalSpy loaded(&loader, &RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    loader.load({conformance("go-snake.jsonl")});
    while (loader.isLoading())
        ASSERT_TRUE(finished.wait(10000));
    ASSERT_EQ(timeline.count(), 1);
    ASSERT_EQ(loaded.count(), 1);

    SessionsPage page;
    page.resize(1200, 800);
    page.show();
    page.addRecording(at(timeline, 0));
    ASSERT_EQ(page.sessionCount(), 1);
    EXPECT_TRUE(page.pendingNote(QStringLiteral("statistics")).startsWith(QStringLiteral("Still computing the statistics of go-snake.jsonl")));
    EXPECT_TRUE(page.pendingNote(QStringLiteral("events")).startsWith(QStringLiteral("Still computing the events")));
    EXPECT_TRUE(page.pendingNote(QStringLiteral("allocations")).startsWith(QStringLiteral("Still computing the allocations")));
    EXPECT_TRUE(page.pendingNote(QStringLiteral("report")).startsWith(QStringLiteral("Still computing the memory report")));
    EXPECT_TRUE(page.pendingNote(QStringLiteral("budgets")).isEmpty()); // the whole file's figures: shown
    EXPECT_TRUE(page.loadingNote().contains(QStringLiteral("still computing")));
    const auto& s = at(timeline, 0)->store->session(0);
    const std::int64_t from = s.firstMs() + (s.lastMs() - s.firstMs()) / 4;
    const std::int64_t to = s.firstMs() + (s.lastMs() - s.firstMs()) / 2;
    page.detail()->timeline()->setVisibleRange(from, to);

    page.addRecording(at(loaded, 0)); // the same load, complete: replaces the row, adds none
    ASSERT_EQ(page.sessionCount(), 1);
    EXPECT_EQ(page.model()->row(0).recording, at(loaded, 0));
    for (const char* view : {"statistics", "events", "allocations", "report"})
        EXPECT_TRUE(page.pendingNote(QLatin1String(view)).isEmpty()) << view;
    EXPECT_TRUE(page.loadingNote().isEmpty());
    EXPECT_EQ(page.detail()->timeline()->visibleFromMs(), from); // the timeline was not reset under the user
    EXPECT_EQ(page.detail()->timeline()->visibleToMs(), to);
    // The Report tab writes the complete load's HTML report once it is shown.
    QSignalSpy shown(page.detail()->report(), &ReportView::reportShown);
    ASSERT_TRUE(page.detail()->showView(QStringLiteral("report")));
    ASSERT_TRUE(shown.wait(10000));
    const QString report = page.detail()->report()->browser()->toPlainText();
    EXPECT_TRUE(report.startsWith(QStringLiteral("Flight memory report"))) << report.left(200).toStdString();
    EXPECT_TRUE(report.contains(QString::fromStdString(at(loaded, 0)->store->session(0).info().sessionId)));
    EXPECT_TRUE(report.contains(QStringLiteral("Time at each pressure level")));
}
