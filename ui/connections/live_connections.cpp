// SPDX-License-Identifier: MIT
#include "live_connections.h"

#include "live_refresh_interval.h"

#include "live/client/live_session.h"
#include "protocol/session_store.h"
#include "reports/live_timeline_analytics.h"
#include "protocol/window_export.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QPointer>
#include <QProcess>

#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif


namespace flight::ui {
namespace {

constexpr auto kFullDetailKey = "live/fullDetailMinutes";
constexpr auto kResolutionKey = "live/historyResolutionSeconds";

// A move-only store travels between threads in a shared holder.
using StoreHolder = std::shared_ptr<std::unique_ptr<protocol::SessionStore>>;
} // namespace

struct LiveConnections::Connection {
    std::unique_ptr<live::LiveSession> session;
    QString path;
    std::uint64_t appliedAtLastCopy = 0;
    std::uint64_t applied = 0;
    bool copying = false; // never more than one copy of a connection in flight
    bool detailsOwed = false; // the views want details the last copy did not carry
    // The pyramid and pressure durations, appended to at each copy (used by one copy at a time: `copying`).
    std::shared_ptr<LiveTimelineAnalytics> timelines = std::make_shared<LiveTimelineAnalytics>();
    QElapsedTimer copyClock;
};

LiveConnections::LiveConnections(QObject* parent)
    : QObject(parent)
    , m_refresh(new QTimer(this))
    , m_retention(retentionFromSettings())
{
    qRegisterMetaType<live::LiveSnapshot>();
    qRegisterMetaType<LoadedRecordingPtr>();
    m_refresh->setInterval(liveRefreshIntervalMs(0, 0));
    connect(m_refresh, &QTimer::timeout, this, &LiveConnections::refresh);
}

RetentionPolicy LiveConnections::retentionFromSettings()
{
    RetentionPolicy p;
    const QSettings settings;
    const int minutes = settings.value(QLatin1String(kFullDetailKey), 10).toInt();
    const int seconds = settings.value(QLatin1String(kResolutionKey), 1).toInt();
    if (minutes > 0)
        p.fullDetail = std::chrono::minutes(minutes);
    if (seconds > 0)
        p.historyResolution = std::chrono::seconds(seconds);
    return p;
}

void LiveConnections::setRetention(const RetentionPolicy& policy)
{
    m_retention = policy;
    QSettings settings;
    settings.setValue(QLatin1String(kFullDetailKey),
                      static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(policy.fullDetail).count()));
    settings.setValue(QLatin1String(kResolutionKey),
                      static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(policy.historyResolution).count()));
}

QList<int> LiveConnections::ids() const
{
    QList<int> out;
    for (const auto& [id, c] : m_connections)
        out << id;
    return out;
}

LiveConnections::~LiveConnections()
{
    closeAll();
}

QString LiveConnections::recordingsFolder()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/live");
    QDir().mkpath(dir);
    return dir;
}

QString LiveConnections::recordingPath(int id) const
{
    const auto it = m_connections.find(id);
    return it == m_connections.end() ? QString() : it->second->path;
}

int LiveConnections::connectTo(const QUrl& url, const QByteArray& token, const QList<QSslCertificate>& trusted)
{
    const int id = m_nextId++;
    auto c = std::make_unique<Connection>();
    c->path = QStringLiteral("%1/live-%2-%3.fmr")
                  .arg(recordingsFolder(), QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss")))
                  .arg(id);
    live::LiveSessionOptions options;
    options.connection.url = url;
    options.connection.bearerToken = token;
    options.connection.trustedCertificates = trusted;
    options.recordingPath = c->path.toStdString();
    options.retention = m_retention;
    c->session = std::make_unique<live::LiveSession>(options);
    connect(c->session.get(), &live::LiveSession::snapshotReady, this, [this, id](const live::LiveSnapshot& s) {
        if (auto it = m_connections.find(id); it != m_connections.end())
            it->second->applied = s.stats.messagesApplied;
        Q_EMIT snapshot(id, s);
    });
    // Disk full or a file size limit: say so in the window; the live rows go on.
    connect(c->session.get(), &live::LiveSession::recordingFailed, this, [this](const QString& message) {
        Q_EMIT failed(tr("Recording stopped: %1. The live session goes on; what it receives from now on is not saved.")
                          .arg(message));
    });
    c->session->start();
    m_connections.emplace(id, std::move(c));
    m_refresh->start();
    return id;
}

void LiveConnections::refresh()
{
    for (auto& [connectionId, c] : m_connections) {
        // Copy only what changed, a quiet session less often (liveRefreshDue), and
        // never stack copies of one connection.
        if (c->copying)
            continue;
        const bool firstData = c->appliedAtLastCopy == 0 || !c->copyClock.isValid();
        if (!c->detailsOwed
            && !liveRefreshDue(c->applied - c->appliedAtLastCopy, firstData, firstData ? 0 : c->copyClock.elapsed(),
                               m_refresh->interval()))
            continue;
        c->appliedAtLastCopy = c->applied;
        const bool details = m_detailsWanted;
        c->detailsOwed = false;
        c->copying = true;
        c->copyClock.start();
        const int id = connectionId;
        const QString path = c->path;
        auto timelines = c->timelines;
        c->session->requestStoreCopy(this, [this, id, path, details, timelines](std::unique_ptr<protocol::SessionStore> store) {
            StoreHolder holder = std::make_shared<std::unique_ptr<protocol::SessionStore>>(std::move(store));
            QPointer<LiveConnections> self(this);
            (void)QtConcurrent::run([self, id, path, holder, details, timelines]() {
                auto loaded = std::make_shared<LoadedRecording>();
                loaded->path = path;
                loaded->store = std::move(*holder);
                // Only the events new since the last copy are read for the timeline.
                loaded->analytics = timelines->update(*loaded->store);
                if (details)
                    analyzeSessionDetails(loaded->analytics, *loaded->store);
                QMetaObject::invokeMethod(QCoreApplication::instance(), [self, id, loaded]() {
                    if (!self)
                        return;
                    const auto it = self->m_connections.find(id);
                    if (it == self->m_connections.end())
                        return;
                    it->second->copying = false;
                    const qint64 workerMs = it->second->copyClock.elapsed();
                    QElapsedTimer shown;
                    shown.start();
                    Q_EMIT self->recordingRefreshed(id, loaded); // the views redraw here, on this thread
                    if (self)
                        self->adaptRefresh(workerMs, shown.elapsed());
                }, Qt::QueuedConnection);
            });
        });
    }
}

void LiveConnections::setDetailsWanted(bool wanted)
{
    const bool more = wanted && !m_detailsWanted;
    m_detailsWanted = wanted;
    if (!more)
        return;
    for (auto& [id, c] : m_connections)
        c->detailsOwed = true; // even with no new message: the last copy had no details
    refresh();
}

int LiveConnections::refreshIntervalMs() const
{
    return m_refresh->interval();
}

void LiveConnections::adaptRefresh(qint64 workerMs, qint64 uiMs)
{
    m_refresh->setInterval(liveRefreshIntervalMs(workerMs, uiMs));
}

void LiveConnections::saveRecent(int id, std::chrono::milliseconds window, const QString& path)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end()) {
        Q_EMIT failed(tr("No live session to save."));
        return;
    }
    it->second->session->requestStoreCopy(this, [this, id, window, path](std::unique_ptr<protocol::SessionStore> store) {
        StoreHolder holder = std::make_shared<std::unique_ptr<protocol::SessionStore>>(std::move(store));
        QPointer<LiveConnections> self(this);
        (void)QtConcurrent::run([self, id, window, path, holder]() {
            protocol::RecordingWriterOptions options;
            options.compress = path.endsWith(QLatin1String(".zst"));
            const auto r = protocol::exportRecentWindow(**holder, window, path.toStdString(), options);
            QString text;
            if (r) {
                text = tr("%L1 messages from %L2 session(s), %3 s").arg(r->messages).arg(r->sessions)
                           .arg(static_cast<double>(r->toMs - r->fromMs) / 1000.0, 0, 'f', 0);
                if (r->clamped)
                    text += tr(" (only the full-detail window is kept in memory; the live recording has the rest)");
            }
            QMetaObject::invokeMethod(QCoreApplication::instance(), [self, id, path, ok = r.has_value(), text,
                                             error = r ? QString() : QString::fromStdString(r.error().message)]() {
                if (!self)
                    return;
                if (ok)
                    Q_EMIT self->saved(id, path, text);
                else
                    Q_EMIT self->failed(tr("Cannot save %1: %2").arg(path, error));
            }, Qt::QueuedConnection);
        });
    });
}

QProcess* LiveConnections::startAgent(const QStringList& sourceArgs, const QString& what,
                                      std::function<void(int, const QUrl&)> connected)
{
    const QString agent = QCoreApplication::applicationDirPath() + QStringLiteral("/flight-agent");
    if (!QFileInfo(agent).isExecutable()) {
        Q_EMIT failed(tr("%1 needs flight-agent next to flight-inspector (%2): build it with the inspector.").arg(what, agent));
        return nullptr;
    }
    auto* process = new QProcess(this);
    process->setProgram(agent);
    process->setArguments(QStringList{QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}
                          + sourceArgs);
    process->setProcessChannelMode(QProcess::SeparateChannels);
#ifdef Q_OS_LINUX
    // Quitting stops the agent (closeAll); should the inspector die without quitting
    // (SIGKILL, a crash), the kernel sends it SIGTERM instead of leaving it serving.
    process->setChildProcessModifier([]() { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    auto listening = std::make_shared<bool>(false);
    connect(process, &QProcess::readyReadStandardOutput, this, [this, process, listening, connected]() {
        while (process->canReadLine()) {
            const QString line = QString::fromUtf8(process->readLine()).trimmed();
            if (!*listening && line.startsWith(QStringLiteral("listening on "))) {
                *listening = true;
                const QUrl url(line.mid(13));
                const int id = connectTo(url);
                m_agents[id] = process;
                if (connected)
                    connected(id, url);
            }
        }
    });
    connect(process, &QProcess::errorOccurred, this, [this, process, what](QProcess::ProcessError) {
        Q_EMIT failed(tr("%1 failed: %2").arg(what, process->errorString()));
    });
    // An agent that ends before it listens could not start its source: its
    // last line on stderr says why (a wrong port, a target that is not V8).
    connect(process, &QProcess::finished, this, [this, process, listening, what](int code, QProcess::ExitStatus) {
        if (*listening || code == 0)
            return;
        const QStringList lines = QString::fromUtf8(process->readAllStandardError()).trimmed().split(QLatin1Char('\n'));
        Q_EMIT failed(tr("%1 did not start: %2").arg(what, lines.value(lines.size() - 1).left(400)));
    });
    process->start();
    return process;
}

void LiveConnections::stopAgent(QProcess* process)
{
    if (!process)
        return;
    for (auto it = m_agents.begin(); it != m_agents.end();)
        it = it->second == process ? m_agents.erase(it) : std::next(it);
    process->disconnect(this);
    process->terminate();
    if (!process->waitForFinished(2000))
        process->kill();
    delete process;
}

void LiveConnections::startDemo()
{
    if (m_demo)
        return;
    m_demo = startAgent({QStringLiteral("--source"), QStringLiteral("demo:v6r-small"), QStringLiteral("--source"),
                         QStringLiteral("demo:dreamcast"), QStringLiteral("--source"), QStringLiteral("demo:psp"),
                         QStringLiteral("--rate"), QStringLiteral("300")},
                        tr("The demo agent"), [this](int id, const QUrl& url) {
                            m_demoId = id;
                            Q_EMIT demoStarted(url);
                        });
}

void LiveConnections::watchV8(const QString& hostPort)
{
    startAgent({QStringLiteral("--source"), QStringLiteral("v8:") + hostPort},
               tr("The agent for the V8 inspector at %1").arg(hostPort), {});
}

void LiveConnections::closeAll()
{
    m_refresh->stop();
    for (auto& [id, c] : m_connections)
        c->session->stop(); // flushes and closes the recording
    m_connections.clear();
    stopDemo();
    while (!m_agents.empty())
        stopAgent(m_agents.begin()->second);
}

void LiveConnections::close(int id)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    it->second->session->stop(); // flushes and closes the recording
    m_connections.erase(it);
    if (m_connections.empty())
        m_refresh->stop();
    if (id == m_demoId)
        stopDemo(); // nothing else listens to it; Demo can start a new one
    else if (const auto agent = m_agents.find(id); agent != m_agents.end())
        stopAgent(agent->second); // a V8 inspector's agent: nothing else listens to it either
}

void LiveConnections::stopDemo()
{
    m_demoId = -1;
    stopAgent(m_demo);
    m_demo = nullptr;
}

} // namespace flight::ui
