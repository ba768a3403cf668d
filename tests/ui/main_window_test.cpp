#include "about_dialog.h"
#include "main_window.h"
#include "welcome_page.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QLabel>
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
    EXPECT_EQ(menus, (QStringList{QStringLiteral("&File"), QStringLiteral("&View"), QStringLiteral("&Help")}));
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

TEST(AboutDialog, ShowsTheVersion)
{
    AboutDialog d;
    bool found = false;
    for (QLabel* l : d.findChildren<QLabel*>())
        found = found || l->text().contains(QStringLiteral(FLIGHT_VERSION));
    EXPECT_TRUE(found);
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
