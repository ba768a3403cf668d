// SPDX-License-Identifier: MIT
#pragma once
// The inspector's window: menus, status bar and one page per view. It stays
// thin: pages own their widgets, actions are wired in small helpers.

#include <QElapsedTimer>
#include <QMainWindow>
#include <QUrl>

class QAction;
class QLabel;
class QProgressBar;
class QStackedWidget;
class QToolButton;

namespace flight::ui {

class FleetPage;
class LiveConnections;
class RecentFiles;
class RecordingLoader;
struct PreviewPolicy;
class TokenKeychain;
class SessionsPage;
class ShortcutsDialog;
class WelcomePage;
class WindowLayout;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    SessionsPage* sessionsPage() const { return m_sessions; }
    WindowLayout* windowLayout() const { return m_layout; }
    // Restores size and dock layout saved at the last close, unless Preferences says not to.
    void restoreLayout();
    bool isLoading() const;
    // When the loads started from now on show a preview of a file still being read.
    void setPreviewPolicy(const PreviewPolicy& policy);
    // Purpose rules for the heaptrack and massif files opened from now on (empty: none).
    void setRulesFile(const QString& path);

public Q_SLOTS:
    void showAbout();
    // Help › Keyboard Shortcuts (F1): the page written from the actions (shortcuts_dialog.h).
    void showShortcuts();
    void chooseRecording();
    // Asks for a rules file, then for heaptrack or massif files to open with it.
    void chooseRecordingWithRules();
    // Loads recordings on a worker thread and adds their sessions; cancels a load in flight.
    void openRecordings(const QStringList& paths);
    void cancelLoading();
    void closeAll();
    // File › Close Session: the selected session only (a live connection is closed with its last session).
    void closeSession();
    void showConnectDialog();
    // Connects to a live session (ws:// or wss://) and records it as it goes.
    void openConnection(const QUrl& url, const QByteArray& token = {});
    void startDemo();
    // Watches a V8 inspector port (loopback HOST:PORT) through a child agent (LiveConnections::watchV8).
    void watchV8(const QString& hostPort);
    // File › Export Report…: the open sessions in any report format, written off the UI thread.
    void exportReport();
    // Edit › Preferences…: appearance, units, layout.
    void showPreferences();

    RecentFiles* recentFiles() const { return m_recent; }
    FleetPage* fleetPage() const { return m_fleet; }

    // File › Connect to Prometheus…: the Connect dialog on its Prometheus kind
    // (URL and optional bearer token), then openPrometheus.
    void connectPrometheus();
    // Shows the Fleet view of the Prometheus at `url` (docs/fleet.md), sending
    // `token` as a bearer token when not empty; opening a row adds that VM's
    // history as a session, "Go live" connects to its agent.
    void openPrometheus(const QUrl& url, const QByteArray& token = {});

Q_SIGNALS:
    void loadFinished();
    // A preview of a recording still being read is on screen (the progress and Cancel still show).
    void previewShown();

protected:
    // Recordings dropped on the window open like File › Open.
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override; // remembers the layout

private:
    void createMenus();
    void createStatusBar();
    void connectLoader();
    void connectLive();
    void connectKeychain();
    void connectFleet();
    // The Connect dialog (on its Prometheus kind when asked, or on an agent's
    // `presetUrl` for Go Live); acts on its answer.
    void runConnectDialog(bool prometheus, const QUrl& presetUrl = {});
    void showFleet();
    void sessionClosed(const QString& source, const QString& sessionId, int liveId, int liveRowsLeft);
    void updateTitle();

    QStackedWidget* m_pages = nullptr;
    WelcomePage* m_welcome = nullptr;
    SessionsPage* m_sessions = nullptr;
    FleetPage* m_fleet = nullptr;
    RecordingLoader* m_loader = nullptr;
    LiveConnections* m_live = nullptr;
    TokenKeychain* m_keychain = nullptr;
    RecentFiles* m_recent = nullptr;
    WindowLayout* m_layout = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;
    QLabel* m_error = nullptr;
    QStringList m_failures;
    QAction* m_connectAction = nullptr;
    QAction* m_demoAction = nullptr;
    ShortcutsDialog* m_shortcuts = nullptr;
    QString m_liveStatusKey;          // the live line's state part, last shown
    QElapsedTimer m_liveStatusClock;  // since the live line was last shown
};

} // namespace flight::ui
