// SPDX-License-Identifier: MIT
// The window on a Prometheus (--prometheus, File › Connect to Prometheus…):
// the Fleet page shows and the title and status bar say so, not the welcome's
// "open a recording to begin"; no credential of the URL is shown.
#include "views/fleet_page.h"
#include "window/main_window.h"

#include "live_test_support.h"

#include <gtest/gtest.h>

#include <QStackedWidget>
#include <QStatusBar>

using namespace flight;
using namespace flight::ui;

TEST(FleetWindow, OpeningAPrometheusShowsTheFleetAndSaysSoWithoutItsPassword)
{
    const livetest::ClosedPort nobody; // nothing answers: the page shows its error, the window its state
    MainWindow w;
    w.openPrometheus(QUrl(QStringLiteral("http://ops:secret@127.0.0.1:%1").arg(nobody.port())));
    auto* fleet = w.findChild<FleetPage*>();
    ASSERT_NE(fleet, nullptr);
    EXPECT_EQ(w.findChild<QStackedWidget*>()->currentWidget(), fleet);
    EXPECT_EQ(w.windowTitle(), QStringLiteral("Fleet — Flight Memory Inspector"));
    const QString status = w.statusBar()->currentMessage();
    EXPECT_TRUE(status.startsWith(QStringLiteral("Fleet from http://127.0.0.1:%1").arg(nobody.port()))) << status.toStdString();
    EXPECT_FALSE(status.contains(QStringLiteral("secret"))) << status.toStdString();
}
