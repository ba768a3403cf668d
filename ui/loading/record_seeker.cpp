// SPDX-License-Identifier: MIT
#include "record_seeker.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace flight::ui {

RecordSeeker::RecordSeeker(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<SeekResultPtr>();
    m_pool.setMaxThreadCount(1);
}

RecordSeeker::~RecordSeeker()
{
    ++m_generation;
    m_pool.waitForDone(); // a seek reads a few blocks: short
}

void RecordSeeker::seek(const QString& path, const QString& sessionId, std::int64_t atMs, std::size_t maxRows)
{
    Request r{path, sessionId, atMs, maxRows, ++m_generation};
    if (m_running) {
        m_waiting = std::move(r); // replaces an older waiting seek
        return;
    }
    start(std::move(r));
}

void RecordSeeker::cancel()
{
    ++m_generation;
    m_waiting.reset();
}

void RecordSeeker::start(Request request)
{
    m_running = true;
    std::shared_ptr<const recording::CompactIndex> index = request.path == m_indexPath ? m_index : nullptr;
    QPointer<RecordSeeker> self(this);
    (void)QtConcurrent::run(&m_pool, [self, request, index]() mutable {
        auto result = std::make_shared<SeekResult>();
        result->path = request.path;
        result->sessionId = request.sessionId;
        result->generation = request.generation;
        result->atMs = request.atMs;
        const std::string path = request.path.toStdString();
        if (!index) {
            if (auto read = recording::readCompactIndex(path))
                index = std::make_shared<const recording::CompactIndex>(std::move(*read));
            else
                result->error = QString::fromStdString(read.error().message);
        }
        if (index) {
            if (auto around = recording::readRecordsAround(path, *index, request.atMs, request.sessionId.toStdString(), request.maxRows))
                result->around = std::move(*around);
            else
                result->error = QString::fromStdString(around.error().message);
        }
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, result = SeekResultPtr(std::move(result)), index]() {
            if (self)
                self->finished(result, index);
        });
    });
}

void RecordSeeker::finished(const SeekResultPtr& result, std::shared_ptr<const recording::CompactIndex> index)
{
    m_running = false;
    if (index) {
        m_indexPath = result->path;
        m_index = std::move(index);
    }
    if (m_waiting) {
        Request next = std::move(*m_waiting);
        m_waiting.reset();
        start(std::move(next));
    }
    if (result->generation == m_generation)
        Q_EMIT recordsReady(result);
}

} // namespace flight::ui
