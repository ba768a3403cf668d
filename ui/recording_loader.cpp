#include "recording_loader.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <mutex>
#include <vector>

namespace flight::ui {

RecordingLoader::RecordingLoader(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<LoadedRecordingPtr>();
}

RecordingLoader::~RecordingLoader()
{
    cancel();
}

void RecordingLoader::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    if (m_pending > 0) {
        ++m_generation; // results still in flight are now stale
        m_pending = 0;
        Q_EMIT finished();
    }
}

void RecordingLoader::load(const QStringList& paths)
{
    cancel();
    const quint64 generation = ++m_generation;
    m_pending = static_cast<int>(paths.size());
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    Q_EMIT started(paths);
    if (paths.isEmpty()) {
        Q_EMIT finished();
        return;
    }

    // Progress of each file, combined and throttled on the worker side.
    auto fractions = std::make_shared<std::vector<double>>(static_cast<std::size_t>(paths.size()), 0.0);
    auto progressMutex = std::make_shared<std::mutex>();
    auto lastReport = std::make_shared<QElapsedTimer>();
    lastReport->start();

    QPointer<RecordingLoader> self(this);
    for (qsizetype i = 0; i < paths.size(); ++i) {
        const QString path = paths[i];
        auto cancelFlag = m_cancel;
        (void)QtConcurrent::run([self, generation, path, i, cancelFlag, fractions, progressMutex, lastReport]() {
            auto loaded = std::make_shared<LoadedRecording>();
            loaded->path = path;
            loaded->store = std::make_unique<protocol::SessionStore>();
            protocol::RecordingReadOptions options;
            options.cancel = cancelFlag.get();
            options.progress = [&](double f) {
                std::lock_guard lock(*progressMutex);
                (*fractions)[static_cast<std::size_t>(i)] = f;
                if (lastReport->elapsed() < 50 && f < 1.0)
                    return;
                lastReport->restart();
                double sum = 0;
                for (double x : *fractions)
                    sum += x;
                const double overall = sum / static_cast<double>(fractions->size());
                QMetaObject::invokeMethod(self, [self, generation, overall]() {
                    if (self && generation == self->m_generation)
                        Q_EMIT self->progressChanged(overall);
                }, Qt::QueuedConnection);
            };
            loaded->read = protocol::loadRecording(QFileInfo(path).absoluteFilePath().toStdString(),
                                                   *loaded->store, options);
            if (!loaded->read.cancelled)
                loaded->analytics = analyzeSessions(*loaded->store);
            QMetaObject::invokeMethod(self, [self, generation, loaded]() {
                if (!self || generation != self->m_generation)
                    return; // stale: the user opened something else or cancelled
                if (loaded->read.cancelled) {
                    // cancel() already reported finished for this generation
                } else if (loaded->read.ioError && loaded->store->sessionCount() == 0) {
                    Q_EMIT self->loadFailed(loaded->path, QString::fromStdString(loaded->read.ioError->message));
                } else {
                    Q_EMIT self->recordingLoaded(loaded);
                }
                self->finishOne(generation);
            }, Qt::QueuedConnection);
        });
    }
}

void RecordingLoader::finishOne(quint64 generation)
{
    if (generation != m_generation || m_pending == 0)
        return;
    if (--m_pending == 0) {
        m_cancel.reset();
        Q_EMIT progressChanged(1.0);
        Q_EMIT finished();
    }
}

} // namespace flight::ui
