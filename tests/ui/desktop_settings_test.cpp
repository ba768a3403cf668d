// SPDX-License-Identifier: MIT
// What a desktop user sets once and expects everywhere: size units in every
// view, a dark palette the charts follow, two compared timelines that move
// together, and a dock layout that comes back at the next start.
#include "style/app_style.h"
#include "styled_app.h"
#include "views/compare_page.h"
#include "style/display_settings.h"
#include "window/main_window.h"
#include "window/preferences_dialog.h"
#include "sessions/pressure_gauge.h"
#include "models/session_list_model.h"
#include "timeline/timeline_plot_item.h"
#include "timeline/timeline_view.h"
#include "window/window_layout.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QChart>
#include <QDir>
#include <QDockWidget>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTableWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QValueAxis>

using namespace flight;
using namespace flight::ui;

namespace {

// A session with `heapBytes` of VM heap from `startMs`, freed `durationMs` later.
LoadedRecordingPtr sessionAt(const char* id, std::int64_t startMs, std::int64_t durationMs, std::uint64_t heapBytes)
{
    auto rec = std::make_shared<LoadedRecording>();
    rec->path = QString::fromLatin1(id);
    rec->store = std::make_unique<protocol::SessionStore>();
    const std::string sid = id;
    rec->store->ingest(R"({"type":"allocation","allocation":{"id":"a","sessionId":")" + sid + R"(","size":{"bytes":)" +
                           std::to_string(heapBytes) + R"(},"purpose":"vm-heap","allocatedAt":)" + std::to_string(startMs) + "}}",
                       1);
    rec->store->ingest(R"({"type":"free","sessionId":")" + sid + R"(","id":"a","freedAt":)" +
                           std::to_string(startMs + durationMs) + "}",
                       2);
    for (std::size_t i = 0; i < rec->store->sessionCount(); ++i) {
        const SessionModel& s = rec->store->session(i);
        rec->analytics.push_back({std::make_shared<const UsagePyramid>(s), computePressureDurations(s), nullptr, {}, nullptr});
    }
    return rec;
}

// vm-a (100 MiB for 10 s) and vm-b (150 MiB for 20 s, from 500 s after vm-a's
// start) on a 900 x 700 compare page, shown when asked, vm-a the current one.
void compareTwoSessions(ComparePage& page, bool show)
{
    page.resize(900, 700);
    if (show)
        page.show();
    page.setSessions({{QStringLiteral("a"), sessionAt("vm-a", 1'764'000'000'000, 10'000, 100ull << 20), 0},
                      {QStringLiteral("b"), sessionAt("vm-b", 1'764'000'500'000, 20'000, 150ull << 20), 0}});
    page.setCurrent(0);
}

// Leaves the process-wide settings as the other tests expect them.
struct DisplayDefaults {
    DisplayDefaults() { uitest::styleAppOnce(); }
    ~DisplayDefaults()
    {
        DisplaySettings::instance().setUnits(ByteUnits::Protocol);
        DisplaySettings::instance().setAppearance(Appearance::Light);
    }
};

} // namespace

TEST(DesktopSettings, UnitsChoiceChangesTheSessionTable)
{
    DisplayDefaults defaults;
    SessionListModel model;
    QAbstractItemModelTester tester(&model);
    model.addRecording(sessionAt("vm-a", 1'764'000'000'000, 1000, 512ull << 20));
    ASSERT_EQ(model.rowCount(), 1);
    const QModelIndex peak = model.index(0, SessionListModel::Peak);
    EXPECT_EQ(model.data(peak).toString(), QStringLiteral("512.0MB"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    DisplaySettings::instance().setUnits(ByteUnits::Decimal);
    EXPECT_GE(changed.count(), 1); // views are told to redraw
    EXPECT_EQ(model.data(peak).toString(), QStringLiteral("536.9 MB"));
    DisplaySettings::instance().setUnits(ByteUnits::Binary);
    EXPECT_EQ(model.data(peak).toString(), QStringLiteral("512.0 MiB"));
}

TEST(DesktopSettings, UnitsChoiceChangesTheTimelineAxisAndCompareTable)
{
    DisplayDefaults defaults;
    ComparePage page;
    compareTwoSessions(page, false);
    DisplaySettings::instance().setUnits(ByteUnits::Decimal);
    EXPECT_EQ(page.table()->item(1, 2)->text(), QStringLiteral("157.3 MB"));
    auto* y = qobject_cast<QValueAxis*>(page.timelineA()->chart()->axes(Qt::Vertical).value(0));
    ASSERT_NE(y, nullptr);
    EXPECT_EQ(y->titleText(), QStringLiteral("MB"));
    DisplaySettings::instance().setUnits(ByteUnits::Binary);
    EXPECT_EQ(page.table()->item(1, 2)->text(), QStringLiteral("150.0 MiB"));
    EXPECT_EQ(y->titleText(), QStringLiteral("MiB"));
}

TEST(DesktopSettings, DarkPaletteReachesTheCharts)
{
    DisplayDefaults defaults;
    const auto rec = sessionAt("vm-a", 1'764'000'000'000, 10'000, 100ull << 20);
    TimelineView view;
    view.resize(800, 400);
    view.setSession(&rec->store->session(0), rec->analytics[0].pyramid.get());
    DisplaySettings::instance().setAppearance(Appearance::Light);
    EXPECT_FALSE(isDarkAppearance());
    EXPECT_GT(view.chart()->backgroundBrush().color().lightness(), 200);

    DisplaySettings::instance().setAppearance(Appearance::Dark);
    QCoreApplication::processEvents();
    EXPECT_TRUE(isDarkAppearance());
    EXPECT_LT(QApplication::palette().color(QPalette::Window).lightness(), 64);
    EXPECT_LT(view.chart()->backgroundBrush().color().lightness(), 64);
    for (QAbstractAxis* axis : view.chart()->axes())
        EXPECT_GT(axis->labelsColor().lightness(), 180) << axis->titleText().toStdString();
    EXPECT_GT(view.chart()->legend()->labelColor().lightness(), 180);
    // Another session's series get new legend markers: they are light too.
    view.setSession(&rec->store->session(0), rec->analytics[0].pyramid.get());
    ASSERT_FALSE(view.chart()->legend()->markers().isEmpty());
    for (QLegendMarker* marker : view.chart()->legend()->markers())
        EXPECT_GT(marker->labelBrush().color().lightness(), 180) << marker->label().toStdString();
    // The used line is drawn in a light ink on dark, and its legend entry too.
    EXPECT_GT(view.plotItem()->usedPen().color().lightness(), 180);
    for (QAbstractSeries* s : view.chart()->series()) {
        if (s->name() == QStringLiteral("used")) {
            EXPECT_GT(static_cast<QLineSeries*>(s)->pen().color().lightness(), 180);
        }
    }

    DisplaySettings::instance().setAppearance(Appearance::Light);
    EXPECT_GT(view.chart()->backgroundBrush().color().lightness(), 200);
}

TEST(DesktopSettings, SettingsRoundTripThroughQSettings)
{
    DisplayDefaults defaults;
    DisplaySettings& s = DisplaySettings::instance();
    s.setUnits(ByteUnits::Decimal);
    s.setAppearance(Appearance::Dark);
    s.save();
    s.setUnits(ByteUnits::Protocol);
    s.setAppearance(Appearance::Light);
    s.load();
    EXPECT_EQ(s.units(), ByteUnits::Decimal);
    EXPECT_EQ(s.appearance(), Appearance::Dark);
    QSettings().remove(QStringLiteral("display"));
}

TEST(DesktopSettings, PreferencesDialogAppliesItsChoices)
{
    DisplayDefaults defaults;
    PreferencesDialog dialog;
    dialog.setUnits(ByteUnits::Binary);
    dialog.setAppearance(Appearance::Dark);
    dialog.apply();
    EXPECT_EQ(DisplaySettings::instance().units(), ByteUnits::Binary);
    EXPECT_TRUE(isDarkAppearance());
    EXPECT_EQ(QSettings().value(QStringLiteral("display/units")).toString(), QStringLiteral("binary"));
    if (const QString dir = qEnvironmentVariable("FLIGHT_SCREENSHOT_DIR"); !dir.isEmpty()) {
        dialog.show();
        QCoreApplication::processEvents();
        dialog.grab().save(QDir(dir).filePath(QStringLiteral("preferences.png")));
    }
    QSettings().remove(QStringLiteral("display"));
}

TEST(CompareTimelines, ZoomingOneMovesTheOther)
{
    DisplayDefaults defaults;
    ComparePage page;
    compareTwoSessions(page, true); // B starts 500 s after A and runs twice as long
    TimelineView* ta = page.timelineA();
    TimelineView* tb = page.timelineB();

    // Relative (the default): the same seconds since each start.
    EXPECT_EQ(page.alignment(), ComparePage::Alignment::Relative);
    ta->setVisibleRange(1'764'000'002'000, 1'764'000'006'000);
    EXPECT_EQ(tb->visibleFromMs(), 1'764'000'502'000);
    EXPECT_EQ(tb->visibleToMs(), 1'764'000'506'000);
    // Both can reach the longer session's end.
    tb->setVisibleRange(1'764'000'515'000, 1'764'000'520'000);
    EXPECT_EQ(ta->visibleFromMs(), 1'764'000'015'000);
    EXPECT_EQ(ta->visibleToMs(), 1'764'000'020'000);

    // Absolute: one clock, from the earlier start to the later end.
    page.setAlignment(ComparePage::Alignment::Absolute);
    EXPECT_EQ(ta->originMs(), tb->originMs());
    EXPECT_EQ(ta->visibleFromMs(), 1'764'000'000'000);
    EXPECT_EQ(tb->visibleToMs(), 1'764'000'520'000);
    ta->setVisibleRange(1'764'000'100'000, 1'764'000'505'000);
    EXPECT_EQ(tb->visibleFromMs(), 1'764'000'100'000);
    EXPECT_EQ(tb->visibleToMs(), 1'764'000'505'000);
    tb->resetZoom();
    EXPECT_EQ(ta->visibleFromMs(), 1'764'000'000'000);
    EXPECT_EQ(ta->visibleToMs(), 1'764'000'520'000);
}

TEST(WindowLayout, DockStateComesBackAtTheNextStart)
{
    QSettings().remove(QStringLiteral("window"));
    {
        MainWindow w;
        w.resize(1100, 700);
        w.show();
        WindowLayout* layout = w.windowLayout();
        layout->setSessionsOpen(true);
        ASSERT_TRUE(layout->gaugeDock()->isVisible());
        EXPECT_EQ(w.dockWidgetArea(layout->gaugeDock()), Qt::RightDockWidgetArea);
        w.addDockWidget(Qt::LeftDockWidgetArea, layout->gaugeDock());
        layout->sessionsDock()->toggleViewAction()->trigger(); // the user hides the list
        EXPECT_FALSE(layout->sessionsDock()->isVisible());
        w.close(); // saves
    }
    MainWindow w;
    w.show();
    w.restoreLayout();
    WindowLayout* layout = w.windowLayout();
    EXPECT_EQ(w.dockWidgetArea(layout->gaugeDock()), Qt::LeftDockWidgetArea);
    EXPECT_FALSE(layout->gaugeDock()->isVisible()); // nothing open yet: the welcome page has the window
    layout->setSessionsOpen(true);
    EXPECT_TRUE(layout->gaugeDock()->isVisible());
    EXPECT_FALSE(layout->sessionsDock()->isVisible());
    layout->reset();
    EXPECT_TRUE(layout->sessionsDock()->isVisible());
    EXPECT_EQ(w.dockWidgetArea(layout->gaugeDock()), Qt::RightDockWidgetArea);
    QSettings().remove(QStringLiteral("window"));
}
