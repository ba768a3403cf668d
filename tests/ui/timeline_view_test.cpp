// The timeline and the gauge over a real sample recording, loaded as the app does.
#include "pressure_gauge.h"
#include "recording_loader.h"
#include "timeline_view.h"

#include <gtest/gtest.h>

#include <QAreaSeries>
#include <QLineSeries>
#include <QSignalSpy>
#include <QWheelEvent>

using namespace flight;
using namespace flight::ui;

namespace {

LoadedRecordingPtr loadSample(const char* name)
{
    RecordingLoader loader;
    QSignalSpy loaded(&loader, &RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &RecordingLoader::finished);
    loader.load({QStringLiteral(FLIGHT_SOURCE_DIR "/resources/recordings/") + QLatin1String(name)});
    EXPECT_TRUE(finished.wait(20000));
    EXPECT_EQ(loaded.count(), 1);
    return loaded.isEmpty() ? nullptr : loaded.at(0).at(0).value<LoadedRecordingPtr>();
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
    double maxY = 0;
    for (QAbstractSeries* s : view.chart()->series())
        if (s->name() == QStringLiteral("used"))
            for (const QPointF& p : static_cast<QLineSeries*>(s)->points())
                maxY = std::max(maxY, p.y());
    EXPECT_NEAR(maxY * 1024 * 1024, static_cast<double>(session.peakBytes()), 1.0);

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
