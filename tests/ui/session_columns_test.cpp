// SPDX-License-Identifier: MIT
// The sessions table's columns keep up with live figures: a cell's text is never
// elided ("186.9…") because the figures grew after the row was added.
#include "window/main_window.h"
#include "models/session_list_model.h"
#include "sessions/sessions_page.h"
#include "sessions/table_column_fitter.h"

#include "live_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <QAbstractItemDelegate>
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QTest>

using namespace flight;
using namespace flight::ui;
using flight::livetest::waitUntil;

namespace {
live::LiveSnapshot snapshot(std::uint64_t used, std::uint64_t allocations, MemoryPressure pressure,
                            std::optional<MemoryPressure> reported)
{
    live::LiveSnapshot s;
    s.stats.state = live::ConnectionState::Connected;
    s.stats.url = QStringLiteral("ws://127.0.0.1:7070");
    live::LiveSessionFigures f;
    f.sessionId = "vm-1";
    f.platform = "v6r-large";
    f.totalBytes = 2ull << 30;
    f.usedBytes = used;
    f.peakBytes = used;
    f.pressure = pressure;
    f.reportedPressure = reported;
    f.activeAllocations = allocations / 2;
    f.totalAllocations = allocations;
    s.sessions.push_back(f);
    return s;
}

// Every cell of `table` but the stretching Source column fits its column whole.
void expectNothingElided(QTableView* table)
{
    const QAbstractItemModel* m = table->model();
    for (int r = 0; r < m->rowCount(); ++r) {
        for (int c = 0; c < m->columnCount(); ++c) {
            if (c == SessionListModel::Source)
                continue;
            const QModelIndex i = m->index(r, c);
            const QString text = i.data().toString();
            EXPECT_GE(table->columnWidth(c), TableColumnFitter::cellWidthFor(table, text)) << text.toStdString();
            QStyleOptionViewItem option;
            option.initFrom(table);
            option.widget = table;
            option.font = table->font();
            // The delegate's own measure: text, margins and the pressure colour's swatch.
            EXPECT_GE(table->columnWidth(c), table->itemDelegate()->sizeHint(option, i).width()) << text.toStdString();
        }
    }
}
} // namespace

TEST(SessionColumns, FiguresThatGrowAfterTheRowWasAddedWidenTheirColumns)
{
    SessionsPage page;
    page.resize(1280, 500);
    page.show();
    auto* table = page.findChild<QTableView*>();
    ASSERT_NE(table, nullptr);
    page.applyLiveSnapshot(1, snapshot(1024, 1, MemoryPressure::Low, std::nullopt));
    ASSERT_EQ(page.sessionCount(), 1);
    expectNothingElided(table);
    // The widest plausible size fits from the start: the figures can grow without the columns jumping.
    const QString widest = table->model()->index(0, SessionListModel::Used).data().toString();
    EXPECT_EQ(widest.toStdString(), "1.0KB");
    for (const int c : {SessionListModel::Used, SessionListModel::Total, SessionListModel::Peak})
        EXPECT_GE(table->columnWidth(c), table->fontMetrics().horizontalAdvance(QStringLiteral("2047.9 MiB"))) << c;

    // Same row, same count of rows: only the figures change.
    page.applyLiveSnapshot(1, snapshot((1ull << 30) - (100ull << 10), 12'345'678, MemoryPressure::Medium, MemoryPressure::Critical));
    ASSERT_EQ(page.sessionCount(), 1);
    EXPECT_EQ(table->model()->index(0, SessionListModel::Used).data().toString().toStdString(), "1023.9MB");
    EXPECT_EQ(table->model()->index(0, SessionListModel::Pressure).data().toString().toStdString(), "medium (reported critical)");
    EXPECT_EQ(table->model()->index(0, SessionListModel::Allocations).data().toString().toStdString(), "6,172,839 live / 12,345,678");
    expectNothingElided(table);
}

TEST(SessionColumns, LiveFiguresFromARealAgentAreNeverElided)
{
    QStandardPaths::setTestModeEnabled(true);
    const auto server = livetest::startDemoAgent({"demo:v6r-medium"}, 2000.0);
    ASSERT_NE(server, nullptr);

    MainWindow w;
    w.resize(1280, 800);
    w.show();
    w.openConnection(server->url());
    SessionListModel* model = w.sessionsPage()->model();
    auto* table = w.sessionsPage()->sessionTable();
    ASSERT_TRUE(waitUntil([&] { return model->rowCount() == 1 && model->row(0).state == QStringLiteral("live"); }, 10000));
    // Watch the figures move for a while, checking every cell as they do.
    QStringList seen;
    ASSERT_TRUE(waitUntil([&] {
        const QString used = table->model()->index(0, SessionListModel::Used).data().toString();
        if (!seen.contains(used)) {
            seen << used;
            expectNothingElided(table);
        }
        return seen.size() >= 10;
    }, 15000)) << seen.join(QLatin1Char(' ')).toStdString();
    w.closeAll();
    QStandardPaths::setTestModeEnabled(false);
}

// 25 snapshots a second each bring new allocation counts: alone, they are announced
// once per refresh of the views (a cell laid out and drawn 4 times a second, not 25);
// a figure that shows differently is announced at once, with the counts.
TEST(SessionColumns, CountsThatAloneChangedAreAnnouncedWithTheRefresh)
{
    SessionListModel model;
    QAbstractItemModelTester tester(&model);
    model.applyLiveSnapshot(1, snapshot(100ull << 20, 1000, MemoryPressure::Low, std::nullopt));
    ASSERT_EQ(model.rowCount(), 1);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QModelIndex counts = model.index(0, SessionListModel::Allocations);
    for (int i = 1; i <= 10; ++i) // the same "100.0 MiB", new counts each time
        model.applyLiveSnapshot(1, snapshot((100ull << 20) + static_cast<std::uint64_t>(i) * 16, 1000 + 2 * i,
                                            MemoryPressure::Low, std::nullopt));
    EXPECT_EQ(changed.count(), 0);
    EXPECT_EQ(model.data(counts).toString().toStdString(), "510 live / 1,020"); // the model has them at once
    ASSERT_TRUE(changed.wait(2 * SessionListModel::kLiveCountsIntervalMs));
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed.at(0).at(0).value<QModelIndex>(), counts);
    EXPECT_EQ(changed.at(0).at(1).value<QModelIndex>(), counts);
    changed.clear();

    // Used shows another figure: its cell and the counts' are announced at once.
    model.applyLiveSnapshot(1, snapshot(200ull << 20, 1100, MemoryPressure::Low, std::nullopt));
    QList<int> columns;
    for (const auto& args : changed)
        columns << args.at(0).value<QModelIndex>().column();
    std::sort(columns.begin(), columns.end());
    EXPECT_EQ(columns, (QList<int>{SessionListModel::Used, SessionListModel::Peak, SessionListModel::Allocations}));
}
