// SPDX-License-Identifier: MIT
#pragma once
// File-menu actions about live sessions' memory: "Save Last Minutes of Live
// Session…" (exportRecentWindow of the selected live session, else the newest
// connection) and "Live Memory Policy…" (how long full detail is kept in
// memory; the recording keeps everything). Results go to the status bar.

#include <QObject>

class QMainWindow;
class QMenu;

namespace flight::ui {

class LiveConnections;
class SessionsPage;

class LiveMemoryActions : public QObject {
    Q_OBJECT
public:
    LiveMemoryActions(LiveConnections* live, SessionsPage* sessions, QMainWindow* window);
    void addTo(QMenu* menu);

    void saveLastMinutes();
    void choosePolicy();

private:
    LiveConnections* m_live;
    SessionsPage* m_sessions;
    QMainWindow* m_window;
};

} // namespace flight::ui
