// SPDX-License-Identifier: MIT
#pragma once
// Help › Keyboard Shortcuts (F1): every shortcut of the window, written from
// the actions themselves when the page is shown — the menus' (by menu), the
// panes' own (e.g. Delete on the sessions list, Copy on the allocations) — and
// the timeline's mouse and keys (timelineInputs()). Not modal: it can stay
// open beside the window.

#include <QDialog>

class QMainWindow;
class QTextBrowser;

namespace flight::ui {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutsDialog(QMainWindow* window);

    // Rewrites the page from the window's actions as they are now.
    void refresh();
    // The page as HTML (a table per group), for the dialog and tests.
    static QString pageHtml(const QMainWindow* window);

private:
    QMainWindow* m_window;
    QTextBrowser* m_text = nullptr;
};

} // namespace flight::ui
