// SPDX-License-Identifier: MIT
#include "gui_main.h"

#include "command_arguments.h"
#include "command_line.h"

#include "style/app_style.h"
#include "style/display_settings.h"
#include "window/main_window.h"
#include "sessions/sessions_page.h"
#include "views/statistics_page.h"

#include "live/token_file.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QPixmap>
#include <QTimer>
#include <QUrl>

#include <cstdio>

namespace flight::app {
namespace {

int takeScreenshot(ui::MainWindow& window, const GuiOptions& options)
{
    window.resize(options.size);
    window.show();
    // Let layouts, deferred chart rebuilds and the first paint settle before grabbing.
    QElapsedTimer settle;
    settle.start();
    // The statistics are computed on a worker: give them time to arrive too.
    const ui::StatisticsPage* stats = window.sessionsPage()->statistics();
    while (settle.elapsed() < 150 || (stats->isComputing() && settle.elapsed() < 10000))
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

} // namespace

int guiMain(int argc, char** argv)
{
    if (wantsScreenshot(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("flight-inspector"));
    QApplication::setApplicationDisplayName(QStringLiteral("Flight Memory Inspector"));
    QApplication::setApplicationVersion(QStringLiteral(FLIGHT_VERSION));
    QApplication::setOrganizationName(QStringLiteral("flight"));

    QCommandLineParser parser;
    describeGuiOptions(parser);
    processCommandLine(parser, app.arguments());
    QString error;
    const auto options = readGuiOptions(parser, &error);
    if (!options) {
        std::fprintf(stderr, "flight-inspector: %s\n", qPrintable(error));
        return 2;
    }

    // Preferences, then this run's overrides; screenshots ignore the user's saved choices.
    ui::DisplaySettings& display = ui::DisplaySettings::instance();
    if (options->screenshotPath.isEmpty())
        display.load();
    if (!options->appearance.isEmpty())
        display.setAppearance(ui::DisplaySettings::appearanceFromKey(options->appearance));
    if (!options->units.isEmpty())
        display.setUnits(ui::DisplaySettings::unitsFromKey(options->units));
    ui::applyAppStyle(app);
    ui::MainWindow window;
    if (options->screenshotPath.isEmpty())
        window.restoreLayout();
    window.sessionsPage()->showView(options->view);
    if (!options->files.isEmpty()) {
        window.openRecordings(options->files);
        if (!options->screenshotPath.isEmpty()) {
            // The screenshot shows what was loaded (or, --at-preview, the first preview while
            // loading): wait for the worker to get there.
            QEventLoop wait;
            QObject::connect(&window, &ui::MainWindow::loadFinished, &wait, &QEventLoop::quit);
            if (options->atPreview)
                QObject::connect(&window, &ui::MainWindow::previewShown, &wait, &QEventLoop::quit);
            if (window.isLoading())
                wait.exec();
            // The top row, whichever file finished first: the same picture every time.
            if (!options->atPreview)
                window.sessionsPage()->selectSession(0);
        }
    }
    const bool live = options->demo || !options->connectUrl.isEmpty();
    if (!options->connectUrl.isEmpty()) {
        QByteArray token;
        if (!options->tokenFile.isEmpty()) {
            auto read = live::readTokenFile(options->tokenFile);
            if (!read) {
                std::fprintf(stderr, "flight-inspector: %s\n", read.error().message.c_str());
                return 2;
            }
            token = *read;
        }
        const QUrl url(options->connectUrl);
        if (!url.isValid() || (url.scheme() != QStringLiteral("ws") && url.scheme() != QStringLiteral("wss"))) {
            std::fprintf(stderr, "flight-inspector: --connect needs a ws:// or wss:// URL, got \"%s\"\n",
                         qPrintable(options->connectUrl));
            return 2;
        }
        window.openConnection(url, token);
    }
    if (options->demo)
        window.startDemo();
    if (!options->screenshotPath.isEmpty()) {
        if (live) {
            QElapsedTimer gather;
            gather.start();
            while (gather.elapsed() < options->settleMs)
                QApplication::processEvents(QEventLoop::AllEvents, 50);
        }
        return takeScreenshot(window, *options);
    }
    window.show();
    return app.exec();
}

} // namespace flight::app
