// SPDX-License-Identifier: MIT
// The sessions table and a live client that drops ended sessions from memory
// (LiveSessionOptions::maxEndedSessions): the row stays with its last figures,
// says the recording file has the session, and lets go of the older store
// copy, so that dropped sessions do not keep old copies alive.
#include "models/session_list_model.h"

#include "analytics/pressure_durations.h"
#include "analytics/usage_pyramid.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>

using namespace flight;
using namespace flight::ui;

namespace {

// A store copy as the live path makes it, holding the named sessions.
LoadedRecordingPtr copyWith(const std::vector<std::string>& ids)
{
    auto rec = std::make_shared<LoadedRecording>();
    rec->store = std::make_unique<protocol::SessionStore>();
    std::uint64_t line = 0;
    for (const auto& id : ids)
        rec->store->ingest(R"({"type":"allocation","allocation":{"id":"a","sessionId":")" + id
                               + R"(","size":{"bytes":4096},"purpose":"vm-heap","allocatedAt":1764000000000}})",
                           ++line);
    for (std::size_t i = 0; i < rec->store->sessionCount(); ++i) {
        const SessionModel& s = rec->store->session(i);
        rec->analytics.push_back({std::make_shared<const UsagePyramid>(s), computePressureDurations(s), nullptr, nullptr, nullptr});
    }
    return rec;
}

live::LiveSnapshot snapshotOf(const std::vector<std::string>& ids)
{
    live::LiveSnapshot snap;
    snap.stats.state = live::ConnectionState::Connected;
    for (const auto& id : ids) {
        live::LiveSessionFigures f;
        f.sessionId = id;
        f.usedBytes = 4096;
        f.ended = true;
        snap.sessions.push_back(f);
    }
    return snap;
}

} // namespace

TEST(LiveDroppedSession, ARowWhoseSessionLeftTheClientsMemoryLetsGoOfItsOldCopy)
{
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applyLiveSnapshot(7, snapshotOf({"demo-1", "demo-2"}));
    LoadedRecordingPtr first = copyWith({"demo-1", "demo-2"});
    model.setLiveRecording(7, first);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.row(0).recording, first);
    EXPECT_EQ(first.use_count(), 3); // this test and both rows

    // demo-1 was dropped by the client: the next copy has only demo-2 (and demo-3)
    model.applyLiveSnapshot(7, snapshotOf({"demo-2", "demo-3"}));
    const LoadedRecordingPtr second = copyWith({"demo-2", "demo-3"});
    const QList<int> changed = model.setLiveRecording(7, second);
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_TRUE(changed.contains(0));
    const SessionRow& dropped = model.row(0);
    EXPECT_EQ(dropped.sessionId, QStringLiteral("demo-1"));
    EXPECT_EQ(dropped.recording, nullptr);
    EXPECT_TRUE(dropped.droppedFromMemory);
    EXPECT_EQ(dropped.usedBytes, 4096u); // its last figures stay
    EXPECT_EQ(model.data(model.index(0, SessionListModel::State)).toString(), QStringLiteral("ended · not in memory"));
    EXPECT_NE(model.data(model.index(0, SessionListModel::State), Qt::ToolTipRole).toString().indexOf(QStringLiteral("recording file")), -1);
    EXPECT_EQ(model.row(1).recording, second);
    EXPECT_EQ(first.use_count(), 1) << "no row keeps the older copy alive";
    // a recording's rows (no live connection) are never touched
    model.addRecording(copyWith({"file-1"}));
    model.setLiveRecording(7, copyWith({"demo-3"}));
    EXPECT_NE(model.row(3).recording, nullptr);
}
