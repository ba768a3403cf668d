// SPDX-License-Identifier: MIT
#include "recording_loader.h"

#include "import/native_recording.h"
#include "protocol/recording_content.h"
#include "recording/compact_format.h"
#include "recording/compact_index.h"
#include "recording/summary_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <fstream>
#include <mutex>
#include <vector>

#include <time.h>

namespace flight::ui {

namespace {

bool previewDue(const PreviewPolicy& policy, int taken, qint64 elapsedMs, qint64 lastPreviewMs, double fraction)
{
    if (taken >= policy.maxPreviews || fraction <= 0 || fraction >= 1
        || elapsedMs < std::max<qint64>(policy.firstAfterMs, 3 * lastPreviewMs))
        return false;
    const double remainingMs = static_cast<double>(elapsedMs) * (1 - fraction) / fraction;
    return remainingMs >= policy.minRemainingMs;
}

// CPU time of the calling thread: what a stage costs the worker, whatever the machine's load.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// A copy of what `store` holds now, with its timeline figures. Runs on the
// thread that fills the store, between two chunks, so nothing changes meanwhile.
std::shared_ptr<LoadedRecording> takePreview(const QString& path, const protocol::SessionStore& store, double fraction, quint64 loadId)
{
    const double cpu0 = threadCpuMs();
    auto preview = std::make_shared<LoadedRecording>();
    preview->path = path;
    preview->store = store.clone();
    preview->analytics = analyzeSessionTimelines(*preview->store);
    preview->stage = LoadStage::Preview;
    preview->loadedFraction = fraction;
    preview->loadId = loadId;
    preview->buildMs = threadCpuMs() - cpu0;
    return preview;
}

// The format-2 file's usage summary as a preview of the whole range; nullptr
// when it is not format 2 or has no summary that checks (then previews as for any file).
std::shared_ptr<LoadedRecording> takeSummary(const QString& path, const std::string& file, quint64 loadId)
{
    const double cpu0 = threadCpuMs();
    {
        std::ifstream in(file, std::ios::binary);
        char head[8] = {};
        if (!in.read(head, sizeof head) || !recording::looksLikeFormat2(std::string_view(head, sizeof head)))
            return nullptr;
    }
    const auto summary = recording::readCompactSummary(file);
    if (!summary || !*summary || (*summary)->sessions.empty())
        return nullptr;
    auto preview = std::make_shared<LoadedRecording>();
    preview->path = path;
    preview->store = std::make_shared<protocol::SessionStore>();
    recording::applySummary(**summary, *preview->store);
    if (preview->store->sessionCount() == 0)
        return nullptr;
    preview->analytics = analyzeSessionTimelines(*preview->store);
    preview->stage = LoadStage::Preview;
    preview->fromSummary = true;
    preview->loadedFraction = 0;
    preview->loadId = loadId;
    preview->buildMs = threadCpuMs() - cpu0;
    return preview;
}

bool hasEvents(const protocol::SessionStore& store)
{
    for (std::size_t s = 0; s < store.sessionCount(); ++s)
        if (store.session(s).timelineEventCount() > 0)
            return true;
    return false;
}

} // namespace

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
    // Hands `recording` to `signal` on the UI thread unless its load has gone stale meanwhile.
    auto deliver = [self, generation](void (RecordingLoader::*signal)(const LoadedRecordingPtr&), LoadedRecordingPtr recording) {
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, signal, recording]() {
            if (self && generation == self->m_generation)
                Q_EMIT (self->*signal)(recording);
        }, Qt::QueuedConnection);
    };
    for (qsizetype i = 0; i < paths.size(); ++i) {
        const QString path = paths[i];
        const quint64 loadId = ++m_nextLoadId;
        auto cancelFlag = m_cancel;
        const PreviewPolicy policy = m_previewPolicy;
        const QString rulesFile = m_rulesFile;
        (void)QtConcurrent::run([self, generation, path, i, loadId, policy, rulesFile, cancelFlag, fractions, progressMutex, lastReport, deliver]() {
            auto loaded = std::make_shared<LoadedRecording>();
            loaded->path = path;
            loaded->store = std::make_shared<protocol::SessionStore>();
            loaded->stage = LoadStage::Timeline;
            loaded->loadId = loadId;
            QElapsedTimer reading;
            reading.start();
            qint64 lastPreviewMs = 0;
            int previews = 0;
            // A format-2 file's summary shows the whole range at once: a preview of a part would be less.
            if (policy.maxPreviews > 0 && !cancelFlag->load()) {
                if (auto summary = takeSummary(path, QFileInfo(path).absoluteFilePath().toStdString(), loadId)) {
                    deliver(&RecordingLoader::summaryReady, std::move(summary));
                    previews = policy.maxPreviews;
                }
            }
            protocol::RecordingReadOptions options;
            options.cancel = cancelFlag.get();
            options.progress = [&](double f) {
                // Called between chunks on the thread that fills the store: a preview can copy it here.
                const qint64 elapsed = reading.elapsed();
                if (previewDue(policy, previews, elapsed, lastPreviewMs, f) && !cancelFlag->load() && hasEvents(*loaded->store)) {
                    lastPreviewMs = elapsed;
                    ++previews;
                    deliver(&RecordingLoader::previewReady, takePreview(path, *loaded->store, f, loadId));
                }
                std::lock_guard lock(*progressMutex);
                (*fractions)[static_cast<std::size_t>(i)] = f;
                if (lastReport->elapsed() < 50 && f < 1.0)
                    return;
                lastReport->restart();
                double sum = 0;
                for (double x : *fractions)
                    sum += x;
                const double overall = sum / static_cast<double>(fractions->size());
                QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, overall]() {
                    if (self && generation == self->m_generation)
                        Q_EMIT self->progressChanged(overall);
                }, Qt::QueuedConnection);
            };
            // A heaptrack or massif file is imported with the rules (import/native_recording.h).
            import::PurposeRules rules;
            QString failure;
            if (!rulesFile.isEmpty()) {
                if (auto parsed = import::PurposeRules::readFile(rulesFile.toStdString()))
                    rules = std::move(*parsed);
                else
                    failure = QString::fromStdString(parsed.error().message);
            }
            if (failure.isEmpty())
                loaded->read = import::loadAnyRecording(QFileInfo(path).absoluteFilePath().toStdString(),
                                                        *loaded->store, rules, options);
            // Unreadable, or read but with no Flight content at all (a README opened by
            // mistake): one sentence for the file, not a recording of N bad lines.
            if (failure.isEmpty() && loaded->read.ioError && loaded->store->sessionCount() == 0)
                failure = QString::fromStdString(loaded->read.ioError->message);
            else if (failure.isEmpty())
                if (const auto reason = protocol::notARecordingReason(loaded->read, *loaded->store))
                    failure = QStringLiteral("not a Flight recording %1").arg(QString::fromStdString(*reason));
            const bool failed = !failure.isEmpty();
            if (!loaded->read.cancelled && !failed) {
                // First what the timeline needs, then the rest: the window shows the timeline meanwhile.
                double cpu0 = threadCpuMs();
                loaded->analytics = analyzeSessionTimelines(*loaded->store);
                loaded->buildMs = threadCpuMs() - cpu0;
                deliver(&RecordingLoader::timelineReady, loaded);
                auto complete = std::make_shared<LoadedRecording>(*loaded);
                cpu0 = threadCpuMs();
                complete->stage = LoadStage::Complete;
                analyzeSessionDetails(complete->analytics, *complete->store);
                complete->buildMs = threadCpuMs() - cpu0;
                loaded = std::move(complete);
            }
            QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, loaded, failed, failure]() {
                if (!self || generation != self->m_generation)
                    return; // stale: the user opened something else or cancelled
                if (loaded->read.cancelled) {
                    // cancel() already reported finished for this generation
                } else if (failed) {
                    Q_EMIT self->loadFailed(loaded->path, failure);
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
