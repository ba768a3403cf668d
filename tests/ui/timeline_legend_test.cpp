// SPDX-License-Identifier: MIT
// The timeline's legend names every purpose in full: with the eight standard
// purposes, the used line, the total and both limits (v6r-large) a row under the
// plot cut "Component stack" to "Component s..." at the window's default width;
// a column beside the plot has room for the longest name.
#include "load_for_test.h"
#include "loading/recording_loader.h"
#include "timeline/timeline_view.h"

#include "analytics/usage_pyramid.h"

#include <gtest/gtest.h>

#include <QChart>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QSignalSpy>

using namespace flight;
using namespace flight::ui;

TEST(TimelineLegend, EveryNameFitsWhole)
{
    const auto rec = uitest::loadForTest(uitest::sampleRecording("v6r-large.jsonl.zst"), 10000);
    ASSERT_NE(rec, nullptr);

    TimelineView view;
    view.resize(980, 480); // the timeline's size in a 1280 × 800 window
    view.show();
    view.setSession(&rec->store->session(0), rec->analytics[0].pyramid.get());
    QCoreApplication::processEvents(); // the chart lays out its legend

    QLegend* legend = view.chart()->legend();
    QStringList names;

    // The pressure bands and the marker lines are left out of the legend (their markers are hidden).
    const QStringList hidden{QStringLiteral("medium"), QStringLiteral("high"), QStringLiteral("critical"), QString()};
    for (QLegendMarker* marker : legend->markers()) {
        if (hidden.contains(marker->label()))
            continue;
        names << marker->label();
    }
    ASSERT_EQ(names.size(), 12) << names.join(QStringLiteral(", ")).toStdString(); // 8 purposes, used, total, soft, hard
    // the stack's order, top down: the first purpose stacked (VM heap, at the bottom) is listed last
    EXPECT_EQ(names.indexOf(QStringLiteral("VM heap")), 7) << names.join(QStringLiteral(", ")).toStdString();
    EXPECT_EQ(names.indexOf(QStringLiteral("Component stack")), 6);
    EXPECT_EQ(names.indexOf(QStringLiteral("used")), 8);
    EXPECT_TRUE(names.contains(QStringLiteral("Network buffers")));
    // What is drawn: Qt Charts elides a legend label that lacks room with "...".
    QStringList drawn;
    for (QGraphicsItem* item : view.scene()->items())
        if (auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item); text)
            drawn << text->toPlainText();
    for (const QString& name : names)
        EXPECT_TRUE(drawn.contains(name)) << name.toStdString() << " is drawn as one of: "
                                          << drawn.join(QStringLiteral(" | ")).toStdString();
    // The plot keeps most of the width.
    EXPECT_GT(view.chart()->plotArea().width(), 0.7 * view.width());
    EXPECT_LE(legend->geometry().height(), view.chart()->size().height());
}

// A live producer's next session, before its first data (SessionDetail::showCurrent):
// the legend, bands and axes stay and the title names the session waiting, so the
// plot does not move for the empty step; when the data comes with the same legend
// only the data and the title change. Before, the legend and title went and came
// back: the plot grew by ~105 px and shrank again for every new session.
TEST(TimelineLegend, ANextSessionWaitingForDataKeepsTheLegendAndThePlotStill)
{
    const auto rec = uitest::loadForTest(uitest::sampleRecording("v6r-large.jsonl.zst"), 10000);
    ASSERT_NE(rec, nullptr);
    TimelineView view;
    view.resize(980, 480);
    view.show();
    view.setSession(&rec->store->session(0), rec->analytics[0].pyramid.get());
    QCoreApplication::processEvents();
    const QRectF plot = view.chart()->plotArea();
    const auto labels = [&] {
        QStringList l;
        for (QLegendMarker* m : view.chart()->legend()->markers())
            l << m->label();
        return l;
    };
    const QStringList legend = labels();
    ASSERT_GE(legend.size(), 12);
    QSignalSpy moves(view.chart(), &QChart::plotAreaChanged);

    view.holdForNextSession(QStringLiteral("demo-v6r-large-9"));
    QCoreApplication::processEvents();
    EXPECT_EQ(labels(), legend);
    EXPECT_EQ(view.chart()->plotArea(), plot);
    EXPECT_TRUE(view.chart()->title().contains(QLatin1String("demo-v6r-large-9"))) << view.chart()->title().toStdString();

    view.setSession(&rec->store->session(0), rec->analytics[0].pyramid.get()); // the same legend
    QCoreApplication::processEvents();
    EXPECT_EQ(labels(), legend);
    EXPECT_EQ(view.chart()->plotArea(), plot);
    EXPECT_EQ(moves.count(), 0);
    EXPECT_TRUE(view.chart()->title().contains(QString::fromStdString(rec->store->session(0).info().sessionId)));

    // Nothing built yet: nothing to keep, the view is empty as before.
    TimelineView empty;
    empty.holdForNextSession(QStringLiteral("x-1"));
    EXPECT_TRUE(empty.chart()->series().isEmpty());
}
