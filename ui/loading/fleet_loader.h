// SPDX-License-Identifier: MIT
#pragma once
// Asks a Prometheus for the fleet and for one VM's history on worker threads
// (the client blocks its own thread; the UI thread never waits or parses):
// one typed signal per result, and a generation number so that an answer for
// a URL or request since replaced is dropped. A history arrives as a
// LoadedRecording (analysed), ready for the session views. Also checks
// whether a VM's agent answers, for "go live" (probeAgent). A bearer token
// for Prometheus is held in memory only and sent with every query.

#include "loading/loaded_recording.h"

#include "fleet/fleet_query.h"

#include <QObject>
#include <QUrl>

#include <atomic>
#include <memory>

Q_DECLARE_METATYPE(flight::fleet::FleetSnapshot)

namespace flight::ui {

class FleetLoader : public QObject {
    Q_OBJECT
public:
    explicit FleetLoader(QObject* parent = nullptr);
    ~FleetLoader() override;

    // Drops whatever is in flight; `token` (may be empty) goes as Authorization: Bearer.
    void setUrl(const QUrl& url, const QByteArray& token = {});
    const QUrl& url() const { return m_url; }
    bool hasToken() const { return !m_token.isEmpty(); }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // A refresh while one is in flight is skipped (the next timer tick asks again).
    void refresh();
    bool isRefreshing() const { return m_refreshing; }
    // The last `windowMs` of one VM (instance, session) as a session.
    void loadHistory(const QString& instance, const QString& session, qint64 windowMs = 3'600'000);
    // Whether the agent answers at `url` (a short TCP connect, fleet::probeAgent);
    // a probe in flight is cancelled. Answers agentProbed.
    void probeAgent(const QUrl& url, int timeoutMs = 2000);

Q_SIGNALS:
    void fleetReady(const flight::fleet::FleetSnapshot& snapshot, qint64 elapsedMs);
    void fleetFailed(const QString& reason);
    void historyLoaded(const flight::ui::LoadedRecordingPtr& recording);
    void historyFailed(const QString& reason);
    // `problem` empty: the agent at `url` answered; else why not.
    void agentProbed(const QUrl& url, const QString& problem);

private:
    QUrl m_url;
    QByteArray m_token;
    int m_timeoutMs = 10'000;
    bool m_refreshing = false;
    quint64 m_generation = 0;     // the URL's; a result of an older one is dropped
    quint64 m_historyGeneration = 0;
    // The last probe's; shared with the probes' workers, which stop once it moves on.
    std::shared_ptr<std::atomic<quint64>> m_probeGeneration;
    // Set false in the destructor: a task still running then posts nothing.
    // A worker's client options: its queries stop once this loader is gone.
    fleet::PrometheusClientOptions clientOptions(int timeoutMs) const;
    // Held by a worker for its life: the destructor waits until none is held.
    std::shared_ptr<void> workerTicket() const;

    std::shared_ptr<std::atomic<bool>> m_alive;
    std::shared_ptr<std::atomic<int>> m_running; // workers not yet returned
};

} // namespace flight::ui
