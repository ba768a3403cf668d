#pragma once
// The window's live sessions: one LiveSession (core, decoding on its own
// thread) per connection, each recording to a file as it goes. The sessions
// table gets each connection's coalesced snapshots (25 a second at most); the
// detail views re-read the connection's recording in the background every
// couple of seconds, so they show the live session as a recording so far.
// "Demo" starts flight-agent as a child on a free loopback port and connects
// to it through the same client a user's V6R bridge would use.

#include "loaded_recording.h"

#include "live/live_snapshot.h"

#include <QObject>
#include <QSslCertificate>
#include <QUrl>

#include <map>
#include <memory>

class QProcess;
class QTimer;

namespace flight::live {
class LiveSession;
}

namespace flight::ui {

class RecordingLoader;

class LiveConnections : public QObject {
    Q_OBJECT
public:
    explicit LiveConnections(QObject* parent = nullptr);
    ~LiveConnections() override;

    // Connects and starts recording; returns the connection's id. The token is
    // held in memory only.
    int connectTo(const QUrl& url, const QByteArray& token = {}, const QList<QSslCertificate>& trusted = {});
    // Starts the demo agent (a child process) and connects to it.
    void startDemo();
    void closeAll();
    int count() const { return static_cast<int>(m_connections.size()); }
    QString recordingPath(int id) const;
    // Where live recordings go (created on demand).
    static QString recordingsFolder();

Q_SIGNALS:
    void snapshot(int id, const flight::live::LiveSnapshot& snapshot);
    void recordingRefreshed(int id, const flight::ui::LoadedRecordingPtr& recording);
    void failed(const QString& message);
    void demoStarted(const QUrl& url);

private:
    struct Connection;
    void refresh();

    std::map<int, std::unique_ptr<Connection>> m_connections;
    int m_nextId = 1;
    QProcess* m_demo = nullptr;
    QTimer* m_refresh = nullptr;
};

} // namespace flight::ui
