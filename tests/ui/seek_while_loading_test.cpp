// SPDX-License-Identifier: MIT
// While a format-2 recording is shown from its summary (the full load still
// running), moving the replay's playhead reads only the blocks around that
// time and the Events tab shows their records, saying so; a newer seek drops
// an older one's result, and the full load's Events view replaces it all. The
// real loader and session detail on a real generated recording.
#include "loading/record_seeker.h"
#include "loading/recording_loader.h"
#include "models/records_around_model.h"
#include "models/session_list_model.h"
#include "sessions/replay_bar.h"
#include "sessions/session_detail.h"
#include "views/records_around_page.h"

#include "generated_workload.h"
#include "recording/compact_index.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace flight;
using namespace flight::ui;

namespace {

struct Loaded {
    QTemporaryDir dir;
    QString path;
    LoadedRecordingPtr summary, timeline, complete;
};

// 400,000 generated events in format 2 (7 blocks), and the loader's summary and full load of it.
const Loaded& loaded()
{
    static Loaded l = [] {
        Loaded out;
        const QString p = out.dir.filePath(QStringLiteral("seek.fmr"));
        if (!test::writeGeneratedWorkload(p.toStdString(), "v6r-large", 400'000, 17, true))
            return out;
        out.path = p;
        RecordingLoader loader;
        QObject::connect(&loader, &RecordingLoader::summaryReady, &loader, [&out](const LoadedRecordingPtr& r) { out.summary = r; });
        QObject::connect(&loader, &RecordingLoader::timelineReady, &loader, [&out](const LoadedRecordingPtr& r) { out.timeline = r; });
        QObject::connect(&loader, &RecordingLoader::recordingLoaded, &loader, [&out](const LoadedRecordingPtr& r) { out.complete = r; });
        QSignalSpy finished(&loader, &RecordingLoader::finished);
        loader.load({p});
        while (loader.isLoading() && finished.wait(30000)) {
        }
        return out;
    }();
    return l;
}

// Waits until the seeker has nothing running or waiting.
bool settle(RecordSeeker& seeker)
{
    for (int i = 0; i < 200 && seeker.isBusy(); ++i)
        QTest::qWait(25);
    QTest::qWait(50); // a result queued to this thread is delivered
    return !seeker.isBusy();
}

} // namespace

TEST(SeekWhileLoading, TheEventsTabShowsTheRecordsAroundThePlayheadFromTheBlocksThatHoldIt)
{
    const Loaded& l = loaded();
    ASSERT_NE(l.summary, nullptr);
    ASSERT_NE(l.complete, nullptr);
    ASSERT_TRUE(l.summary->fromSummary);
    const auto index = recording::readCompactIndex(l.path.toStdString());
    ASSERT_TRUE(index.has_value());

    SessionListModel sessions;
    sessions.addRecording(l.summary);
    SessionDetail detail(&sessions, [] { return 0; });
    detail.resize(1200, 700);
    detail.show();
    QAbstractItemModelTester tester(detail.recordsAround()->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy ready(detail.seeker(), &RecordSeeker::recordsReady);
    detail.showCurrent();
    ASSERT_TRUE(detail.showView(QStringLiteral("events")));
    ASSERT_TRUE(detail.showsRecordsAround());
    ASSERT_TRUE(ready.wait(10000)); // the playhead's place (the start) as soon as the tab is shown
    ASSERT_TRUE(settle(*detail.seeker()));

    // Seek to the middle of the fourth block: only it is read.
    const recording::IndexedBlock& b = index->blocks[4];
    const std::int64_t t = b.minTime + (b.maxTime - b.minTime) / 2;
    const auto holding = recording::blocksBetween(*index, t, t);
    ready.clear();
    detail.replay()->seek(t);
    ASSERT_TRUE(ready.wait(10000));
    const auto result = ready.at(0).at(0).value<SeekResultPtr>();
    ASSERT_TRUE(result->around.has_value()) << result->error.toStdString();
    EXPECT_EQ(result->atMs, t);
    EXPECT_EQ(result->around->blocksRead, holding.size());
    EXPECT_EQ(result->around->blocksTotal, index->blocks.size());
    EXPECT_EQ(result->around->recordsRead, b.records);
    const RecordsAroundModel* model = detail.recordsAround()->model();
    ASSERT_EQ(model->rowCount(), 200);
    EXPECT_EQ(model->rowAtSeekTime(), 100);
    EXPECT_LT(model->data(model->index(99, 0), RecordsAroundModel::TimeRole).toLongLong(), t);
    EXPECT_GE(model->data(model->index(100, 0), RecordsAroundModel::TimeRole).toLongLong(), t);
    int allocations = 0;
    for (int r = 0; r < model->rowCount(); ++r)
        allocations += model->data(model->index(r, RecordsAroundModel::Record)).toString() == QStringLiteral("allocation");
    EXPECT_GT(allocations, 50);
    const QString note = detail.recordsAround()->note();
    EXPECT_TRUE(note.contains(QStringLiteral("The 200 records around"))) << note.toStdString();
    EXPECT_TRUE(note.contains(QStringLiteral("read from %1 of %2 blocks (%3 records)")
                                  .arg(holding.size())
                                  .arg(index->blocks.size())
                                  .arg(QLocale().toString(static_cast<qulonglong>(b.records)))))
        << note.toStdString();
    EXPECT_TRUE(note.contains(QStringLiteral("The full Events view replaces this"))) << note.toStdString();

    // Three seeks in a row: the first runs, the second is replaced while waiting,
    // and the first's result is stale once asked again: only the last is shown.
    const recording::IndexedBlock& c = index->blocks[2];
    const std::int64_t t2 = c.minTime + (c.maxTime - c.minTime) / 3;
    ready.clear();
    detail.replay()->seek(t - 1000);
    detail.replay()->seek(t + 1000);
    detail.replay()->seek(t2);
    ASSERT_TRUE(ready.wait(10000));
    ASSERT_TRUE(settle(*detail.seeker()));
    ASSERT_EQ(ready.count(), 1);
    EXPECT_EQ(ready.at(0).at(0).value<SeekResultPtr>()->atMs, t2);
    EXPECT_EQ(model->result()->atMs, t2);
    EXPECT_GE(model->data(model->index(model->rowAtSeekTime(), 0), RecordsAroundModel::TimeRole).toLongLong(), t2);

    // Enter on a record: the playhead goes to its time and the timeline is shown.
    const QModelIndex row = model->index(model->rowAtSeekTime() + 10, RecordsAroundModel::Record);
    const std::int64_t rowTime = model->data(row, RecordsAroundModel::TimeRole).toLongLong();
    QTableView* view = detail.recordsAround()->view();
    view->setCurrentIndex(row);
    QTest::keyClick(view, Qt::Key_Return);
    EXPECT_EQ(detail.replay()->position(), rowTime);
    EXPECT_FALSE(detail.showsDetails()); // the timeline tab
    ASSERT_TRUE(settle(*detail.seeker()));
    EXPECT_EQ(model->result()->atMs, rowTime);
    // While the timeline is in view the playhead moves without reading; the Events tab reads when shown.
    ready.clear();
    detail.replay()->seek(t);
    EXPECT_FALSE(detail.seeker()->isBusy());
    ASSERT_TRUE(detail.showView(QStringLiteral("events")));
    ASSERT_TRUE(ready.wait(10000));
    EXPECT_EQ(model->result()->atMs, t);
}

TEST(SeekWhileLoading, TheFullLoadReplacesItAndASeekStillRunningIsDropped)
{
    const Loaded& l = loaded();
    ASSERT_NE(l.summary, nullptr);
    ASSERT_NE(l.timeline, nullptr);
    ASSERT_NE(l.complete, nullptr);
    SessionListModel sessions;
    sessions.addRecording(l.summary);
    SessionDetail detail(&sessions, [] { return 0; });
    detail.show();
    detail.showCurrent();
    ASSERT_TRUE(detail.showView(QStringLiteral("events")));
    ASSERT_TRUE(settle(*detail.seeker()));
    ASSERT_GT(detail.recordsAround()->model()->rowCount(), 0);
    const std::int64_t t = detail.replay()->rangeEnd() - 60'000;
    detail.replay()->seek(t);
    ASSERT_TRUE(settle(*detail.seeker()));

    // The whole file read, its events still computed (as SessionsPage shows a later
    // stage): the playhead stays where the user put it, and so do the records around it.
    sessions.updateRecording(l.timeline);
    detail.reshowKeepingView();
    EXPECT_EQ(detail.replay()->position(), t);
    EXPECT_TRUE(detail.showsRecordsAround());
    ASSERT_TRUE(settle(*detail.seeker()));
    ASSERT_NE(detail.recordsAround()->model()->result(), nullptr);
    EXPECT_EQ(detail.recordsAround()->model()->result()->atMs, t);

    // A seek under way when the events arrive: its result is not shown.
    QSignalSpy ready(detail.seeker(), &RecordSeeker::recordsReady);
    detail.replay()->seek(t - 5000);
    ASSERT_TRUE(detail.seeker()->isBusy());
    sessions.updateRecording(l.complete);
    detail.showCurrentDetails(); // the same store, now with its details
    ASSERT_TRUE(settle(*detail.seeker()));
    EXPECT_EQ(ready.count(), 0);
    EXPECT_FALSE(detail.showsRecordsAround());
    EXPECT_EQ(detail.recordsAround()->model()->rowCount(), 0);
    EXPECT_TRUE(detail.pendingNote(QStringLiteral("events")).isEmpty()); // the Events view itself
    // Seeking now moves the cursor only: the whole recording is in memory.
    detail.replay()->seek(t - 9000);
    EXPECT_FALSE(detail.seeker()->isBusy());
}
