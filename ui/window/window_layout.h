// SPDX-License-Identifier: MIT
#pragma once
// The main window's arrangement: the sessions list and the pressure gauge are
// dock widgets the user can move, stack, float or close (View menu to bring
// them back). Size, position and dock layout are kept in QSettings ("window/").
// The docks show only while sessions are open; the welcome page has the window to itself.
// The sessions dock is sized to its rows (2 to 8) whenever their number changes.

#include <QObject>
#include <QList>

class QAction;
class QDockWidget;
class QMainWindow;
class QWidget;

namespace flight::ui {

class SessionTable;

class WindowLayout : public QObject {
    Q_OBJECT
public:
    // Puts `sessionList` and `gauge` into docks of `window` (taking them from wherever they were).
    WindowLayout(QMainWindow* window, QWidget* sessionList, QWidget* gauge);

    QDockWidget* sessionsDock() const { return m_sessions; }
    QDockWidget* gaugeDock() const { return m_gauge; }
    // Show / hide each dock, for the View menu.
    QList<QAction*> toggleActions() const;

    // Whether sessions are open: the docks the user wants show only then.
    void setSessionsOpen(bool open);

    void save() const;
    // False when nothing was saved yet (or the saved state no longer fits).
    bool restore();
    // Back to the initial arrangement: list on top, gauge on the right, both shown.
    void reset();

private:
    void applyVisibility();
    void fitSessionsToRows();

    QMainWindow* m_window;
    QDockWidget* m_sessions;
    QDockWidget* m_gauge;
    SessionTable* m_table = nullptr;
    int m_fittedHeight = -1;
    QByteArray m_initialState;
    bool m_sessionsOpen = false;
    bool m_wantSessions = true;
    bool m_wantGauge = true;
    bool m_applying = false; // our own hide/show is not the user's choice
};

} // namespace flight::ui
