// SPDX-License-Identifier: MIT
#include "gui_main.h"

#include "command_arguments.h"
#include "command_line.h"
#include "stop_signals.h"

#include "style/app_style.h"
#include "style/display_settings.h"
#include "window/main_window.h"
#include "sessions/sessions_page.h"
#include "sessions/session_detail.h"
#include "views/fleet_page.h"
#include "views/report_view.h"
#include "views/statistics_page.h"

#include "live/common/token_file.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QPixmap>
#include <QSocketNotifier>
#include <QTimer>
#include <QUrl>

#include <cstdio>
#include <memory>

namespace flight::app {
namespace {

int takeScreenshot(ui::MainWindow& window, const GuiOptions& options)
{
    window.resize(options.size);
    window.show();
    // Let layouts, deferred chart rebuilds and the first paint settle before grabbing.
    QElapsedTimer settle;
    settle.start();
    // The statistics and the report are written on workers: give them time to arrive too.
    const ui::StatisticsPage* stats = window.sessionsPage()->statistics();
    const ui::ReportView* report = window.sessionsPage()->detail()->report();
    while (settle.elapsed() < 150 || ((stats->isComputing() || report->isWriting()) && settle.elapsed() < 10000))
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    const QImage image = window.grab().toImage();
    if (!image.save(options.screenshotPath, "PNG")) {
        std::fprintf(stderr, "flight-inspector: cannot write %s: check the folder exists and is writable\n",
                     qPrintable(options.screenshotPath));
        return 2;
    }
    std::printf("%s: %dx%d\n", qPrintable(options.screenshotPath), image.width(), image.height());
    return 0;
}

void describeApplication()
{
    QApplication::setApplicationName(QStringLiteral("flight-inspector"));
    QApplication::setApplicationDisplayName(QStringLiteral("Flight Memory Inspector"));
    QApplication::setApplicationVersion(QStringLiteral(FLIGHT_VERSION));
    QApplication::setOrganizationName(QStringLiteral("flight"));
}

int fail(const QString& message)
{
    std::fprintf(stderr, "flight-inspector: %s\n", qPrintable(message));
    return 2;
}

// Preferences, then this run's overrides; screenshots ignore the user's saved choices.
void applyDisplayOptions(QApplication& app, const GuiOptions& options)
{
    ui::DisplaySettings& display = ui::DisplaySettings::instance();
    if (options.screenshotPath.isEmpty())
        display.load();
    if (!options.appearance.isEmpty())
        display.setAppearance(ui::DisplaySettings::appearanceFromKey(options.appearance));
    if (!options.units.isEmpty())
        display.setUnits(ui::DisplaySettings::unitsFromKey(options.units));
    ui::applyAppStyle(app);
}

void openFiles(ui::MainWindow& window, const GuiOptions& options)
{
    if (options.files.isEmpty())
        return;
    window.setRulesFile(options.rulesFile);
    window.openRecordings(options.files);
    if (options.screenshotPath.isEmpty())
        return;
    // The screenshot shows what was loaded (or, --at-preview, the first preview while
    // loading): wait for the worker to get there.
    QEventLoop wait;
    QObject::connect(&window, &ui::MainWindow::loadFinished, &wait, &QEventLoop::quit);
    if (options.atPreview)
        QObject::connect(&window, &ui::MainWindow::previewShown, &wait, &QEventLoop::quit);
    if (window.isLoading())
        wait.exec();
    // The top row, whichever file finished first: the same picture every time.
    if (!options.atPreview)
        window.sessionsPage()->selectSession(0);
}

int screenshotWhenSettled(ui::MainWindow& window, const GuiOptions& options)
{
    if (!options.prometheus.isEmpty()) {
        // The Fleet view: its first answer (rows or an error), within --wait.
        QEventLoop wait;
        QTimer::singleShot(std::max(options.settleMs, 1000), &wait, &QEventLoop::quit);
        QObject::connect(window.fleetPage(), &ui::FleetPage::fleetShown, &wait, &QEventLoop::quit);
        QObject::connect(window.fleetPage(), &ui::FleetPage::refreshFailed, &wait, &QEventLoop::quit);
        wait.exec();
        QApplication::processEvents();
    } else if (options.demo || !options.connectUrl.isEmpty() || !options.v8.isEmpty()) {
        // live data: gather for --wait milliseconds first
        QElapsedTimer gather;
        gather.start();
        while (gather.elapsed() < options.settleMs)
            QApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return takeScreenshot(window, options);
}

// The token in --token-file or --prometheus-token-file; none when not given.
Result<QByteArray> tokenIn(const QString& file)
{
    if (file.isEmpty())
        return QByteArray();
    return live::readTokenFile(file);
}

} // namespace

int guiMain(int argc, char** argv)
{
    if (wantsScreenshot(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    describeApplication();
    QCommandLineParser parser;
    describeGuiOptions(parser);
    processCommandLine(parser, app.arguments());
    const auto options = readGuiOptions(parser);
    if (!options)
        return fail(QString::fromStdString(options.error().message));
    const auto token = tokenIn(options->tokenFile);
    if (!token)
        return fail(QString::fromStdString(token.error().message));
    const auto prometheusToken = tokenIn(options->prometheusTokenFile);
    if (!prometheusToken)
        return fail(QString::fromStdString(prometheusToken.error().message));

    applyDisplayOptions(app, *options);
    ui::MainWindow window;
    if (options->screenshotPath.isEmpty())
        window.restoreLayout();
    window.sessionsPage()->showView(options->view);
    openFiles(window, *options);
    if (!options->connectUrl.isEmpty())
        window.openConnection(QUrl(options->connectUrl), *token);
    if (options->demo)
        window.startDemo();
    if (!options->v8.isEmpty())
        window.watchV8(options->v8);
    if (!options->prometheus.isEmpty())
        window.openPrometheus(options->prometheus, *prometheusToken);
    if (!options->screenshotPath.isEmpty())
        return screenshotWhenSettled(window, *options);
    // SIGTERM / SIGINT quit like File › Quit: the window closes its connections and stops the demo's agent.
    StopSignals stopSignals;
    std::unique_ptr<QSocketNotifier> stopNotifier;
    if (stopSignals.install()) {
        stopNotifier = std::make_unique<QSocketNotifier>(stopSignals.readFd(), QSocketNotifier::Read);
        QObject::connect(stopNotifier.get(), &QSocketNotifier::activated, &app, [&stopSignals]() {
            stopSignals.acknowledge();
            QApplication::quit();
        });
    }
    window.show();
    return app.exec();
}

} // namespace flight::app
