// SPDX-License-Identifier: MIT
// The timeline and the gauge over a real sample recording, loaded as the app does.
#include "load_for_test.h"
#include "style/app_style.h"
#include "export/chart_image_export.h"
#include "sessions/pressure_gauge.h"
#include "loading/recording_loader.h"
#include "timeline/timeline_plot_item.h"
#include "timeline/timeline_view.h"

#include "analytics/usage_pyramid.h"

#include <gtest/gtest.h>

#include <QAreaSeries>
#include <QLineSeries>
#include <QFile>
#include <QFontMetricsF>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QXmlStreamReader>
#include <QWheelEvent>

#include <algorithm>
#include <map>
#include <random>

using namespace flight;
using namespace flight::ui;

namespace {

LoadedRecordingPtr loadSample(const char* name)
{
    return uitest::loadForTest(uitest::sampleRecording(name));
}

} // namespace

TEST(TimelineView, DrawsABoundedNumberOfPointsAndFollowsZoom)
{
    const auto rec = loadSample("v6r-small.jsonl.zst");
    ASSERT_TRUE(rec);
    const SessionModel& session = rec->store->session(0);
    TimelineView view;
    view.resize(900, 500);
    view.show();
    view.setSession(&session, rec->analytics[0].pyramid.get());
    QCoreApplication::processEvents();
    EXPECT_EQ(view.visibleFromMs(), session.firstMs());
    EXPECT_EQ(view.visibleToMs(), session.lastMs());
    const int columns = static_cast<int>(view.chart()->plotArea().width());
    ASSERT_GT(columns, 100);
    // At most two points per column for the used line, one per column per purpose band.
    const qsizetype bands = view.chart()->series().size();
    EXPECT_LE(view.pointCount(), static_cast<qsizetype>(columns + 1) * (2 + bands));
    EXPECT_GT(view.pointCount(), columns); // and something is drawn

    // The used line's highest point is the session's peak: decimation kept it.
    const TimelineSeries& drawn = view.drawnSeries();
    ASSERT_FALSE(drawn.usedMax.empty());
    const double maxY = *std::max_element(drawn.usedMax.begin(), drawn.usedMax.end());
    EXPECT_NEAR(maxY * 1024 * 1024, static_cast<double>(session.peakBytes()), 1.0);
    // A legend entry for every band and line, though the plot item draws their data.
    QStringList names;
    for (QAbstractSeries* s : view.chart()->series())
        names << s->name();
    EXPECT_TRUE(names.contains(QStringLiteral("used")));
    EXPECT_GE(static_cast<std::size_t>(names.size()), drawn.purposes.size() + 2) // + used, total
        << names.join(QStringLiteral(", ")).toStdString();
    for (const MemoryPurpose p : drawn.purposes)
        EXPECT_TRUE(names.contains(QString::fromStdString(p.displayName()))) << p.displayName();

    // Wheel up over the middle zooms in around the pointer.
    QSignalSpy range(&view, &TimelineView::visibleRangeChanged);
    const QPointF centre = view.chart()->plotArea().center();
    QWheelEvent wheel(centre, view.mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(view.viewport(), &wheel);
    ASSERT_EQ(range.count(), 1);
    const auto span = view.visibleToMs() - view.visibleFromMs();
    EXPECT_NEAR(static_cast<double>(span), 0.8 * static_cast<double>(session.lastMs() - session.firstMs()), 2.0);
    view.resetZoom();
    EXPECT_EQ(view.visibleToMs() - view.visibleFromMs(), session.lastMs() - session.firstMs());

    QSignalSpy selected(&view, &TimelineView::selectionChanged);
    view.setSelection(std::make_pair(session.firstMs() + 1000, session.firstMs() + 5000));
    ASSERT_EQ(selected.count(), 1);
    EXPECT_EQ(view.selection()->second, session.firstMs() + 5000);
}

// The y ticks suit the plot's laid-out height (about one per 32 px, two to
// five) after the view grows taller at the same width, as when a splitter
// moves: the layout can come after the rebuild the resize posted.
TEST(TimelineView, YTicksFollowThePlotHeightOnceLaidOut)
{
    const auto rec = loadSample("dreamcast.jsonl.zst");
    ASSERT_TRUE(rec);
    TimelineView view;
    view.setSession(&rec->store->session(0), rec->analytics[0].pyramid.get());
    view.resize(900, 180);
    view.show();
    for (int i = 0; i < 4; ++i)
        QCoreApplication::processEvents();
    // Taller, same width (a splitter moved): the columns stay, the ticks must not.
    view.resize(900, 500);
    for (int i = 0; i < 4; ++i)
        QCoreApplication::processEvents();
    auto* y = qobject_cast<QValueAxis*>(view.chart()->axes(Qt::Vertical).value(0));
    ASSERT_NE(y, nullptr);
    const double height = view.chart()->plotArea().height();
    ASSERT_GT(height, 300);
    EXPECT_DOUBLE_EQ(y->tickInterval(), niceStep(y->max(), std::clamp(height / 32.0, 2.0, 5.0)));
    EXPECT_GE(y->max() / y->tickInterval(), 3.0);
    // And the drawing spans the plot's real width.
    EXPECT_EQ(view.drawnSeries().columns(), static_cast<std::size_t>(view.chart()->plotArea().width()));
}

// Decimation keeps every column's minimum and maximum, and the painted segment
// of each column spans them: brute force over the model's own usage changes on
// random data with one-event spikes, at several zooms.
TEST(TimelineView, EveryColumnKeepsItsMinimumAndMaximumAgainstBruteForce)
{
    SessionInfo info;
    info.sessionId = "random";
    info.platform = "v6r-large";
    info.totalBytes = 2ull << 30;
    SessionModel session(info);
    std::mt19937_64 rng(77);
    std::vector<std::string> live;
    std::int64_t t = 1'000'000;
    for (int i = 0; i < 200'000; ++i) {
        t += static_cast<std::int64_t>(rng() % 3); // several events per ms too
        if (live.size() < 500 || rng() % 2 == 0) {
            live.push_back("a" + std::to_string(i));
            const std::uint64_t size = rng() % 20'000 == 0 ? 300ull << 20 : 1 + rng() % (512 * 1024); // rare spikes
            ASSERT_TRUE(session.recordAllocation(live.back(), size, MemoryPurpose::fromId(static_cast<std::uint16_t>(rng() % 8)), t)
                            .has_value());
            if (size > (100ull << 20)) { // a spike lasts one event
                ASSERT_TRUE(session.recordFree(live.back(), t).has_value());
                live.pop_back();
            }
        } else {
            const std::size_t victim = rng() % live.size();
            ASSERT_TRUE(session.recordFree(live[victim], t).has_value());
            live[victim] = std::move(live.back());
            live.pop_back();
        }
    }
    std::vector<std::pair<std::int64_t, std::uint64_t>> changes;
    session.forEachUsageChange(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                               [&](std::int64_t at, std::uint64_t used, const PurposeUsage&) { changes.emplace_back(at, used); });
    ASSERT_GT(changes.size(), 200'000u);
    const UsagePyramid pyramid(session);

    TimelineView view;
    view.resize(1200, 500);
    view.show();
    view.setSession(&session, &pyramid);
    QCoreApplication::processEvents();
    const std::int64_t first = session.firstMs(), span = session.lastMs() - first;
    const std::pair<std::int64_t, std::int64_t> ranges[] = {
        {first, session.lastMs()}, {first + span / 3, first + span / 3 + span / 7}, {first + span / 2, first + span / 2 + 2000}};
    for (const auto& [from, to] : ranges) {
        view.setVisibleRange(from, to);
        // The rebuild, the chart's layout (axis labels of another width move the
        // plot's edges) and the rebuild that follows it.
        for (int i = 0; i < 3; ++i)
            QCoreApplication::processEvents();
        const TimelineSeries& drawn = view.drawnSeries();
        const TimelinePlotItem& item = *view.plotItem();
        ASSERT_GE(drawn.columns(), static_cast<std::size_t>(view.chart()->plotArea().width()) - 1);
        const double bytesPerUnit = drawn.unitBytes;
        std::size_t checked = 0;
        for (std::size_t c = 0; c < drawn.columns(); ++c) {
            const auto [a, b] = drawn.columnMs[c];
            auto it = std::lower_bound(changes.begin(), changes.end(), a,
                                       [](const auto& ch, std::int64_t x) { return ch.first < x; });
            std::uint64_t lo = UINT64_MAX, hi = 0;
            for (; it != changes.end() && it->first < b; ++it) {
                lo = std::min(lo, it->second);
                hi = std::max(hi, it->second);
            }
            if (hi == 0 && lo == UINT64_MAX)
                continue; // no event in the column: it carries the level
            ++checked;
            // Values: the column's range holds every event's value in it.
            ASSERT_GE(drawn.usedMax[c] * bytesPerUnit, static_cast<double>(hi) - 0.5) << "column " << c;
            ASSERT_LE(drawn.usedMin[c] * bytesPerUnit, static_cast<double>(lo) + 0.5) << "column " << c;
            // Pixels: the painted segment reaches both.
            const QLineF seg = item.usedSegment(c);
            const double top = std::min(seg.y1(), seg.y2()), bottom = std::max(seg.y1(), seg.y2());
            ASSERT_LE(top, item.yToPixel(static_cast<double>(hi) / bytesPerUnit) + 1e-6) << "column " << c;
            ASSERT_GE(bottom, item.yToPixel(static_cast<double>(lo) / bytesPerUnit) - 1e-6) << "column " << c;
        }
        EXPECT_GT(checked, drawn.columns() / 4) << from << ".." << to;
    }
    // The whole-session view shows the spikes' height.
    view.resetZoom();
    QCoreApplication::processEvents();
    const auto peak = std::max_element(changes.begin(), changes.end(), [](auto x, auto y) { return x.second < y.second; });
    const double drawnPeak = *std::max_element(view.drawnSeries().usedMax.begin(), view.drawnSeries().usedMax.end());
    EXPECT_NEAR(drawnPeak * view.drawnSeries().unitBytes, static_cast<double>(peak->second), 0.5);
}

// "Save Image…" on the timeline: the plot item's data reaches both the PNG (the
// purposes' colours are on it) and the SVG (as vector polygons, not a raster).
TEST(TimelineView, SavedImagesShowTheStackedAreas)
{
    const auto rec = loadSample("dreamcast.jsonl.zst");
    ASSERT_TRUE(rec);
    TimelineView view;
    view.resize(900, 500);
    view.show();
    view.setSession(&rec->store->session(0), rec->analytics[0].pyramid.get());
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
    const std::vector<MemoryPurpose>& purposes = view.drawnSeries().purposes;
    ASSERT_GE(purposes.size(), 3u);
    // The biggest band (asset cache, most of the stack) for the PNG.
    const QColor big = purposeColor(MemoryPurpose(StandardPurpose::AssetCache).id());
    ASSERT_NE(std::find(purposes.begin(), purposes.end(), MemoryPurpose(StandardPurpose::AssetCache)), purposes.end());

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const auto savedPng = saveChartImage(&view, dir.filePath(QStringLiteral("t.png")));
    ASSERT_TRUE(savedPng) << savedPng.error().message;
    const QImage image(dir.filePath(QStringLiteral("t.png")));
    ASSERT_FALSE(image.isNull());
    int bandPixels = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            bandPixels += image.pixelColor(x, y).rgb() == big.rgb() ? 1 : 0;
    EXPECT_GT(bandPixels, image.width() * image.height() / 4 / 20); // over 5 % of the image

    const auto savedSvg = saveChartImage(&view, dir.filePath(QStringLiteral("t.svg")));
    ASSERT_TRUE(savedSvg) << savedSvg.error().message;
    QFile f(dir.filePath(QStringLiteral("t.svg")));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    EXPECT_FALSE(svg.contains("<image")) << "the timeline should be vectors, not a raster";
    // Each band is a filled path of many vertices in its purpose's colour (the
    // legend's swatches are rectangles of a few).
    std::map<QString, int> mostVertices; // by fill colour
    QXmlStreamReader xml(svg);
    QString fill;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QStringLiteral("g"))
            fill = xml.attributes().value(QStringLiteral("fill")).toString();
        else if (xml.name() == QStringLiteral("path"))
            mostVertices[fill] = std::max(mostVertices[fill],
                                          static_cast<int>(xml.attributes().value(QStringLiteral("d")).count(QLatin1Char('L'))));
    }
    ASSERT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    for (const MemoryPurpose p : purposes)
        EXPECT_GT(mostVertices[purposeColor(p.id()).name()], 100) << p.displayName();
}

namespace {
// Counts the paint events a widget receives.
class PaintCounter : public QObject {
public:
    int paints = 0;
    bool eventFilter(QObject*, QEvent* e) override
    {
        if (e->type() == QEvent::Paint)
            ++paints;
        return false;
    }
};
} // namespace

TEST(PressureGauge, ALiveSessionsSameShownFiguresAreNotRepainted)
{
    // A live session sets the gauge's figures 4 times a second: a repaint only
    // when what is drawn changes (text at its precision, the needle with it).
    PressureGauge gauge;
    gauge.resize(260, 320);
    gauge.setThresholds(PressureThresholds{});
    gauge.setCaption(QStringLiteral("Pressure now"));
    gauge.setUsage(700'000'000, 1'000'000'000, MemoryPressure::Low);
    PressureDurations d;
    d.ms = {100, 200, 300, 400};
    gauge.setDurations(d);
    gauge.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&gauge));
    QCoreApplication::processEvents();
    PaintCounter counter;
    gauge.installEventFilter(&counter);
    const auto settle = [] {
        for (int i = 0; i < 5; ++i)
            QCoreApplication::processEvents();
    };
    // 100 bytes more: "70.0 %", the same size text; the same level, caption, durations
    gauge.setCaption(QStringLiteral("Pressure now"));
    gauge.setUsage(700'000'100, 1'000'000'000, MemoryPressure::Low);
    gauge.setThresholds(PressureThresholds{});
    gauge.setDurations(d);
    settle();
    EXPECT_EQ(counter.paints, 0);
    gauge.setUsage(712'000'000, 1'000'000'000, MemoryPressure::Low); // 71.2 %
    settle();
    EXPECT_EQ(counter.paints, 1);
    d.ms[3] = 1400; // the time at a level moved
    gauge.setDurations(d);
    settle();
    EXPECT_EQ(counter.paints, 2);
    gauge.setUsage(712'000'000, 1'000'000'000, MemoryPressure::Medium); // what the producer reports
    settle();
    EXPECT_EQ(counter.paints, 3);
    gauge.setCaption(QStringLiteral("Pressure at the end"));
    settle();
    EXPECT_EQ(counter.paints, 4);
    gauge.clear();
    settle();
    EXPECT_EQ(counter.paints, 5);
}

// Each level's bar stops short of the widest figure, whichever level's it is:
// here the first ("7.1 s (100 %)", the bar at its longest) against three
// short ones. (The bar was sized for the last level's figure only, and ran
// under the first's text.)
TEST(PressureGauge, ALevelsBarEndsBeforeTheWidestFigure)
{
    PressureGauge gauge;
    gauge.resize(260, 320);
    gauge.setThresholds(PressureThresholds{});
    gauge.setUsage(300, 1000, MemoryPressure::Low);
    PressureDurations d;
    d.ms = {7100, 0, 0, 0};
    gauge.setDurations(d);
    const QImage image = gauge.grab().toImage().convertToFormat(QImage::Format_RGB32);
    const QRgb bar = pressureColor(0).lighter(110).rgb();
    int barEnd = -1; // the rightmost pixel of the bar's colour in the lower half (the dial's bands are darker)
    for (int y = image.height() / 2; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixel(x, y) == bar)
                barEnd = std::max(barEnd, x);
    ASSERT_GT(barEnd, 100) << "the first level's bar, at 100 %, is drawn";
    const double textLeft = gauge.width() - 8 - 2 - QFontMetricsF(gauge.font()).horizontalAdvance(QStringLiteral("7.1 s (100 %)"));
    EXPECT_LT(barEnd, textLeft) << "the bar runs under its figure";
}

TEST(PressureGauge, ShowsComputedLevelAtTheThresholds)
{
    PressureGauge gauge;
    gauge.resize(260, 320);
    gauge.setThresholds(PressureThresholds{});
    gauge.setUsage(700, 1000, MemoryPressure::Low);
    EXPECT_EQ(gauge.computed(), MemoryPressure::Medium);
    EXPECT_DOUBLE_EQ(gauge.fraction(), 0.7);
    gauge.setUsage(950, 1000, std::nullopt);
    EXPECT_EQ(gauge.computed(), MemoryPressure::Critical);
    PressureDurations d;
    d.ms = {100, 200, 300, 400};
    gauge.setDurations(d);
    const QImage image = gauge.grab().toImage();
    ASSERT_EQ(image.size(), QSize(260, 320));
    // The red critical band is painted somewhere on the dial.
    bool red = false;
    for (int y = 0; y < image.height() && !red; ++y)
        for (int x = 0; x < image.width() && !red; ++x) {
            const QColor c = image.pixelColor(x, y);
            red = c.red() > 200 && c.green() < 70 && c.blue() < 60;
        }
    EXPECT_TRUE(red);
}
