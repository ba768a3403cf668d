// SPDX-License-Identifier: MIT
#include "main_window.h"

#include "views/fleet_page.h"
#include "loading/fleet_loader.h"
#include "live/client/redact_url.h"

#include "about_dialog.h"
#include "shortcuts_dialog.h"
#include "style/focus_ring.h"
#include "sessions/session_detail.h"
#include "style/app_style.h"
#include "preferences_dialog.h"
#include "window_layout.h"
#include "connections/connect_dialog.h"
#include "export/export_report_dialog.h"
#include "export/report_export.h"
#include "connections/live_connections.h"
#include "connections/live_memory_actions.h"
#include "connections/token_keychain.h"
#include "recent_files.h"
#include "loading/recording_loader.h"
#include "sessions/pressure_gauge.h"
#include "sessions/session_detail.h"
#include "sessions/session_table.h"
#include "sessions/sessions_page.h"
#include "views/report_view.h"
#include "style/theme_colors.h"
#include "welcome_page.h"

#include "resource_paths.h"

#include <QCoreApplication>
#include <QAbstractItemView>
#include <QAction>
#include <QCloseEvent>
#include <QSettings>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QKeySequence>
#include <QMimeData>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QToolButton>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace flight::ui {
MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_loader(new RecordingLoader(this))
    , m_live(new LiveConnections(this))
    , m_keychain(new TokenKeychain(this))
{
    setWindowTitle(tr("Flight Memory Inspector"));
    setObjectName(QStringLiteral("MainWindow"));
    m_pages = new QStackedWidget(this);
    m_welcome = new WelcomePage(m_pages);
    m_sessions = new SessionsPage(m_pages);
    m_pages->addWidget(m_welcome);
    m_pages->addWidget(m_sessions);
    m_fleet = new FleetPage(m_pages);
    m_pages->addWidget(m_fleet);
    setCentralWidget(m_pages);
    setAcceptDrops(true);
    m_layout = new WindowLayout(this, m_sessions->sessionTable(), m_sessions->gauge());
    connect(m_pages, &QStackedWidget::currentChanged, this,
            [this]() { m_layout->setSessionsOpen(m_pages->currentWidget() == m_sessions); });

    createMenus();
    createStatusBar();
    connectLoader();
    connectLive();
    connectKeychain();
    connectFleet();
    connect(m_sessions, &SessionsPage::sessionClosed, this, &MainWindow::sessionClosed);
    connect(m_sessions->table(), &SessionTable::currentSessionChanged, this, &MainWindow::updateTitle);
    connect(m_sessions->detail()->report(), &ReportView::exportRequested, this, &MainWindow::exportReport);
    connect(m_welcome, &WelcomePage::openRecordingRequested, this, &MainWindow::chooseRecording);
    connect(m_welcome, &WelcomePage::connectRequested, this, &MainWindow::showConnectDialog);
    connect(m_welcome, &WelcomePage::demoRequested, this, &MainWindow::startDemo);
    connect(m_welcome, &WelcomePage::exampleRequested, this, [this](const QString& path) { openRecordings({path}); });
    // Listing the examples touches the disk: not on the UI thread. Results of
    // workers go to the application object and check their target there, on
    // the UI thread: a QPointer read on the worker races with the target's
    // destruction (UBSan saw a WelcomePage half destroyed).
    QPointer<WelcomePage> welcome(m_welcome);
    const std::string appDir = QCoreApplication::applicationDirPath().toStdString();
    (void)QtConcurrent::run([welcome, appDir]() {
        QStringList paths;
        for (const std::string& p : exampleRecordings(appDir))
            paths << QString::fromStdString(p);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [welcome, paths]() {
            if (welcome)
                welcome->setExamples(paths);
        }, Qt::QueuedConnection);
    });
    // Tab moves between panes: a table that takes Tab itself walks its rows (in the sessions
    // list, that switched the session every press) and traps a keyboard user.
    for (QAbstractItemView* v : findChildren<QAbstractItemView*>())
        v->setTabKeyNavigation(false);
    new FocusRing(this);
    resize(1280, 800);
}

MainWindow::~MainWindow()
{
    // A load still in flight reports "finished" when the loader goes: not to a half-destroyed window.
    m_loader->disconnect(this);
    m_loader->cancel();
}

bool MainWindow::isLoading() const
{
    return m_loader->isLoading();
}

void MainWindow::setPreviewPolicy(const PreviewPolicy& policy)
{
    m_loader->setPreviewPolicy(policy);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Recording…"), this, &MainWindow::chooseRecording);
    open->setShortcut(QKeySequence::Open);
    QAction* withRules = file->addAction(tr("Open with Purpose &Rules…"), this, &MainWindow::chooseRecordingWithRules);
    withRules->setStatusTip(tr("Open heaptrack or massif files, classifying their allocations with a rules file"));
    m_recent = new RecentFiles(file->addMenu(tr("Open &Recent")), this);
    connect(m_recent, &RecentFiles::fileChosen, this, [this](const QString& path) { openRecordings({path}); });
    m_connectAction = file->addAction(tr("&Connect…"), this, &MainWindow::showConnectDialog);
    m_connectAction->setShortcut(QKeySequence(tr("Ctrl+L")));
    m_connectAction->setStatusTip(tr("Connect to a live session over ws:// or wss:// and record it"));
    file->addAction(tr("Connect to &Prometheus…"), this, &MainWindow::connectPrometheus);
    m_demoAction = file->addAction(tr("Start &Demo"), this, &MainWindow::startDemo);
    m_demoAction->setShortcut(QKeySequence(tr("Ctrl+D")));
    m_demoAction->setStatusTip(tr("Simulated live sessions from a local demo agent"));
    (new LiveMemoryActions(m_live, m_sessions, this))->addTo(file);
    file->addSeparator();
    QAction* exportAction = file->addAction(tr("&Export Report…"), this, &MainWindow::exportReport);
    exportAction->setShortcut(QKeySequence(tr("Ctrl+E")));
    exportAction->setStatusTip(tr("Write a report of the open sessions as HTML, PDF, Markdown, JSON or CSV"));
    file->addSeparator();
    QAction* closeSession = file->addAction(tr("&Close Session"), this, &MainWindow::closeSession);
    closeSession->setShortcut(QKeySequence(tr("Ctrl+W")));
    closeSession->setStatusTip(tr("Close the selected session; the others stay open (also Delete in the sessions table)"));
    QAction* closeAll = file->addAction(tr("Close &All"), this, &MainWindow::closeAll);
    closeAll->setShortcut(QKeySequence(tr("Ctrl+Shift+W")));
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* prefs = edit->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    prefs->setShortcut(QKeySequence(tr("Ctrl+,")));
    prefs->setMenuRole(QAction::PreferencesRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addActions(m_layout->toggleActions());
    view->addSeparator();
    // The detail's tabs from anywhere in the window (the tab bar itself only takes them when it has focus).
    QAction* next = view->addAction(tr("&Next View"), this, [this]() { m_sessions->detail()->showNextView(1); });
    next->setShortcuts({QKeySequence(tr("Ctrl+Tab")), QKeySequence(tr("Ctrl+PgDown"))});
    QAction* previous = view->addAction(tr("Pre&vious View"), this, [this]() { m_sessions->detail()->showNextView(-1); });
    previous->setShortcuts({QKeySequence(tr("Ctrl+Shift+Tab")), QKeySequence(tr("Ctrl+PgUp"))});
    view->addSeparator();
    // The Fleet view once a Prometheus is set, else File › Connect to Prometheus… first.
    view->addAction(tr("&Fleet"), this, [this]() {
        if (m_fleet->loader()->url().isEmpty())
            connectPrometheus();
        else
            showFleet();
    });
    view->addAction(tr("&Reset Layout"), m_layout, &WindowLayout::reset);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* shortcuts = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    shortcuts->setShortcut(QKeySequence::HelpContents);
    help->addSeparator();
    help->addAction(tr("&About Flight Memory Inspector"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createStatusBar()
{
    m_error = new QLabel(this);
    showAsErrorText(m_error);
    m_error->hide();
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop loading (Esc)"));
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancel->hide();
    connect(m_cancel, &QToolButton::clicked, this, &MainWindow::cancelLoading);
    statusBar()->addWidget(m_error, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    statusBar()->showMessage(tr("Ready: open a recording to begin."));
}

void MainWindow::connectLoader()
{
    connect(m_loader, &RecordingLoader::started, this, [this](const QStringList& paths) {
        m_failures.clear();
        m_error->hide();
        m_progress->setValue(0);
        m_progress->show();
        m_cancel->show();
        statusBar()->showMessage(tr("Loading %n recording(s)…", nullptr, static_cast<int>(paths.size())));
    });
    connect(m_loader, &RecordingLoader::progressChanged, this, [this](double f) {
        m_progress->setValue(static_cast<int>(f * 1000));
        m_sessions->setLoadProgress(f);
    });
    // Each stage of a load (a preview, the timeline, everything) replaces the previous one in place.
    const auto show = [this](const LoadedRecordingPtr& r) {
        m_sessions->addRecording(r);
        m_pages->setCurrentWidget(m_sessions);
        updateTitle();
    };
    connect(m_loader, &RecordingLoader::previewReady, this, [this, show](const LoadedRecordingPtr& r) {
        show(r);
        Q_EMIT previewShown();
    });
    // A format-2 file's summary: the whole timeline, coarse, before its blocks are read.
    connect(m_loader, &RecordingLoader::summaryReady, this, [this, show](const LoadedRecordingPtr& r) {
        show(r);
        Q_EMIT previewShown();
    });
    connect(m_loader, &RecordingLoader::timelineReady, this, show);
    connect(m_loader, &RecordingLoader::recordingLoaded, this, show);
    connect(m_loader, &RecordingLoader::loadFailed, this, [this](const QString& path, const QString& reason) {
        m_failures << tr("Cannot open %1: %2").arg(QFileInfo(path).fileName(), reason);
        m_recent->remove(path); // Open Recent offers only what opened
        m_error->setText(m_failures.join(QStringLiteral("; ")));
        // A temporary message would be drawn over the error label: the error wins.
        statusBar()->clearMessage();
        m_error->show();
    });
    connect(m_loader, &RecordingLoader::finished, this, [this]() {
        m_progress->hide();
        m_cancel->hide();
        // A cancelled (or replaced) load takes its preview with it.
        m_sessions->dropIncompleteLoads();
        if (m_sessions->sessionCount() == 0 && m_pages->currentWidget() == m_sessions) {
            m_pages->setCurrentWidget(m_welcome);
            setWindowTitle(tr("Flight Memory Inspector"));
        }
        if (m_failures.isEmpty())
            statusBar()->showMessage(m_sessions->sessionCount() > 0
                                         ? tr("%n session(s) open", nullptr, m_sessions->sessionCount())
                                         : tr("Ready: open a recording to begin."));
        Q_EMIT loadFinished();
    });
}

void MainWindow::connectLive()
{
    connect(m_live, &LiveConnections::snapshot, this, [this](int id, const live::LiveSnapshot& s) {
        m_sessions->applyLiveSnapshot(id, s);
        if (m_sessions->sessionCount() > 0)
            m_pages->setCurrentWidget(m_sessions);
        // The selected session's connection only: with several, the line would flip between them.
        if (id != m_sessions->currentLiveId())
            return;
        // This message covers the error label, so a recording that stopped (disk full) is said here too.
        const QString recording = s.stats.recordingError.empty()
                                      ? tr("recording to %1").arg(m_live->recordingPath(id))
                                      : tr("NOT recording: %1").arg(QString::fromStdString(s.stats.recordingError));
        // A new state or connection shows at once; the message count once a second (laying
        // the line out 25 times a second cost more than the rest of the snapshot).
        const QString key = QStringLiteral("%1\n%2\n%3\n%4").arg(s.stats.url, s.stats.stateText, recording).arg(s.stats.reconnects);
        if (key == m_liveStatusKey && m_liveStatusClock.isValid() && m_liveStatusClock.elapsed() < 1000
            && !statusBar()->currentMessage().isEmpty())
            return;
        m_liveStatusKey = key;
        m_liveStatusClock.start();
        statusBar()->showMessage(tr("%1: %2 · %L3 messages · %L4 reconnects · %5")
                                     .arg(s.stats.url, s.stats.stateText)
                                     .arg(s.stats.messagesApplied)
                                     .arg(s.stats.reconnects)
                                     .arg(recording));
    });
    // The live copies carry the details (allocations, events, report) only while a tab shows them.
    m_live->setDetailsWanted(m_sessions->detail()->showsDetails());
    connect(m_sessions->detail(), &SessionDetail::detailsShownChanged, m_live, &LiveConnections::setDetailsWanted);
    connect(m_live, &LiveConnections::recordingRefreshed, this,
            [this](int id, const LoadedRecordingPtr& r) { m_sessions->setLiveRecording(id, r); });
    connect(m_live, &LiveConnections::failed, this, [this](const QString& message) {
        m_error->setText(message);
        m_error->show();
    });
}

void MainWindow::connectKeychain()
{
    connect(m_keychain, &TokenKeychain::stored, this, [this](const QUrl&, bool ok, const QString& error) {
        statusBar()->showMessage(ok ? tr("Token remembered in the desktop keychain")
                                    : tr("Token not remembered: no keychain answered (%1)").arg(error), 8000);
    });
}

void MainWindow::showConnectDialog()
{
    runConnectDialog(false);
}

void MainWindow::runConnectDialog(bool prometheus, const QUrl& presetUrl)
{
    ConnectDialog dialog(this);
    if (prometheus)
        dialog.setKind(ConnectDialog::Kind::Prometheus);
    if (!presetUrl.isEmpty()) {
        dialog.setKind(ConnectDialog::Kind::Producer);
        dialog.setAddress(presetUrl.toString(QUrl::FullyEncoded));
    }
    const auto fill = connect(m_keychain, &TokenKeychain::loaded, &dialog,
                              [&dialog](const QUrl& url, const QByteArray& token) { dialog.setRememberedToken(url, token); });
    connect(&dialog, &ConnectDialog::rememberedTokenWanted, m_keychain, &TokenKeychain::load);
    if (!dialog.isV8() && dialog.url().isValid() && !dialog.url().isEmpty())
        m_keychain->load(dialog.url());
    const int result = dialog.exec();
    disconnect(fill);
    if (result != QDialog::Accepted)
        return;
    if (dialog.isV8())
        return watchV8(dialog.v8Endpoint());
    if (dialog.rememberToken() && !dialog.token().isEmpty())
        m_keychain->store(dialog.url(), dialog.token());
    if (dialog.isPrometheus())
        return openPrometheus(dialog.url(), dialog.token());
    m_live->connectTo(dialog.url(), dialog.token(), dialog.trustedCertificates());
    statusBar()->showMessage(tr("Connecting to %1…").arg(dialog.url().toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)));
}

void MainWindow::connectFleet()
{
    connect(m_fleet->loader(), &FleetLoader::historyLoaded, this, [this](const LoadedRecordingPtr& r) {
        m_sessions->addRecording(r);
        m_pages->setCurrentWidget(m_sessions);
        m_sessions->selectSession(m_sessions->sessionCount() - 1);
        updateTitle();
        statusBar()->showMessage(tr("History from %1").arg(r->path));
    });
    // Through the Connect dialog, on the agent's URL: an agent others can reach (on
    // 0.0.0.0) needs a token, which the user gives there or the keychain fills in.
    connect(m_fleet, &FleetPage::goLiveRequested, this, [this](const QUrl& url) { runConnectDialog(false, url); });
}

void MainWindow::connectPrometheus()
{
    runConnectDialog(true);
}

void MainWindow::openPrometheus(const QUrl& url, const QByteArray& token)
{
    m_fleet->setPrometheus(url, token);
    showFleet();
}

void MainWindow::showFleet()
{
    m_pages->setCurrentWidget(m_fleet);
    setWindowTitle(tr("Fleet — Flight Memory Inspector"));
    // The welcome text ("open a recording to begin") would be wrong here.
    statusBar()->showMessage(tr("Fleet from %1: open a VM's history with Open History, Enter or a double-click")
                                 .arg(live::redactUrl(m_fleet->loader()->url())));
}

void MainWindow::openConnection(const QUrl& url, const QByteArray& token)
{
    m_live->connectTo(url, token);
    statusBar()->showMessage(tr("Connecting to %1…").arg(url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)));
}

void MainWindow::watchV8(const QString& hostPort)
{
    m_live->watchV8(hostPort);
    statusBar()->showMessage(tr("Starting an agent for the V8 inspector at %1…").arg(hostPort));
}

void MainWindow::startDemo()
{
    m_live->startDemo();
    statusBar()->showMessage(tr("Starting the demo agent…"));
}

void MainWindow::exportReport()
{
    const auto recordings = m_sessions->recordings();
    if (recordings.empty()) {
        statusBar()->showMessage(tr("Nothing to export yet: open a recording or connect first"), 5000);
        return;
    }
    ExportReportDialog dialog(m_sessions->selectedRangeSeconds(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString path = dialog.path();
    ReportExportOptions exportOptions;
    exportOptions.format = dialog.format();
    const reports::ReportOptions options = dialog.options();
    statusBar()->showMessage(tr("Writing %1…").arg(path));
    QPointer<MainWindow> self(this);
    // The recordings are read-only once loaded: the worker may read them while the UI goes on.
    (void)QtConcurrent::run([self, recordings, options, exportOptions, path]() {
        std::vector<protocol::SummarySource> sources;
        for (const auto& r : recordings)
            sources.push_back({QFileInfo(r->path).fileName().toStdString(), r->store.get()});
        const reports::ReportData data = reports::collectReport(sources, options);
        const Result<void> written = ui::exportReport(data, sources, exportOptions, path);
        const bool ok = written.has_value();
        const QString error = ok ? QString() : QString::fromStdString(written.error().message);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, ok, error, path]() {
            if (!self)
                return;
            if (ok) {
                self->statusBar()->showMessage(tr("Report written to %1").arg(path), 8000);
            } else {
                self->m_error->setText(tr("Export failed: %1").arg(error));
                self->m_error->show();
            }
        }, Qt::QueuedConnection);
    });
}

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(this);
    connect(&dialog, &PreferencesDialog::resetLayoutRequested, m_layout, &WindowLayout::reset);
    if (dialog.exec() == QDialog::Accepted)
        dialog.apply();
}

void MainWindow::restoreLayout()
{
    if (QSettings().value(PreferencesDialog::restoreLayoutKey(), true).toBool())
        m_layout->restore();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_layout->save();
    QMainWindow::closeEvent(event);
}

void MainWindow::showShortcuts()
{
    if (!m_shortcuts)
        m_shortcuts = new ShortcutsDialog(this);
    m_shortcuts->refresh();
    m_shortcuts->show();
    m_shortcuts->raise();
    m_shortcuts->activateWindow();
}

void MainWindow::showAbout()
{
    AboutDialog dialog(this);
    dialog.exec();
}

void MainWindow::chooseRecording()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open Recording"), QString(),
        tr("Flight recordings (*.fmr *.jsonl *.jsonl.zst *.fmrec *.zst);;heaptrack and massif (heaptrack.* massif.out.*);;All files (*)"));
    if (!paths.isEmpty())
        openRecordings(paths);
}

void MainWindow::chooseRecordingWithRules()
{
    const QString rules = QFileDialog::getOpenFileName(this, tr("Purpose Rules"), QString(),
                                                       tr("Purpose rules (*.rules *.txt);;All files (*)"));
    if (rules.isEmpty())
        return;
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open with Purpose Rules"), QString(),
        tr("heaptrack and massif (heaptrack.* massif.out.*);;All files (*)"));
    if (paths.isEmpty())
        return;
    // The rules stay for later opens too, until the next choice (the window
    // title shows nothing of it: the import's note in each file's problems does).
    setRulesFile(rules);
    openRecordings(paths);
}

void MainWindow::setRulesFile(const QString& path)
{
    m_loader->setRulesFile(path);
}

void MainWindow::openRecordings(const QStringList& paths)
{
    m_recent->add(paths);
    m_loader->load(paths);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    openRecordings(paths);
}

void MainWindow::cancelLoading()
{
    m_loader->cancel();
    statusBar()->showMessage(tr("Loading cancelled"), 5000);
}

void MainWindow::closeAll()
{
    m_loader->cancel();
    m_live->closeAll();
    m_sessions->clear();
    m_pages->setCurrentWidget(m_welcome);
    setWindowTitle(tr("Flight Memory Inspector"));
    statusBar()->showMessage(tr("Ready: open a recording to begin."));
}

void MainWindow::closeSession()
{
    if (!m_sessions->closeSelectedSession())
        statusBar()->showMessage(tr("No session selected"), 3000);
}

void MainWindow::sessionClosed(const QString& source, const QString& sessionId, int liveId, int liveRowsLeft)
{
    if (liveId < 0) {
        statusBar()->showMessage(tr("Closed %1 of %2").arg(sessionId, source), 8000);
    } else if (liveRowsLeft > 0) {
        // One connection, several sessions: the others go on, and so does the recording of all of them.
        statusBar()->showMessage(tr("Closed %1; %2 stays connected for its other %n session(s), still recorded to %3", nullptr, liveRowsLeft)
                                     .arg(sessionId, source, m_live->recordingPath(liveId)), 10000);
    } else {
        const QString path = m_live->recordingPath(liveId);
        m_live->close(liveId);
        statusBar()->showMessage(tr("Closed %1 and disconnected from %2; its recording is %3").arg(sessionId, source, path), 10000);
    }
    if (m_sessions->sessionCount() == 0)
        m_pages->setCurrentWidget(m_welcome);
    updateTitle();
}

void MainWindow::updateTitle()
{
    // The title names what the views show: the selected session (its file, or its live connection).
    const SessionRow* row = m_sessions->table()->currentRow();
    if (!row)
        setWindowTitle(tr("Flight Memory Inspector"));
    else if (row->liveId >= 0)
        setWindowTitle(tr("%1 (live, %2) — Flight Memory Inspector").arg(row->sessionId, row->source));
    else
        setWindowTitle(tr("%1 — Flight Memory Inspector").arg(row->source));
}

} // namespace flight::ui
