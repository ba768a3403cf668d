// SPDX-License-Identifier: MIT
#include "window/main_window.h"
#include "window/recent_files.h"
#include "models/session_list_model.h"
#include "sessions/sessions_page.h"

#include <gtest/gtest.h>

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMenu>
#include <QMimeData>
#include <QSignalSpy>
#include <QUrl>

using namespace flight::ui;

TEST(RecentFiles, NewestFirstNoDuplicatesAtMostTen)
{
    QMenu menu;
    RecentFiles recent(&menu);
    recent.clear();
    for (int i = 0; i < 12; ++i)
        recent.add({QStringLiteral("/tmp/r%1.jsonl").arg(i)});
    recent.add({QStringLiteral("/tmp/r5.jsonl")});
    const QStringList files = recent.files();
    ASSERT_EQ(files.size(), RecentFiles::kMaxFiles);
    EXPECT_EQ(files.front(), QStringLiteral("/tmp/r5.jsonl"));
    EXPECT_EQ(files.count(QStringLiteral("/tmp/r5.jsonl")), 1);
    EXPECT_EQ(files[1], QStringLiteral("/tmp/r11.jsonl"));
    EXPECT_FALSE(files.contains(QStringLiteral("/tmp/r0.jsonl")));
    // The menu offers them, then Clear List.
    EXPECT_EQ(menu.actions().size(), RecentFiles::kMaxFiles + 2);
    QSignalSpy chosen(&recent, &RecentFiles::fileChosen);
    menu.actions().front()->trigger();
    ASSERT_EQ(chosen.count(), 1);
    EXPECT_EQ(chosen.at(0).at(0).toString(), QStringLiteral("/tmp/r5.jsonl"));
    recent.clear();
    EXPECT_TRUE(recent.files().isEmpty());
}

TEST(MainWindow, DroppedRecordingOpensAndIsRemembered)
{
    MainWindow window;
    window.recentFiles()->clear();
    const QString path = QStringLiteral(FLIGHT_TEST_DATA "/conformance/go-snake.jsonl");
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(path)});
    // As a real drag does: enter (which makes the window the drop target), then drop.
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QSignalSpy finished(&window, &MainWindow::loadFinished);
    QCoreApplication::sendEvent(&window, &drop);
    ASSERT_FALSE(window.recentFiles()->files().isEmpty()) << "drop not delivered";
    ASSERT_TRUE(finished.wait(10000));
    ASSERT_EQ(window.sessionsPage()->model()->rowCount(), 1);
    EXPECT_EQ(window.sessionsPage()->model()->row(0).sessionId, QStringLiteral("vm-go"));
    EXPECT_EQ(window.recentFiles()->files().front(), path);
    window.recentFiles()->clear();
}
