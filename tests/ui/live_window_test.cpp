// SPDX-License-Identifier: MIT
// The window on a live session: a real agent on loopback (core's AgentServer
// with a demo source), the same client a user's connection uses, rows that go
// live and detail views fed from copies of the worker's models (no file read),
// the retention policy applied, and "save the last minutes".
#include "connections/live_connections.h"
#include "window/main_window.h"
#include "models/session_list_model.h"
#include "sessions/sessions_page.h"
#include "timeline/timeline_view.h"

#include "live_test_support.h"
#include "protocol/session_store.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>


using namespace flight;

using flight::livetest::waitUntil;

TEST(LiveWindow, ConnectsToARealAgentAndShowsItsSessionsLive)
{
    QStandardPaths::setTestModeEnabled(true);
    const auto server = livetest::startDemoAgent({"demo:dreamcast"}, 2000.0);
    ASSERT_NE(server, nullptr);

    ui::MainWindow window;
    window.openConnection(server->url());
    ui::SessionsPage* page = window.sessionsPage();
    ui::SessionListModel* model = page->model();
    ASSERT_TRUE(waitUntil([&] { return model->rowCount() > 0 && model->row(0).state == QStringLiteral("live"); }, 8000));
    EXPECT_EQ(model->row(0).platform, QStringLiteral("dreamcast"));
    EXPECT_EQ(model->row(0).totalBytes, 16ull << 20);
    EXPECT_GE(model->row(0).liveId, 1);
    // The periodic copy of the worker's models attaches a session model for the views.
    ASSERT_TRUE(waitUntil([&] { return model->row(0).recording != nullptr; }, 8000));
    const SessionModel& s = model->row(0).recording->store->session(model->row(0).sessionIndex);
    EXPECT_GT(s.allocationCount(), 0u);
    EXPECT_TRUE(QFileInfo(model->row(0).recording->path).fileName().startsWith(QStringLiteral("live-")));
    // Figures keep moving while it runs.
    const auto before = s.lastMs();
    ASSERT_TRUE(waitUntil([&] {
        const auto& row = model->row(0);
        return row.recording && row.recording->store->session(row.sessionIndex).lastMs() > before;
    }, 8000));
    // The State column says what the live model keeps in memory.
    const QString tip = model->data(model->index(0, ui::SessionListModel::State), Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.contains(QStringLiteral("full detail for the last 10 min"))) << tip.toStdString();
    window.closeAll();
    QStandardPaths::setTestModeEnabled(false);
}

namespace {
// A LiveConnections under `policy`, made in QStandardPaths' test mode, keeping
// the newest copy its views get; when it goes it closes its connections,
// restores the policy it found, then leaves test mode.
struct LiveUnderPolicy {
    explicit LiveUnderPolicy(const RetentionPolicy& policy) : saved(live.retention())
    {
        live.setRetention(policy);
        QObject::connect(&live, &ui::LiveConnections::recordingRefreshed,
                         [this](int, const ui::LoadedRecordingPtr& r) { copy = r; });
    }
    ~LiveUnderPolicy()
    {
        live.closeAll();
        live.setRetention(saved);
        QStandardPaths::setTestModeEnabled(false);
    }
    // A copy whose first session was compacted at least `n` times, within 15 s.
    bool waitForCompactions(std::uint64_t n)
    {
        return waitUntil([&] {
            return copy && copy->store->sessionCount() > 0 && copy->store->session(0).retention().compactions >= n;
        }, 15000);
    }
    ui::LiveConnections live;
    const RetentionPolicy saved;
    ui::LoadedRecordingPtr copy;
};
} // namespace

// A busy session under a window of 10 minutes capped at 4,000 changes: the
// worker compacts it by count (each 1,000 messages), long before the
// 75 s timer, and the copies the views get hold about the cap, not the rate.
TEST(LiveWindow, ABusySessionsWindowIsCappedByItsChanges)
{
    QStandardPaths::setTestModeEnabled(true);
    const auto server = livetest::startDemoAgent({"demo:v6r-large"}, 3000.0);
    ASSERT_NE(server, nullptr);

    RetentionPolicy p; // 10 minutes
    p.maxFullDetailEvents = 4000;
    LiveUnderPolicy f(p);
    f.live.connectTo(server->url());
    // Three compactions: at 3,000 msg/s within about 2 s of the start.
    ASSERT_TRUE(f.waitForCompactions(3));
    const SessionModel& s = f.copy->store->session(0);
    std::size_t window = 0;
    s.forEachUsedChange(s.retention().fullDetailFromMs - 1, s.lastMs(), [&](std::int64_t, std::uint64_t) { ++window; });
    std::printf("[ figures ] capped live session: %llu compactions, %zu changes in the window (%lld ms), %zu held\n",
                static_cast<unsigned long long>(s.retention().compactions), window,
                static_cast<long long>(s.lastMs() - s.retention().fullDetailFromMs), s.timelineEventCount());
    EXPECT_GT(s.retention().fullDetailFromMs, 0);
    EXPECT_LT(s.lastMs() - s.retention().fullDetailFromMs, 10'000); // seconds, not the 10 minutes
    // The cap, plus what came since the last compaction (a quarter of the cap
    // in messages, each at most one change per purpose level it moves).
    EXPECT_GE(window, 4000u);
    EXPECT_LE(window, 4000u + 4 * 1000u);
    const MemoryStats st = MemoryAnalytics(s).calculateMemoryStats();
    EXPECT_EQ(st.totalAllocations, s.allocationCount() + s.retention().allocationsDropped);
}

// A 3 s full-detail window: the copies the views get are compacted (history
// before the window, totals exact), and the last 2 s save as a recording that
// loads cleanly (core's window_export_test checks its figures).
TEST(LiveWindow, DetailCopiesAreBoundedAndTheLastSecondsSaveAsARecording)
{
    QStandardPaths::setTestModeEnabled(true);
    const auto server = livetest::startDemoAgent({"demo:psp"}, 3000.0);
    ASSERT_NE(server, nullptr);

    RetentionPolicy p;
    p.fullDetail = std::chrono::seconds(3);
    LiveUnderPolicy f(p);
    ui::LiveConnections& live = f.live;
    const int id = live.connectTo(server->url());
    // Wait for a copy whose session was compacted (the worker compacts every second).
    ASSERT_TRUE(f.waitForCompactions(1));
    const ui::LoadedRecordingPtr& copy = f.copy;
    const SessionModel& s = copy->store->session(0);
    const MemoryStats st = MemoryAnalytics(s).calculateMemoryStats();
    EXPECT_EQ(st.totalAllocations, s.allocationCount() + s.retention().allocationsDropped);
    EXPECT_GE(s.retention().fullDetailFromMs, s.lastMs() - 3000 - 1500); // within a compaction interval
    EXPECT_EQ(copy->analytics.size(), copy->store->sessionCount());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("last.jsonl"));
    QString summary;
    QObject::connect(&live, &ui::LiveConnections::saved, [&](int, const QString&, const QString& text) { summary = text; });
    live.saveRecent(id, std::chrono::seconds(2), path);
    ASSERT_TRUE(waitUntil([&] { return !summary.isEmpty(); }, 8000));
    protocol::SessionStore loaded;
    protocol::loadRecording(path.toStdString(), loaded);
    EXPECT_EQ(loaded.decodeErrors(), 0u);
    EXPECT_GE(loaded.sessionCount(), 1u);
    EXPECT_GT(loaded.messagesApplied(), 0u);
}
