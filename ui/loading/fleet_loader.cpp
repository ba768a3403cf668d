// SPDX-License-Identifier: MIT
#include "loading/fleet_loader.h"

#include "fleet/agent_reachability.h"
#include "fleet/prometheus_client.h"
#include "fleet/prometheus_history.h"
#include "reports/session_analytics.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QPointer>
#include <QThread>
#include <QThreadPool>

namespace flight::ui {

FleetLoader::FleetLoader(QObject* parent)
    : QObject(parent),
      m_probeGeneration(std::make_shared<std::atomic<quint64>>(0)),
      m_alive(std::make_shared<std::atomic<bool>>(true)),
      m_running(std::make_shared<std::atomic<int>>(0))
{
    qRegisterMetaType<fleet::FleetSnapshot>();
    qRegisterMetaType<LoadedRecordingPtr>();
}

FleetLoader::~FleetLoader()
{
    m_alive->store(false);
    // A worker's network wait runs on events, and none are delivered once the
    // application object is going: its queries see m_alive and stop within a
    // poll (20 ms), so wait for them here, while events still flow.
    QDeadlineTimer deadline(3000);
    while (m_running->load() > 0 && !deadline.hasExpired())
        QThread::msleep(2);
}

fleet::PrometheusClientOptions FleetLoader::clientOptions(int timeoutMs) const
{
    fleet::PrometheusClientOptions options;
    options.timeoutMs = timeoutMs;
    options.bearerToken = m_token;
    options.cancelled = [alive = m_alive] { return !alive->load(); }; // the loader is gone: stop at once
    return options;
}

std::shared_ptr<void> FleetLoader::workerTicket() const
{
    m_running->fetch_add(1);
    // the deleter runs when the worker's last copy of the ticket goes, null pointer or not
    return std::shared_ptr<void>(nullptr, [running = m_running](void*) { running->fetch_sub(1); });
}

void FleetLoader::setUrl(const QUrl& url, const QByteArray& token)
{
    m_url = url;
    m_token = token;
    ++m_generation;
    ++m_historyGeneration;
    m_refreshing = false;
}

void FleetLoader::refresh()
{
    if (m_refreshing || m_url.isEmpty())
        return;
    m_refreshing = true;
    const quint64 generation = m_generation;
    const fleet::PrometheusClientOptions options = clientOptions(m_timeoutMs);
    const QUrl url = m_url;
    QPointer<FleetLoader> self(this);
    auto alive = m_alive;
    QThreadPool::globalInstance()->start([self, alive, ticket = workerTicket(), generation, url, options] {
        QElapsedTimer clock;
        clock.start();
        const fleet::PrometheusClient client(url, options);
        auto snapshot = fleet::queryFleet(client);
        const qint64 elapsed = clock.elapsed();
        // Posted to the application object and checked there, on the UI thread: reading the
        // QPointer on this worker would race with the loader's destruction.
        if (!alive->load())
            return;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, snapshot = std::move(snapshot), elapsed]() mutable {
            if (!self || generation != self->m_generation)
                return; // the URL changed meanwhile
            self->m_refreshing = false;
            if (snapshot)
                Q_EMIT self->fleetReady(*snapshot, elapsed);
            else
                Q_EMIT self->fleetFailed(QString::fromStdString(snapshot.error().message));
        }, Qt::QueuedConnection);
    });
}

void FleetLoader::loadHistory(const QString& instance, const QString& session, qint64 windowMs)
{
    if (m_url.isEmpty())
        return;
    const quint64 generation = ++m_historyGeneration;
    const fleet::PrometheusClientOptions options = clientOptions(m_timeoutMs * 3);
    const QUrl url = m_url;
    QPointer<FleetLoader> self(this);
    auto alive = m_alive;
    QThreadPool::globalInstance()->start([self, alive, ticket = workerTicket(), generation, url, options, instance,
                                          session, windowMs] {
        const fleet::PrometheusClient client(url, options);
        fleet::HistoryRequest request;
        request.session = session;
        request.instance = instance;
        request.endMs = QDateTime::currentMSecsSinceEpoch();
        request.startMs = request.endMs - windowMs;
        request.maxPoints = 2000;
        auto history = fleet::loadHistory(client, request);
        LoadedRecordingPtr loaded;
        QString error;
        if (!history) {
            error = QString::fromStdString(history.error().message);
        } else if (history->sources.empty()) {
            error = QStringLiteral("Prometheus holds no history of %1").arg(session);
        } else {
            auto r = std::make_shared<LoadedRecording>();
            // The views name a source by its path's file name (after the last '/'): no URL here,
            // only Prometheus' host and port ("127.0.0.1:9464 (Prometheus 127.0.0.1:9090)").
            const QUrl shown(client.displayUrl());
            r->path = QStringLiteral("%1 (Prometheus %2)")
                          .arg(QString(instance).replace(QLatin1Char('/'), QLatin1Char(' ')),
                               shown.port() > 0 ? QStringLiteral("%1:%2").arg(shown.host()).arg(shown.port()) : shown.host());
            r->store = std::shared_ptr<protocol::SessionStore>(std::move(history->sources.front().store));
            r->analytics = analyzeSessions(*r->store);
            r->stage = LoadStage::Complete;
            loaded = std::move(r);
        }
        if (!alive->load())
            return;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, loaded, error] {
            if (!self || generation != self->m_historyGeneration)
                return;
            if (loaded)
                Q_EMIT self->historyLoaded(loaded);
            else
                Q_EMIT self->historyFailed(error);
        }, Qt::QueuedConnection);
    });
}

void FleetLoader::probeAgent(const QUrl& url, int timeoutMs)
{
    const quint64 generation = m_probeGeneration->fetch_add(1) + 1;
    fleet::AgentProbeOptions options;
    options.timeoutMs = timeoutMs;
    // Stops when another probe replaces it or the loader goes.
    options.cancelled = [alive = m_alive, current = m_probeGeneration, generation] {
        return !alive->load() || current->load() != generation;
    };
    QPointer<FleetLoader> self(this);
    auto alive = m_alive;
    QThreadPool::globalInstance()->start([self, alive, ticket = workerTicket(), generation, url, options] {
        const auto reached = fleet::probeAgent(url, options);
        const QString problem = reached ? QString() : QString::fromStdString(reached.error().message);
        if (!alive->load())
            return;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, url, problem] {
            if (!self || generation != self->m_probeGeneration->load())
                return;
            Q_EMIT self->agentProbed(url, problem);
        }, Qt::QueuedConnection);
    });
}

} // namespace flight::ui
