// SPDX-License-Identifier: MIT
// A format-2 file opens summary-first: the loader hands over the footer's
// usage summary (the whole range, coarse) before it reads any block, then the
// full load as for any file; a file without a summary that checks (JSON
// Lines, a damaged footer) loads as before, and cancelling after the summary
// drops it. On a real generated recording.
#include "loading/recording_loader.h"
#include "models/session_list_model.h"
#include "sessions/sessions_page.h"
#include "timeline/timeline_view.h"
#include "sessions/session_detail.h"
#include "window/main_window.h"

#include "generated_workload.h"
#include "recording/compact_index.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace flight;
using namespace flight::ui;

namespace {

// 300,000 generated events in format 2, and the same as JSON Lines.
const QString& generated(bool compact)
{
    static QTemporaryDir dir;
    static QString paths[2];
    QString& path = paths[compact ? 1 : 0];
    if (path.isEmpty()) {
        const QString p = dir.filePath(compact ? QStringLiteral("w.fmr") : QStringLiteral("w.jsonl"));
        if (test::writeGeneratedWorkload(p.toStdString(), "v6r-large", 300'000, 11, compact))
            path = p;
    }
    return path;
}

LoadedRecordingPtr at(const QSignalSpy& spy, qsizetype i)
{
    return spy.at(i).at(0).value<LoadedRecordingPtr>();
}

struct Stages {
    QStringList order;
    std::unique_ptr<QSignalSpy> summary, loaded;
};

Stages loadAll(RecordingLoader& loader, const QString& path)
{
    Stages s;
    QObject::connect(&loader, &RecordingLoader::summaryReady, &loader, [&o = s.order] { o << QStringLiteral("summary"); });
    QObject::connect(&loader, &RecordingLoader::previewReady, &loader, [&o = s.order] { o << QStringLiteral("preview"); });
    QObject::connect(&loader, &RecordingLoader::timelineReady, &loader, [&o = s.order] { o << QStringLiteral("timeline"); });
    QObject::connect(&loader, &RecordingLoader::recordingLoaded, &loader, [&o = s.order] { o << QStringLiteral("loaded"); });
    s.summary = std::make_unique<QSignalSpy>(&loader, &RecordingLoader::summaryReady);
    s.loaded = std::make_unique<QSignalSpy>(&loader, &RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    loader.load({path});
    while (loader.isLoading())
        if (!finished.wait(30000))
            break;
    return s;
}

} // namespace

TEST(SummaryFirst, TheSummaryOfTheWholeRangeComesBeforeTheFullLoad)
{
    ASSERT_FALSE(generated(true).isEmpty());
    RecordingLoader loader;
    const Stages s = loadAll(loader, generated(true));
    EXPECT_EQ(s.order, (QStringList{QStringLiteral("summary"), QStringLiteral("timeline"), QStringLiteral("loaded")}));
    ASSERT_EQ(s.summary->count(), 1);
    ASSERT_EQ(s.loaded->count(), 1);
    const auto summary = at(*s.summary, 0);
    const auto full = at(*s.loaded, 0);
    EXPECT_EQ(summary->stage, LoadStage::Preview);
    EXPECT_TRUE(summary->fromSummary);
    EXPECT_EQ(summary->loadedFraction, 0.0);
    EXPECT_EQ(summary->loadId, full->loadId);
    EXPECT_FALSE(full->fromSummary);
    ASSERT_EQ(summary->store->sessionCount(), full->store->sessionCount());
    const SessionModel& coarse = summary->store->session(0);
    const SessionModel& whole = full->store->session(0);
    EXPECT_EQ(coarse.info().sessionId, whole.info().sessionId);
    EXPECT_EQ(coarse.info().platform, whole.info().platform);
    EXPECT_EQ(coarse.info().totalBytes, whole.info().totalBytes);
    // The whole range, the peak exact, in a bounded number of changes.
    EXPECT_EQ(coarse.peakBytes(), whole.peakBytes());
    EXPECT_EQ(coarse.usedBytes(), whole.usedBytes());
    const std::int64_t range = whole.lastMs() - whole.firstMs();
    EXPECT_GE(coarse.firstMs(), whole.firstMs());
    EXPECT_LT(coarse.firstMs(), whole.firstMs() + range / 100);
    EXPECT_LE(coarse.lastMs(), whole.lastMs());
    EXPECT_GT(coarse.lastMs(), whole.lastMs() - range / 100);
    EXPECT_LE(coarse.timelineEventCount(), 2049u * 9);
    EXPECT_GT(whole.timelineEventCount(), 250'000u);
    ASSERT_NE(summary->analytics[0].pyramid, nullptr);
    EXPECT_EQ(summary->analytics[0].allocationRows, nullptr);
}

TEST(SummaryFirst, FilesWithoutASummaryThatChecksLoadAsBefore)
{
    ASSERT_FALSE(generated(false).isEmpty());
    {
        RecordingLoader loader;
        const Stages s = loadAll(loader, generated(false));
        EXPECT_EQ(s.summary->count(), 0);
        EXPECT_EQ(s.loaded->count(), 1);
    }
    // The footer's summary damaged (one byte of its payload): no summary, the same full load.
    test::ScratchDir dir("summary-first-damaged");
    const std::string original = generated(true).toStdString();
    const auto index = recording::readCompactIndex(original);
    ASSERT_TRUE(index.has_value() && index->fromFooter);
    std::string bytes = test::readFile(original);
    bytes[index->lastCheckpoint - 40] = static_cast<char>(bytes[index->lastCheckpoint - 40] ^ 0x5A);
    const std::string damaged = (dir / "damaged.fmr").string();
    ASSERT_TRUE(test::writeFile(damaged, bytes));
    RecordingLoader loader;
    const Stages s = loadAll(loader, QString::fromStdString(damaged));
    EXPECT_EQ(s.summary->count(), 0);
    ASSERT_EQ(s.loaded->count(), 1);
    EXPECT_GT(at(*s.loaded, 0)->store->session(0).timelineEventCount(), 250'000u);
}

TEST(SummaryFirst, TheWindowShowsTheSummaryAndCancellingDropsIt)
{
    ASSERT_FALSE(generated(true).isEmpty());
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    SessionsPage* page = window.sessionsPage();
    QAbstractItemModelTester tester(page->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy previewShown(&window, &MainWindow::previewShown);
    QSignalSpy finished(&window, &MainWindow::loadFinished);
    window.openRecordings({generated(true)});
    ASSERT_TRUE(previewShown.wait(10000));
    ASSERT_EQ(page->sessionCount(), 1);
    const auto shown = page->model()->row(0).recording;
    ASSERT_TRUE(shown->fromSummary);
    EXPECT_EQ(page->model()->row(0).state, QStringLiteral("loading (summary shown)"));
    EXPECT_EQ(page->detail()->timeline()->visibleToMs(), shown->store->session(0).lastMs());
    EXPECT_TRUE(page->loadingNote().contains(QStringLiteral("summary")));
    if (window.isLoading()) { // on a fast machine the load may be over already
        window.cancelLoading();
        EXPECT_EQ(page->sessionCount(), 0); // a cancelled load takes its summary with it
    }
}
