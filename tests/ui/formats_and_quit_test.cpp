// SPDX-License-Identifier: MIT
// One way to write a time in the hover read-outs, the Report text in the
// chosen units, and the demo's flight-agent stopped whenever the inspector
// goes (quit, or SIGTERM to it).
#include "load_for_test.h"
#include "sessions/pressure_gauge.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "style/display_settings.h"
#include "timeline/timeline_view.h"
#include "views/report_view.h"
#include "window/main_window.h"

#include "live_test_support.h"
#include "process_watch.h"

#include <gtest/gtest.h>

#include <QChart>
#include <QDir>
#include <QFile>
#include <QGraphicsTextItem>
#include <QTextBrowser>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace flight;
using namespace flight::ui;
using flight::livetest::waitUntil;
using flight::uitest::childrenNamed;
using flight::uitest::running;

namespace {
QString shownReadout(TimelineView* v)
{
    for (QGraphicsItem* item : v->scene()->items())
        if (auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item); text && text->isVisible() && text->toPlainText().contains(QStringLiteral("used")))
            return text->toPlainText();
    return {};
}

} // namespace

TEST(Formats, HoverReadoutsWriteTimesOneWay)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast")}));
    TimelineView* timeline = w.sessionsPage()->detail()->timeline();
    const QRectF plot = timeline->chart()->plotArea();
    const QRegularExpression seconds(QStringLiteral("^\\d+\\.\\d{3} s$"));
    // Early (under a minute) and late (over three minutes): the same form.
    for (const double at : {0.1, 0.9}) {
        const QPoint pos = timeline->mapFromScene(QPointF(plot.left() + plot.width() * at, plot.center().y()));
        QTest::mouseMove(timeline->viewport(), pos);
        ASSERT_TRUE(waitUntil([&]() { return !shownReadout(timeline).isEmpty(); }, 2000));
        const QString readout = shownReadout(timeline);
        const QString time = readout.section(QStringLiteral("  "), 0, 0).trimmed().section(QChar(0xa0), 0, 0).trimmed();
        EXPECT_TRUE(seconds.match(time).hasMatch()) << readout.toStdString();
        // The gauge, following the cursor, says the same instant the same way.
        const QString caption = w.sessionsPage()->detail()->gauge()->caption();
        EXPECT_TRUE(caption.endsWith(time)) << caption.toStdString() << " vs " << time.toStdString();
    }
}

TEST(Formats, ReportTextFollowsTheUnitsPreference)
{
    DisplaySettings::instance().setUnits(ByteUnits::Protocol);
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast")}));
    ASSERT_TRUE(w.sessionsPage()->showView(QStringLiteral("report")));
    // The Report tab is the HTML report (ReportView's browser), written on a worker.
    auto* report = w.sessionsPage()->detail()->report()->findChild<QTextBrowser*>();
    ASSERT_NE(report, nullptr);
    ASSERT_TRUE(waitUntil([&]() { return report->toPlainText().contains(QStringLiteral("16.0MB")); }, 5000))
        << report->toPlainText().toStdString();
    DisplaySettings::instance().setUnits(ByteUnits::Binary);
    EXPECT_TRUE(waitUntil([&]() { return report->toPlainText().contains(QStringLiteral("16.0 MiB")); }, 5000))
        << report->toPlainText().toStdString();
    const QRegularExpression decimal(QStringLiteral(".{0,40}\\d(MB|KB| MB| kB)\\b"));
    EXPECT_FALSE(report->toPlainText().contains(decimal)) << decimal.match(report->toPlainText()).captured(0).toStdString();
    DisplaySettings::instance().setUnits(ByteUnits::Decimal);
    EXPECT_TRUE(waitUntil([&]() { return report->toPlainText().contains(QStringLiteral("16.8 MB")); }, 5000))
        << report->toPlainText().toStdString();
    DisplaySettings::instance().setUnits(ByteUnits::Protocol);
    EXPECT_TRUE(waitUntil([&]() { return report->toPlainText().contains(QStringLiteral("16.0MB")); }, 5000));
}

TEST(Quit, SigtermToTheInspectorStopsTheDemoAgent)
{
    QTemporaryDir home;
    ASSERT_TRUE(home.isValid());
    QProcess inspector;
    ASSERT_TRUE(uitest::startInspector(inspector, QStringLiteral(FLIGHT_INSPECTOR_EXE), home.path(), {QStringLiteral("--demo")}));
    QList<qint64> agents;
    ASSERT_TRUE(waitUntil([&]() {
        agents = childrenNamed(inspector.processId(), QStringLiteral("flight-agent"));
        return !agents.isEmpty();
    }, 15000)) << "the demo started no flight-agent";
    QTest::qWait(500); // the window connected to it
    ::kill(static_cast<pid_t>(inspector.processId()), SIGTERM);
    ASSERT_TRUE(inspector.waitForFinished(10000));
    const bool stopped = waitUntil([&]() { return !running(agents.front()); }, 5000);
    if (!stopped)
        ::kill(static_cast<pid_t>(agents.front()), SIGKILL); // clean up what the test started
    EXPECT_TRUE(stopped) << "flight-agent " << agents.front() << " outlived the inspector";
    EXPECT_EQ(inspector.exitStatus(), QProcess::NormalExit) << "SIGTERM killed the inspector instead of quitting it";
}
