// SPDX-License-Identifier: MIT
// The loader against real recordings: results arrive through typed signals,
// stale generations are dropped, and the item model stays valid under the tester.
#include "loading/recording_loader.h"
#include "models/session_list_model.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>

using namespace flight::ui;

namespace {
QString data(const char* name)
{
    return QStringLiteral(FLIGHT_TEST_DATA "/conformance/") + QLatin1String(name);
}
} // namespace

TEST(RecordingLoader, LoadsARealRecordingOffTheUiThread)
{
    RecordingLoader loader;
    QSignalSpy loaded(&loader, &RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    QSignalSpy progress(&loader, &RecordingLoader::progressChanged);
    loader.load({data("go-snake.jsonl")});
    EXPECT_TRUE(loader.isLoading());
    ASSERT_TRUE(finished.wait(10000));
    ASSERT_EQ(loaded.count(), 1);
    const auto rec = loaded.at(0).at(0).value<LoadedRecordingPtr>();
    ASSERT_EQ(rec->store->sessionCount(), 1u);
    const auto& s = rec->store->session(0);
    EXPECT_EQ(s.info().sessionId, "vm-go");
    EXPECT_EQ(s.usedBytes(), 910163968u);
    EXPECT_EQ(rec->store->sessionErrors(), 1u);
    ASSERT_GE(progress.count(), 1);
    EXPECT_DOUBLE_EQ(progress.last().at(0).toDouble(), 1.0);
    EXPECT_FALSE(loader.isLoading());
}

TEST(RecordingLoader, MissingFileFailsWithTheReason)
{
    RecordingLoader loader;
    QSignalSpy failed(&loader, &RecordingLoader::loadFailed);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    loader.load({QStringLiteral("/nonexistent/recording.jsonl")});
    ASSERT_TRUE(finished.wait(10000));
    ASSERT_EQ(failed.count(), 1);
    EXPECT_EQ(failed.at(0).at(0).toString(), QStringLiteral("/nonexistent/recording.jsonl"));
    EXPECT_FALSE(failed.at(0).at(1).toString().isEmpty());
}

TEST(RecordingLoader, AFileWithNoFlightContentFailsWithOneSentence)
{
    // The README opened by mistake: one failure for the file, no recording of N "not JSON" lines.
    const QString readme = QStringLiteral(FLIGHT_SOURCE_DIR "/README.md");
    QFile file(readme);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const qsizetype lines = file.readAll().count('\n');
    RecordingLoader loader;
    QSignalSpy failed(&loader, &RecordingLoader::loadFailed);
    QSignalSpy loaded(&loader, &RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    loader.load({readme, data("seed-flat.jsonl")});
    ASSERT_TRUE(finished.wait(10000));
    ASSERT_EQ(failed.count(), 1);
    EXPECT_EQ(failed.at(0).at(0).toString(), readme);
    EXPECT_EQ(failed.at(0).at(1).toString(),
              QStringLiteral("not a Flight recording (no line of its %1 is a Flight message)").arg(lines));
    ASSERT_EQ(loaded.count(), 1); // the recording beside it loads as ever
    EXPECT_TRUE(loaded.at(0).at(0).value<LoadedRecordingPtr>()->path.endsWith(QStringLiteral("seed-flat.jsonl")));
}

TEST(RecordingLoader, ANewerLoadDropsTheStaleOne)
{
    RecordingLoader loader;
    QSignalSpy loaded(&loader, &RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    loader.load({data("ts-camel.jsonl")});
    loader.load({data("wit-kebab.jsonl")}); // replaces the first before it can report
    // The first load's cancel reports finished at once; wait for the second.
    while (loader.isLoading())
        ASSERT_TRUE(finished.wait(10000));
    ASSERT_EQ(loaded.count(), 1);
    const auto rec = loaded.at(0).at(0).value<LoadedRecordingPtr>();
    EXPECT_TRUE(rec->path.endsWith(QStringLiteral("wit-kebab.jsonl")));
    EXPECT_EQ(rec->store->session(0).info().sessionId, "fc-dc");
}

TEST(SessionListModel, RowsHoldTheModelsFiguresUnderTheTester)
{
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    RecordingLoader loader;
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    QObject::connect(&loader, &RecordingLoader::recordingLoaded, &model, &SessionListModel::addRecording);
    loader.load({data("ts-camel.jsonl"), data("bad-input.jsonl"), data("seed-flat.jsonl")});
    ASSERT_TRUE(finished.wait(10000));
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.columnCount(), SessionListModel::ColumnCount);
    bool sawTs = false;
    for (int r = 0; r < model.rowCount(); ++r) {
        const auto& row = model.row(r);
        if (row.sessionId == QStringLiteral("vm-ts")) {
            sawTs = true;
            EXPECT_EQ(row.usedBytes, 369098752u);
            EXPECT_EQ(row.totalBytes, 536870912u);
            EXPECT_EQ(model.data(model.index(r, SessionListModel::Used)).toString(), QStringLiteral("352.0MB"));
            EXPECT_EQ(model.data(model.index(r, SessionListModel::Pressure)).toString(), QStringLiteral("low"));
            EXPECT_EQ(model.data(model.index(r, SessionListModel::Used), SessionListModel::SortRole).toULongLong(),
                      369098752u);
        }
        if (row.sessionId == QStringLiteral("vm-bad")) {
            EXPECT_EQ(row.usedBytes, 3147776u);
            EXPECT_EQ(row.activeAllocations, 2u);
        }
    }
    EXPECT_TRUE(sawTs);
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
}
