// SPDX-License-Identifier: MIT
#include "load_for_test.h"

#include "loading/recording_loader.h"
#include "sessions/sessions_page.h"
#include "window/main_window.h"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTabBar>
#include <QTest>

namespace flight::uitest {

ui::LoadedRecordingPtr loadForTest(const QString& path, int timeoutMs)
{
    ui::RecordingLoader loader;
    QSignalSpy loaded(&loader, &ui::RecordingLoader::recordingLoaded);
    QSignalSpy finished(&loader, &ui::RecordingLoader::finished);
    loader.load({path});
    EXPECT_TRUE(finished.wait(timeoutMs)) << path.toStdString();
    EXPECT_EQ(loaded.count(), 1) << path.toStdString();
    return loaded.isEmpty() ? nullptr : loaded.at(0).at(0).value<ui::LoadedRecordingPtr>();
}

QString sampleRecording(const char* name)
{
    return QStringLiteral(FLIGHT_SOURCE_DIR "/resources/recordings/") + QLatin1String(name);
}

QString conformanceVector(const char* name)
{
    return QStringLiteral(FLIGHT_TEST_DATA "/conformance/") + QLatin1String(name);
}

bool openSamplesInWindow(ui::MainWindow& window, const QStringList& names, const QSize& size)
{
    QStringList paths;
    for (const QString& n : names)
        paths << QStringLiteral(FLIGHT_SOURCE_DIR "/resources/recordings/%1.jsonl.zst").arg(n);
    QSignalSpy finished(&window, &ui::MainWindow::loadFinished);
    window.openRecordings(paths);
    EXPECT_TRUE(finished.wait(30000));
    EXPECT_EQ(window.sessionsPage()->sessionCount(), names.size());
    if (finished.isEmpty() || window.sessionsPage()->sessionCount() != names.size())
        return false;
    window.sessionsPage()->selectSession(0);
    window.resize(size);
    window.show();
    window.activateWindow();
    const bool shown = QTest::qWaitForWindowActive(&window);
    EXPECT_TRUE(shown);
    return shown;
}

void clickTab(ui::MainWindow& w, const QString& text)
{
    for (QTabBar* bar : w.findChildren<QTabBar*>())
        for (int i = 0; i < bar->count(); ++i)
            if (bar->tabText(i).remove(QLatin1Char('&')) == text) {
                QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(i).center());
                return;
            }
    FAIL() << "no tab " << text.toStdString();
}

} // namespace flight::uitest
