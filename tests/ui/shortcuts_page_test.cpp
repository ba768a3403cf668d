// SPDX-License-Identifier: MIT
// Help › Keyboard Shortcuts: a page written from the window's actions and the
// timeline's own keys, so it cannot drift from what the keys do.
#include "load_for_test.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "timeline/timeline_view.h"
#include "window/main_window.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QMenu>
#include <QMenuBar>
#include <QTest>
#include <QTextBrowser>

using namespace flight;
using namespace flight::ui;

namespace {
QDialog* shownShortcutsPage()
{
    for (QWidget* top : QApplication::topLevelWidgets())
        if (auto* d = qobject_cast<QDialog*>(top); d && d->isVisible() && d->objectName() == QStringLiteral("KeyboardShortcuts"))
            return d;
    return nullptr;
}

void collect(const QMenu* menu, QList<QAction*>& out)
{
    for (QAction* a : menu->actions()) {
        if (a->menu())
            collect(a->menu(), out);
        else if (!a->isSeparator())
            out << a;
    }
}
} // namespace

TEST(ShortcutsPage, HelpMenuOpensAPageListingEveryShortcutOfTheWindow)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast")}));
    QList<QAction*> actions;
    QAction* page = nullptr;
    for (QAction* m : w.menuBar()->actions())
        collect(m->menu(), actions);
    for (QAction* a : actions)
        if (a->text().remove(QLatin1Char('&')).startsWith(QStringLiteral("Keyboard Shortcuts")))
            page = a;
    ASSERT_NE(page, nullptr) << "no Help › Keyboard Shortcuts";
    // F1 opens it from anywhere in the window.
    EXPECT_EQ(page->shortcut(), QKeySequence(QKeySequence::HelpContents));
    w.sessionsPage()->detail()->timeline()->setFocus();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_F1);
    QDialog* dialog = shownShortcutsPage();
    ASSERT_NE(dialog, nullptr) << "F1 showed no shortcuts page";
    auto* text = dialog->findChild<QTextBrowser*>();
    ASSERT_NE(text, nullptr);
    const QString shown = text->toPlainText();

    // Every menu action with a shortcut is listed with its name and its keys as the platform writes them.
    int listed = 0;
    for (QAction* a : actions) {
        if (a->shortcut().isEmpty())
            continue;
        const QString name = a->text().remove(QLatin1Char('&')).remove(QStringLiteral("…"));
        EXPECT_TRUE(shown.contains(name)) << name.toStdString();
        EXPECT_TRUE(shown.contains(a->shortcut().toString(QKeySequence::NativeText))) << name.toStdString();
        ++listed;
    }
    EXPECT_GE(listed, 12);
    // The tab switching keys, which live on no menu item's label.
    for (const char* keys : {"Ctrl+Tab", "Ctrl+PgDown", "Ctrl+Shift+Tab", "Ctrl+PgUp"})
        EXPECT_TRUE(shown.contains(QKeySequence(QString::fromLatin1(keys)).toString(QKeySequence::NativeText))) << keys;

    // The timeline's mouse and keys: the same data its hover help is made of.
    const QString hover = w.sessionsPage()->detail()->timeline()->toolTip();
    ASSERT_FALSE(hover.isEmpty());
    for (const QString& item : hover.split(QStringLiteral(" · "))) {
        const QString what = item.section(QStringLiteral(": "), 1);
        EXPECT_TRUE(shown.contains(what)) << item.toStdString();
    }
    EXPECT_TRUE(shown.contains(QStringLiteral("Ctrl+drag")));
    EXPECT_TRUE(shown.contains(QStringLiteral("select a range")));

    // Esc closes it.
    QTest::keyClick(dialog, Qt::Key_Escape);
    EXPECT_EQ(shownShortcutsPage(), nullptr);
}
