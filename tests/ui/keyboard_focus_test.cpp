// SPDX-License-Identifier: MIT
// Keyboard use of the real window: Tab moves focus between panes (never the
// session selection), a ring shows which pane has focus, Ctrl+Tab / Ctrl+PgDn
// and their reverses switch the detail tabs, and Alt+E opens the Edit menu
// (the Events tab's mnemonic is N).
#include "load_for_test.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "timeline/timeline_view.h"
#include "window/main_window.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QImage>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace flight;
using namespace flight::ui;

namespace {
QTabWidget* detailTabs(MainWindow& w)
{
    return w.sessionsPage()->detail()->findChild<QTabWidget*>();
}

void press(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QWidget* target = QApplication::focusWidget();
    ASSERT_NE(target, nullptr);
    QTest::keyClick(target, static_cast<Qt::Key>(key), modifiers);
}

// How many of the points 1 px inside `widget`'s edge, on the grabbed window, have the highlight colour.
double ringShare(MainWindow& w, QWidget* widget)
{
    const QImage shot = w.grab().toImage();
    const QRect r(widget->mapTo(&w, QPoint(0, 0)), widget->size());
    const QColor ring = w.palette().color(QPalette::Highlight);
    int hits = 0;
    int points = 0;
    for (int i = 1; i < 20; ++i) {
        const int x = r.left() + r.width() * i / 20;
        const int y = r.top() + r.height() * i / 20;
        for (const QPoint p : {QPoint(x, r.top() + 1), QPoint(x, r.bottom() - 1), QPoint(r.left() + 1, y), QPoint(r.right() - 1, y)}) {
            const QColor c = shot.pixelColor(p);
            ++points;
            if (std::abs(c.red() - ring.red()) + std::abs(c.green() - ring.green()) + std::abs(c.blue() - ring.blue()) < 30)
                ++hits;
        }
    }
    return static_cast<double>(hits) / points;
}
} // namespace

TEST(KeyboardFocus, TabWalksThePanesAndNeverTheSessions)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast"), QStringLiteral("psp"), QStringLiteral("vita")}));
    QTableView* table = w.sessionsPage()->sessionTable();
    TimelineView* timeline = w.sessionsPage()->detail()->timeline();
    timeline->setFocus(Qt::TabFocusReason);
    ASSERT_EQ(QApplication::focusWidget(), timeline);

    QSet<QWidget*> visited;
    for (int i = 0; i < 25; ++i) {
        press(Qt::Key_Tab);
        visited << QApplication::focusWidget();
        ASSERT_EQ(table->currentIndex().row(), 0) << "Tab number " << i + 1 << " changed the selected session";
    }
    // Focus went round the panes: the list, the timeline and the tabs are all reached.
    EXPECT_TRUE(visited.contains(table));
    EXPECT_TRUE(visited.contains(timeline));
    EXPECT_GE(visited.size(), 4);
    // Shift+Tab goes back the same way, also without touching the selection.
    for (int i = 0; i < 10; ++i)
        press(Qt::Key_Backtab, Qt::ShiftModifier);
    EXPECT_EQ(table->currentIndex().row(), 0);
}

TEST(KeyboardFocus, ARingShowsWhichPaneHasFocus)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast")}));
    QTableView* table = w.sessionsPage()->sessionTable();
    TimelineView* timeline = w.sessionsPage()->detail()->timeline();
    table->setFocus(Qt::TabFocusReason);
    // Tab until the timeline has focus, as a user would.
    for (int i = 0; i < 30 && QApplication::focusWidget() != timeline; ++i)
        press(Qt::Key_Tab);
    ASSERT_EQ(QApplication::focusWidget(), timeline);
    QTest::qWait(50);
    EXPECT_GT(ringShare(w, timeline), 0.9) << "no focus ring around the timeline";
    EXPECT_LT(ringShare(w, table), 0.5) << "the ring stayed on the sessions list";
    // It follows focus.
    for (int i = 0; i < 30 && QApplication::focusWidget() != table; ++i)
        press(Qt::Key_Tab);
    ASSERT_EQ(QApplication::focusWidget(), table);
    QTest::qWait(50);
    EXPECT_GT(ringShare(w, table), 0.9) << "no focus ring around the sessions list";
    EXPECT_LT(ringShare(w, timeline), 0.5);
}

TEST(KeyboardFocus, CtrlTabAndCtrlPageKeysSwitchTheDetailTabs)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast")}));
    QTabWidget* tabs = detailTabs(w);
    ASSERT_NE(tabs, nullptr);
    ASSERT_EQ(tabs->currentIndex(), 0);
    // From the sessions list as from the timeline: the tabs are the window's, not the focused pane's.
    w.sessionsPage()->sessionTable()->setFocus(Qt::TabFocusReason);
    press(Qt::Key_Tab, Qt::ControlModifier);
    EXPECT_EQ(tabs->currentIndex(), 1);
    press(Qt::Key_PageDown, Qt::ControlModifier);
    EXPECT_EQ(tabs->currentIndex(), 2);
    w.sessionsPage()->detail()->timeline()->setFocus(Qt::TabFocusReason);
    press(Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
    EXPECT_EQ(tabs->currentIndex(), 1);
    press(Qt::Key_PageUp, Qt::ControlModifier);
    EXPECT_EQ(tabs->currentIndex(), 0);
    // Round the ends.
    press(Qt::Key_PageUp, Qt::ControlModifier);
    EXPECT_EQ(tabs->currentIndex(), tabs->count() - 1);
    press(Qt::Key_Tab, Qt::ControlModifier);
    EXPECT_EQ(tabs->currentIndex(), 0);
    // The session stayed the same throughout.
    EXPECT_EQ(w.sessionsPage()->sessionTable()->currentIndex().row(), 0);
}

TEST(KeyboardFocus, AltEOpensTheEditMenuAndAltNTheEventsTab)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast")}));
    QTabWidget* tabs = detailTabs(w);
    ASSERT_NE(tabs, nullptr);
    w.sessionsPage()->detail()->timeline()->setFocus(Qt::TabFocusReason);
    press(Qt::Key_E, Qt::AltModifier);
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    ASSERT_NE(menu, nullptr) << "Alt+E opened no menu";
    EXPECT_EQ(menu->title(), QStringLiteral("&Edit"));
    EXPECT_EQ(tabs->currentIndex(), 0) << "Alt+E switched the tab";
    menu->close();
    // Every tab's mnemonic is its own: none is also a menu's.
    QSet<int> menuKeys;
    for (QAction* a : w.menuBar()->actions())
        menuKeys << static_cast<int>(QKeySequence::mnemonic(a->text())[0].key());
    for (int i = 0; i < tabs->count(); ++i) {
        const QKeySequence m = QKeySequence::mnemonic(tabs->tabText(i));
        ASSERT_FALSE(m.isEmpty()) << tabs->tabText(i).toStdString();
        EXPECT_FALSE(menuKeys.contains(static_cast<int>(m[0].key()))) << tabs->tabText(i).toStdString();
    }
    w.sessionsPage()->detail()->timeline()->setFocus(Qt::TabFocusReason);
    press(Qt::Key_N, Qt::AltModifier);
    EXPECT_EQ(tabs->tabText(tabs->currentIndex()).remove(QLatin1Char('&')), QStringLiteral("Events"));
}
