// SPDX-License-Identifier: MIT
#pragma once
// The window's live sessions: one LiveSession (core, decoding on its own
// thread) per connection, each recording to a file as it goes. The sessions
// table gets each connection's coalesced snapshots (25 a second at most). The
// detail views get, every couple of seconds while data comes, a copy of the
// worker's session models (LiveSession::requestStoreCopy, cloned on the worker
// thread, analysed on a pool thread: the timeline's pyramid and pressure times
// by appending only what is new, LiveTimelineAnalytics): no file is read, and the copy is as
// bounded as the worker's models, which keep the retention policy (settings
// "live/fullDetailMinutes" and "live/historyResolutionSeconds"; the recording
// keeps everything).
// "Demo" (and "V8 inspector port" in the Connect dialog) starts flight-agent as
// a child on a free loopback port and connects to it through the same client a
// user's V6R bridge would use.

#include "loading/loaded_recording.h"

#include "live/client/live_snapshot.h"
#include "model/retention_policy.h"

#include <QObject>
#include <QSslCertificate>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>
#include <map>
#include <memory>

class QProcess;
class QTimer;

namespace flight::live {
class LiveSession;
}

namespace flight::ui {

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
    // Watches a V8 inspector port (HOST:PORT, loopback: node --inspect, Chromium's
    // --remote-debugging-port) through an agent of its own, started as for the demo
    // (flight-agent serve --source v8:HOST:PORT) and stopped with its connection.
    void watchV8(const QString& hostPort);
    void closeAll();
    // Stops connection `id` and its recording (the file stays); the demo agent goes with its connection.
    void close(int id);
    int count() const { return static_cast<int>(m_connections.size()); }
    QList<int> ids() const;
    QString recordingPath(int id) const;
    // Where live recordings go (created on demand).
    static QString recordingsFolder();

    // What the models of connections made from now on keep in memory; stored in the settings.
    const RetentionPolicy& retention() const { return m_retention; }
    void setRetention(const RetentionPolicy& policy);
    static RetentionPolicy retentionFromSettings();

    // Whether the copies for the views carry the details (allocation rows, events, the
    // memory report) or only the timeline's pyramid and pressure times: with the timeline
    // in view, the rest is not computed at every refresh. Turning it on copies at once.
    void setDetailsWanted(bool wanted);
    bool detailsWanted() const { return m_detailsWanted; }

    // How often the views are refreshed now (liveRefreshIntervalMs of the last refresh's cost).
    int refreshIntervalMs() const;

    // Writes the last `window` of connection `id` as a recording at `path`
    // (.zst: compressed), copied on its worker and written on a pool thread;
    // answers with saved() or failed().
    void saveRecent(int id, std::chrono::milliseconds window, const QString& path);

Q_SIGNALS:
    void snapshot(int id, const flight::live::LiveSnapshot& snapshot);
    // A fresh copy of connection `id`'s sessions for the detail views.
    void recordingRefreshed(int id, const flight::ui::LoadedRecordingPtr& recording);
    void saved(int id, const QString& path, const QString& summary);
    void failed(const QString& message);
    void demoStarted(const QUrl& url);

private:
    struct Connection;
    void refresh();
    void adaptRefresh(qint64 workerMs, qint64 uiMs);
    void stopDemo();
    // flight-agent serve on a free loopback port with `sourceArgs`, a child that dies
    // with the window; `connected` when it listens and is connected to. Null (and
    // failed()) when there is no flight-agent next to the inspector.
    QProcess* startAgent(const QStringList& sourceArgs, const QString& what,
                         std::function<void(int, const QUrl&)> connected);
    void stopAgent(QProcess* process);

    std::map<int, std::unique_ptr<Connection>> m_connections;
    int m_nextId = 1;
    QProcess* m_demo = nullptr;
    int m_demoId = -1; // the demo agent's connection
    std::map<int, QProcess*> m_agents; // child agents by their connection (the demo's too)
    QTimer* m_refresh = nullptr;
    RetentionPolicy m_retention;
    bool m_detailsWanted = true;
};

} // namespace flight::ui
