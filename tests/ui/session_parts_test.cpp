// SPDX-License-Identifier: MIT
// The sessions page's two halves, each on its own: the session table (rows,
// selection, closing) and the session detail (shows whichever row it is told).
#include "load_for_test.h"
#include "models/session_list_model.h"
#include "sessions/pressure_gauge.h"
#include "sessions/session_detail.h"
#include "sessions/session_table.h"
#include "timeline/timeline_view.h"

#include <gtest/gtest.h>

#include <QSignalSpy>

using namespace flight;
using namespace flight::ui;

TEST(SessionTable, SelectsAndClosesSessionsWithoutAPage)
{
    const LoadedRecordingPtr rec = uitest::loadForTest(uitest::sampleRecording("psp.jsonl.zst"));
    ASSERT_NE(rec, nullptr);
    SessionTable table;
    table.sessions()->addRecording(rec);
    ASSERT_EQ(table.rowCount(), 1);
    EXPECT_EQ(table.currentRow(), nullptr);
    table.selectFirstIfNone();
    ASSERT_NE(table.currentRow(), nullptr);
    EXPECT_EQ(table.currentModelRow(), 0);
    EXPECT_EQ(table.currentRow()->source, QStringLiteral("psp.jsonl.zst"));

    QSignalSpy closed(&table, &SessionTable::sessionClosed);
    EXPECT_FALSE(table.closeSession(1)); // no such row
    EXPECT_TRUE(table.closeSelectedSession());
    EXPECT_EQ(closed.count(), 1);
    EXPECT_EQ(table.rowCount(), 0);
    EXPECT_EQ(table.currentRow(), nullptr);
}

TEST(SessionDetail, ShowsTheRowItIsToldAndEmptiesWithoutOne)
{
    const LoadedRecordingPtr rec = uitest::loadForTest(uitest::sampleRecording("psp.jsonl.zst"));
    ASSERT_NE(rec, nullptr);
    SessionListModel sessions;
    sessions.addRecording(rec);
    int current = 0;
    SessionDetail detail(&sessions, [&current]() { return current; });
    detail.showCurrent();
    const SessionModel& s = rec->store->session(0);
    EXPECT_EQ(detail.timeline()->visibleToMs(), s.lastMs());
    EXPECT_DOUBLE_EQ(detail.gauge()->fraction(), static_cast<double>(s.usedBytes()) / static_cast<double>(s.info().totalBytes));
    EXPECT_TRUE(detail.pendingNote(QStringLiteral("events")).isEmpty());
    EXPECT_TRUE(detail.showView(QStringLiteral("events")));
    EXPECT_FALSE(detail.showView(QStringLiteral("nothing")));

    current = -1;
    detail.showCurrent();
    EXPECT_EQ(detail.gauge()->fraction(), 0.0);
}
