// SPDX-License-Identifier: MIT
#include "live/client/live_session.h"

#include "live/client/live_worker.h"
#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <QMetaObject>

namespace flight::live {

namespace {
const int kRegistered = [] {
    qRegisterMetaType<flight::live::ConnectionState>();
    qRegisterMetaType<flight::live::LiveSnapshot>();
    return 0;
}();
} // namespace

LiveSession::LiveSession(LiveSessionOptions options, QObject* parent)
    : QObject(parent), m_options(std::move(options))
{
    (void)kRegistered;
    m_thread.setObjectName(QStringLiteral("flight-live"));
}

LiveSession::~LiveSession() { stop(); }

template <typename Fn> void LiveSession::onWorker(Fn&& fn) const
{
    if (!m_running || QThread::currentThread() == &m_thread) {
        fn();
        return;
    }
    QMetaObject::invokeMethod(m_worker.get(), std::forward<Fn>(fn), Qt::BlockingQueuedConnection);
}

void LiveSession::start()
{
    if (m_running)
        return;
    m_worker = std::make_unique<LiveWorker>(m_options, m_mailbox);
    m_worker->moveToThread(&m_thread);
    connect(m_worker.get(), &LiveWorker::snapshotPosted, this, &LiveSession::deliver, Qt::QueuedConnection);
    connect(m_worker.get(), &LiveWorker::stateChanged, this, &LiveSession::stateChanged, Qt::QueuedConnection);
    connect(m_worker.get(), &LiveWorker::recordingFailed, this, &LiveSession::recordingFailed, Qt::QueuedConnection);
    m_thread.start();
    m_running = true;
    QMetaObject::invokeMethod(m_worker.get(), [w = m_worker.get()] { w->start(); }, Qt::QueuedConnection);
}

LiveSnapshot LiveSession::stop()
{
    if (!m_running)
        return m_latest.value_or(LiveSnapshot{});
    LiveSnapshot last;
    onWorker([&] {
        last = m_worker->shutdown();
        // hand the worker back to this thread so it can be used after the thread ends
        m_worker->moveToThread(thread());
    });
    m_thread.quit();
    m_thread.wait();
    m_running = false;
    m_mailbox.take(); // anything still waiting is older than `last`
    m_latest = last;
    return last;
}

void LiveSession::deliver()
{
    if (auto s = m_mailbox.take()) {
        m_latest = std::move(*s);
        Q_EMIT snapshotReady(*m_latest);
    }
}

LiveSnapshot LiveSession::snapshotNow() const
{
    if (!m_worker)
        return m_latest.value_or(LiveSnapshot{});
    LiveSnapshot s;
    onWorker([&] { s = m_worker->buildSnapshot(); });
    return s;
}

std::string LiveSession::summaryJson(bool pretty) const
{
    std::string out;
    if (!m_worker)
        return out;
    onWorker([&] { out = protocol::summaryJson(m_worker->store(), pretty); });
    return out;
}

void LiveSession::withStore(const std::function<void(const protocol::SessionStore&)>& fn) const
{
    if (!m_worker)
        return;
    onWorker([&] { fn(m_worker->store()); });
}

void LiveSession::requestStoreCopy(QObject* context,
                                   std::function<void(std::unique_ptr<protocol::SessionStore>)> done)
{
    if (!m_worker || !m_running || !context)
        return;
    LiveWorker* w = m_worker.get();
    // The worker object is deleted with this session, which drops this call
    // if it has not run; after stop() it is handed back to this thread, and
    // then it does nothing.
    QMetaObject::invokeMethod(w, [w, context, done = std::move(done)]() {
        if (w->isShutDown())
            return;
        auto copy = std::make_shared<std::unique_ptr<protocol::SessionStore>>(w->storeCopy());
        // `context` outlives the worker's run: stop() waits for the worker.
        QMetaObject::invokeMethod(context, [done, copy]() { done(std::move(*copy)); }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

CompactionResult LiveSession::compactNow()
{
    CompactionResult r;
    if (m_worker)
        onWorker([&] { r = m_worker->compactNow(); });
    return r;
}

QString LiveSession::subscribeMessage() const
{
    QString out;
    if (!m_worker)
        return out;
    onWorker([&] { out = m_worker->subscribeMessage(); });
    return out;
}

} // namespace flight::live
