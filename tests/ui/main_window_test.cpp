// SPDX-License-Identifier: MIT
#include "window/about_dialog.h"
#include "window/main_window.h"
#include "window/recent_files.h"
#include "sessions/sessions_page.h"
#include "window/welcome_page.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QCoreApplication>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QToolButton>

using namespace flight::ui;

TEST(MainWindow, OffersTheStartActionsAndMenus)
{
    MainWindow w;
    QStringList menus;
    for (QAction* a : w.menuBar()->actions())
        menus << a->text();
    EXPECT_EQ(menus, (QStringList{QStringLiteral("&File"), QStringLiteral("&Edit"), QStringLiteral("&View"), QStringLiteral("&Help")}));
    auto* welcome = w.findChild<WelcomePage*>();
    ASSERT_NE(welcome, nullptr);
    const auto buttons = welcome->findChildren<QToolButton*>();
    ASSERT_EQ(buttons.size(), 3);
    EXPECT_TRUE(buttons[0]->text().startsWith(QStringLiteral("Open recording")));
    EXPECT_TRUE(buttons[0]->isEnabled());
    EXPECT_TRUE(buttons[1]->text().startsWith(QStringLiteral("Connect")));
    EXPECT_TRUE(buttons[2]->text().startsWith(QStringLiteral("Demo")));
    EXPECT_FALSE(w.statusBar()->currentMessage().isEmpty());
}

TEST(MainWindow, OpenShortcutIsCtrlO)
{
    MainWindow w;
    bool found = false;
    for (QAction* menu : w.menuBar()->actions())
        for (QAction* a : menu->menu()->actions())
            if (a->shortcut() == QKeySequence(QKeySequence::Open))
                found = a->text().contains(QStringLiteral("Open"));
    EXPECT_TRUE(found);
}

TEST(MainWindow, AFileThatIsNoRecordingIsSaidInOneLine)
{
    // Opening the README: one clear line in the status bar, no session, no list of its lines.
    MainWindow w;
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openRecordings({QStringLiteral(FLIGHT_SOURCE_DIR "/README.md")});
    ASSERT_TRUE(finished.wait(10000));
    QStringList errors;
    for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
        if (!l->isHidden() && l->text().contains(QStringLiteral("README.md")))
            errors << l->text();
    ASSERT_EQ(errors.size(), 1);
    EXPECT_TRUE(errors[0].startsWith(QStringLiteral("Cannot open README.md: not a Flight recording (no line of its ")))
        << errors[0].toStdString();
    EXPECT_TRUE(errors[0].endsWith(QStringLiteral(" is a Flight message)"))) << errors[0].toStdString();
    EXPECT_FALSE(errors[0].contains(QLatin1Char('\n')));
    // Nothing drawn over it: a temporary message ("0 session(s) open") would cover the label.
    EXPECT_TRUE(w.statusBar()->currentMessage().isEmpty()) << w.statusBar()->currentMessage().toStdString();
    EXPECT_EQ(w.sessionsPage()->sessionCount(), 0);
    EXPECT_TRUE(w.sessionsPage()->recordings().empty());
    // Open Recent does not offer it again.
    EXPECT_FALSE(w.recentFiles()->files().contains(QStringLiteral(FLIGHT_SOURCE_DIR "/README.md")));
}

TEST(AboutDialog, ShowsTheVersion)
{
    AboutDialog d;
    bool found = false;
    for (QLabel* l : d.findChildren<QLabel*>())
        found = found || l->text().contains(QStringLiteral(FLIGHT_VERSION));
    EXPECT_TRUE(found);
}

TEST(AboutDialog, NamesTheLicenceWithTheCopyright)
{
    AboutDialog d;
    QString shown;
    for (QLabel* l : d.findChildren<QLabel*>())
        shown += l->text();
    EXPECT_TRUE(shown.contains(QStringLiteral("Licensed under the MIT licence (SPDX: MIT).")));
    EXPECT_TRUE(shown.contains(QStringLiteral("Copyright (c) 2026 Flight Memory Inspector developers")));
}

TEST(WelcomePage, ButtonsEmitTheirRequests)
{
    WelcomePage page;
    QSignalSpy open(&page, &WelcomePage::openRecordingRequested);
    const auto buttons = page.findChildren<QToolButton*>();
    ASSERT_EQ(buttons.size(), 3);
    buttons[0]->click();
    EXPECT_EQ(open.count(), 1);
    page.setConnectAvailable(false, QStringLiteral("not yet"));
    EXPECT_FALSE(buttons[1]->isEnabled());
    EXPECT_EQ(buttons[1]->toolTip(), QStringLiteral("not yet"));
}

namespace {
// The box of the pixels an icon actually paints (alpha > 0) at `size`.
QRect paintedBox(const QIcon& icon, const QSize& size)
{
    const QImage image = icon.pixmap(size).toImage().convertToFormat(QImage::Format_ARGB32);
    QRect box;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (qAlpha(image.pixel(x, y)) > 0)
                box |= QRect(x, y, 1, 1);
    return box;
}
} // namespace

TEST(WelcomePage, StartIconsAreTheSameSizeAndExamplesShowARecordingIcon)
{
    WelcomePage page;
    const auto buttons = page.findChildren<QToolButton*>();
    ASSERT_EQ(buttons.size(), 3);
    for (QToolButton* b : buttons) {
        // Each icon fills the button's icon size: none is a small theme bitmap left unscaled.
        EXPECT_EQ(b->icon().actualSize(b->iconSize()), b->iconSize()) << b->text().toStdString();
        // And its drawing fills most of that box (the widest or tallest way), so the three look alike in size.
        const QRect painted = paintedBox(b->icon(), b->iconSize());
        EXPECT_GE(std::max(painted.width(), painted.height()), b->iconSize().width() * 4 / 5) << b->text().toStdString();
        EXPECT_GE(std::min(painted.width(), painted.height()), b->iconSize().width() * 3 / 5) << b->text().toStdString();
    }
    page.setExamples({QStringLiteral("/x/psp.jsonl.zst"), QStringLiteral("/x/vita.jsonl.zst")});
    auto* list = page.findChild<QListWidget*>();
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->count(), 2);
    const QImage recording = QIcon(QStringLiteral(":/icons/recording.svg")).pixmap(list->iconSize()).toImage();
    ASSERT_FALSE(recording.isNull());
    for (int i = 0; i < list->count(); ++i)
        EXPECT_EQ(list->item(i)->icon().pixmap(list->iconSize()).toImage(), recording) << i;
    EXPECT_EQ(list->item(0)->text(), QStringLiteral("psp"));
}

TEST(WelcomePage, StartButtonsShowTheirWholeTextInASmallWindow)
{
    WelcomePage page;
    page.resize(1024, 700);
    page.show();
    QCoreApplication::processEvents();
    for (QToolButton* b : page.findChildren<QToolButton*>()) {
        const QStringList lines = b->text().split(QLatin1Char('\n'));
        for (const QString& line : lines) // 12 px padding and a 1 px border each side
            EXPECT_GE(b->width(), b->fontMetrics().horizontalAdvance(line) + 2 * 13) << line.toStdString();
    }
}
