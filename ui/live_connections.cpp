#include "live_connections.h"

#include "recording_loader.h"

#include "live/live_session.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

namespace flight::ui {
namespace {
constexpr int kRefreshMs = 2000;
}

struct LiveConnections::Connection {
    std::unique_ptr<live::LiveSession> session;
    RecordingLoader* loader = nullptr;
    QString path;
    std::uint64_t recordedAtLastLoad = 0;
    std::uint64_t recorded = 0;
};

LiveConnections::LiveConnections(QObject* parent)
    : QObject(parent)
    , m_refresh(new QTimer(this))
{
    qRegisterMetaType<live::LiveSnapshot>();
    m_refresh->setInterval(kRefreshMs);
    connect(m_refresh, &QTimer::timeout, this, &LiveConnections::refresh);
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
    c->path = QStringLiteral("%1/live-%2-%3.jsonl")
                  .arg(recordingsFolder(), QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss")))
                  .arg(id);
    live::LiveSessionOptions options;
    options.connection.url = url;
    options.connection.bearerToken = token;
    options.connection.trustedCertificates = trusted;
    options.recordingPath = c->path.toStdString();
    c->session = std::make_unique<live::LiveSession>(options);
    c->loader = new RecordingLoader(this);
    connect(c->session.get(), &live::LiveSession::snapshotReady, this, [this, id](const live::LiveSnapshot& s) {
        if (auto it = m_connections.find(id); it != m_connections.end())
            it->second->recorded = s.stats.recordedMessages;
        Q_EMIT snapshot(id, s);
    });
    connect(c->loader, &RecordingLoader::recordingLoaded, this,
            [this, id](const LoadedRecordingPtr& r) { Q_EMIT recordingRefreshed(id, r); });
    c->session->start();
    m_connections.emplace(id, std::move(c));
    m_refresh->start();
    return id;
}

void LiveConnections::refresh()
{
    for (auto& [id, c] : m_connections) {
        // Re-read only what changed, and never stack loads of one connection.
        if (c->recorded == c->recordedAtLastLoad || c->loader->isLoading())
            continue;
        c->recordedAtLastLoad = c->recorded;
        c->loader->load({c->path});
    }
}

void LiveConnections::startDemo()
{
    if (m_demo)
        return;
    const QString agent = QCoreApplication::applicationDirPath() + QStringLiteral("/flight-agent");
    if (!QFileInfo(agent).isExecutable()) {
        Q_EMIT failed(tr("The demo needs flight-agent next to flight-inspector (%1): build it with the inspector.").arg(agent));
        return;
    }
    m_demo = new QProcess(this);
    m_demo->setProgram(agent);
    m_demo->setArguments({QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--source"), QStringLiteral("demo:v6r-small"), QStringLiteral("--source"),
                          QStringLiteral("demo:dreamcast"), QStringLiteral("--source"), QStringLiteral("demo:psp"),
                          QStringLiteral("--rate"), QStringLiteral("300")});
    m_demo->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_demo, &QProcess::readyReadStandardOutput, this, [this]() {
        while (m_demo->canReadLine()) {
            const QString line = QString::fromUtf8(m_demo->readLine()).trimmed();
            if (line.startsWith(QStringLiteral("listening on "))) {
                const QUrl url(line.mid(13));
                connectTo(url);
                Q_EMIT demoStarted(url);
            }
        }
    });
    connect(m_demo, &QProcess::errorOccurred, this, [this](QProcess::ProcessError) {
        Q_EMIT failed(tr("The demo agent failed: %1").arg(m_demo->errorString()));
    });
    m_demo->start();
}

void LiveConnections::closeAll()
{
    m_refresh->stop();
    for (auto& [id, c] : m_connections)
        c->session->stop(); // flushes and closes the recording
    m_connections.clear();
    if (m_demo) {
        m_demo->terminate();
        if (!m_demo->waitForFinished(2000))
            m_demo->kill();
        delete m_demo;
        m_demo = nullptr;
    }
}

} // namespace flight::ui
