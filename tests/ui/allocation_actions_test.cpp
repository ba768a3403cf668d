// SPDX-License-Identifier: MIT
// Rows of the Allocations view lead somewhere: double-click shows the
// allocation's lifetime on the timeline; the context menu offers Show on
// Timeline, Copy and Filter by This Purpose. Filters are the session's: another
// session starts with none.
#include "load_for_test.h"
#include "models/allocation_table_model.h"
#include "sessions/session_detail.h"
#include "sessions/sessions_page.h"
#include "timeline/timeline_view.h"
#include "views/allocations_page.h"
#include "window/main_window.h"

#include "live_test_support.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QLineEdit>
#include <QMenu>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QSignalSpy>

using namespace flight;
using namespace flight::ui;
using flight::livetest::waitUntil;

namespace {
struct Allocations {
    AllocationsPage* page = nullptr;
    QTableView* table = nullptr;
    QComboBox* purpose = nullptr;
};

Allocations showAllocations(MainWindow& w)
{
    Allocations a;
    EXPECT_TRUE(w.sessionsPage()->showView(QStringLiteral("allocations")));
    a.page = w.sessionsPage()->detail()->allocations();
    a.table = a.page->findChild<QTableView*>();
    for (QComboBox* c : a.page->findChildren<QComboBox*>())
        if (c != a.page->modeBox())
            a.purpose = c;
    EXPECT_TRUE(waitUntil([&]() { return !a.page->model()->isBusy() && a.page->model()->rowCount() > 10; }, 10000));
    return a;
}

// Opens the row's context menu as a right click does, reads its items and picks the one with `mnemonic`.
QStringList contextMenuPick(QTableView* table, int row, Qt::Key mnemonic)
{
    const QPoint pos = table->visualRect(table->model()->index(row, 0)).center();
    QStringList items;
    QTimer::singleShot(100, [&items, mnemonic]() {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction* a : menu->actions())
            if (!a->isSeparator())
                items << a->text();
        QTest::keyClick(menu, mnemonic);
        if (menu->isVisible())
            menu->close();
    });
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, table->viewport()->mapToGlobal(pos));
    QApplication::sendEvent(table->viewport(), &event);
    QTest::qWait(150);
    return items;
}
} // namespace

TEST(AllocationActions, DoubleClickSelectsTheLifetimeOnTheTimeline)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast")}));
    const Allocations a = showAllocations(w);
    ASSERT_NE(a.table, nullptr);
    // The largest allocation that was freed (the largest live ones last to the end).
    int shown = 0;
    while (a.page->model()->rowAt(shown) && !a.page->model()->rowAt(shown)->freed())
        ++shown;
    ASSERT_NE(a.page->model()->rowAt(shown), nullptr);
    const AllocationRow row = *a.page->model()->rowAt(shown);
    a.table->scrollTo(a.page->model()->index(shown, 2));
    QTest::qWait(50); // the view lays out the scrolled rows
    const QRect cell = a.table->visualRect(a.page->model()->index(shown, 2));
    QSignalSpy activated(a.table, &QAbstractItemView::activated);
    QTest::mouseClick(a.table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(a.table->viewport(), Qt::LeftButton, {}, cell.center());
    if (activated.isEmpty()) { // the style activates on a single click: Enter does it on the current row
        a.table->setFocus();
        QTest::keyClick(a.table, Qt::Key_Return);
    }
    ASSERT_EQ(activated.count(), 1);

    auto* tabs = w.sessionsPage()->detail()->findChild<QTabWidget*>();
    EXPECT_EQ(tabs->currentIndex(), 0) << "the timeline tab did not come to the front";
    const auto selection = w.sessionsPage()->detail()->timeline()->selection();
    ASSERT_TRUE(selection.has_value());
    EXPECT_EQ(selection->first, row.allocatedAt);
    EXPECT_EQ(selection->second, row.freedAt);
    // The selection is in view.
    EXPECT_LE(w.sessionsPage()->detail()->timeline()->visibleFromMs(), row.allocatedAt);
    EXPECT_GE(w.sessionsPage()->detail()->timeline()->visibleToMs(), row.freedAt);
}

TEST(AllocationActions, ContextMenuOffersTimelineCopyAndPurposeFilter)
{
    MainWindow w;
    ASSERT_TRUE(uitest::openSamplesInWindow(w, {QStringLiteral("dreamcast"), QStringLiteral("psp")}));
    Allocations a = showAllocations(w);
    ASSERT_NE(a.purpose, nullptr);
    ASSERT_NE(a.page->model()->rowAt(3), nullptr);
    const AllocationRow row = *a.page->model()->rowAt(3);
    const QString id = a.page->model()->index(3, 0).data().toString();
    const QString purpose = a.page->model()->index(3, 1).data().toString();

    // Copy: the row as the table shows it, tab-separated, id first.
    QApplication::clipboard()->clear();
    const QStringList items = contextMenuPick(a.table, 3, Qt::Key_C);
    EXPECT_EQ(items, (QStringList{QStringLiteral("&Show on Timeline"), QStringLiteral("&Copy"), QStringLiteral("&Filter by This Purpose")}));
    const QString copied = QApplication::clipboard()->text();
    EXPECT_TRUE(copied.startsWith(id + QLatin1Char('\t'))) << copied.toStdString();
    EXPECT_TRUE(copied.contains(QLatin1Char('\t') + purpose + QLatin1Char('\t'))) << copied.toStdString();

    // Show on Timeline: as the double-click.
    contextMenuPick(a.table, 3, Qt::Key_S);
    const auto selection = w.sessionsPage()->detail()->timeline()->selection();
    ASSERT_TRUE(selection.has_value());
    EXPECT_EQ(selection->first, row.allocatedAt);
    w.sessionsPage()->showView(QStringLiteral("allocations"));

    // Filter by This Purpose: the purpose box says so and every row shown is of it.
    contextMenuPick(a.table, 3, Qt::Key_F);
    EXPECT_EQ(a.purpose->currentText(), purpose);
    ASSERT_TRUE(waitUntil([&]() { return !a.page->model()->isBusy(); }, 10000));
    ASSERT_GT(a.page->model()->rowCount(), 0);
    for (int r = 0; r < a.page->model()->rowCount(); ++r)
        ASSERT_EQ(a.page->model()->index(r, 1).data().toString(), purpose) << r;
    auto* text = a.page->findChild<QLineEdit*>();
    ASSERT_NE(text, nullptr);
    QTest::keyClicks(text, QStringLiteral("9"));

    // Another session: its allocations unfiltered (the same purposes exist there).
    ASSERT_TRUE(w.sessionsPage()->selectSession(1));
    a = showAllocations(w);
    EXPECT_EQ(a.purpose->currentIndex(), 0) << a.purpose->currentText().toStdString();
    EXPECT_TRUE(text->text().isEmpty());
    EXPECT_EQ(a.page->modeBox()->currentIndex(), 0);
    const auto recordings = w.sessionsPage()->recordings();
    const auto psp = std::find_if(recordings.begin(), recordings.end(), [](const auto& r) { return r->path.endsWith(QStringLiteral("psp.jsonl.zst")); });
    ASSERT_NE(psp, recordings.end());
    EXPECT_EQ(static_cast<std::size_t>(a.page->model()->rowCount()), (*psp)->store->session(0).allocationCount());
}
