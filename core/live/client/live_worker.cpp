// SPDX-License-Identifier: MIT
#include "live/client/live_worker.h"

#include "live/common/message_rewrite.h"
#include "live/common/producer_instance.h"
#include "live/client/redact_url.h"
#include "protocol/message_encoder.h"
#include "model/memory_analytics.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>

namespace flight::live {

LiveWorker::LiveWorker(LiveSessionOptions options, SnapshotMailbox& mailbox)
    : m_options(std::move(options)), m_mailbox(mailbox),
      m_store(std::make_unique<protocol::SessionStore>(
          protocol::DecoderOptions{static_cast<std::size_t>(m_options.connection.maxMessageBytes)})),
      m_mirror(std::make_unique<StoreMirror>(
          *m_store, protocol::DecoderOptions{static_cast<std::size_t>(m_options.connection.maxMessageBytes)}))
{
}

std::unique_ptr<protocol::SessionStore> LiveWorker::storeCopy()
{
    return m_mirror->copy();
}

LiveWorker::~LiveWorker() = default;

void LiveWorker::start()
{
    if (!m_options.recordingPath.empty())
        openRecording();
    m_connection = new LiveConnection(m_options.connection, this);
    m_pacer = new WakeupPacer({}, this);
    m_pacer->setStayAwakeWhile([this] { return m_connection && m_connection->hasPendingOutput(); });
    m_pacer->attach();
    connect(m_connection, &LiveConnection::frameReceived, this, &LiveWorker::onFrame);
    connect(m_connection, &LiveConnection::linkUp, this, &LiveWorker::onLinkUp);
    connect(m_connection, &LiveConnection::stateChanged, this, [this](ConnectionState s, const QString& text) {
        m_stateDirty = true;
        if (s == ConnectionState::Connected) {
            m_linkDownAtMs = 0;
        } else if (s != ConnectionState::Connecting && m_linkDownAtMs == 0 && m_connection->stats().connects > 0) {
            m_linkDownAtMs = protocol::nowMs(); // a reconnect's Connecting keeps the first moment
            m_lastLinkDownMs = m_linkDownAtMs;
        }
        Q_EMIT stateChanged(s, text);
    });
    m_publishTimer = new QTimer(this);
    // Published at the end of the pass that found the timer due, so the snapshot
    // holds what the same pass read (a paced pass handles timers before the socket).
    connect(m_publishTimer, &QTimer::timeout, this, [this] {
        if (m_pacer && m_pacer->attached())
            m_publishDue = true;
        else
            publish(false);
    });
    connect(m_pacer, &WakeupPacer::passEnded, this, [this] {
        if (m_publishDue) {
            m_publishDue = false;
            publish(false);
        }
    });
    m_publishTimer->start(m_options.publishInterval);
    m_flushTimer = new QTimer(this);
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        if (m_writer)
            if (auto r = m_writer->flushIfDue(); !r)
                stopRecording(r.error().message);
    });
    m_flushTimer->start(m_options.flushInterval);
    if (m_options.retention.enabled) {
        using std::chrono::milliseconds;
        milliseconds every = m_options.compactInterval;
        if (every <= milliseconds::zero())
            every = std::clamp<milliseconds>(m_options.retention.fullDetail / 8, milliseconds(1000), milliseconds(60'000));
        m_compactTimer = new QTimer(this);
        connect(m_compactTimer, &QTimer::timeout, this, [this] { compactNow(); });
        m_compactTimer->start(every);
    }
    m_connection->open();
}

LiveSnapshot LiveWorker::shutdown()
{
    if (m_publishTimer)
        m_publishTimer->stop();
    if (m_flushTimer)
        m_flushTimer->stop();
    if (m_compactTimer)
        m_compactTimer->stop();
    delete m_pacer; // the last frames and the thread's end are not delayed
    m_pacer = nullptr;
    if (m_connection) {
        m_connection->disconnect(this);
        m_connection->close();
    }
    if (m_writer && !m_recordingPlaced) {
        // Nothing was received: an existing file at the target stays as it
        // was; with nothing there, the empty recording (header only) goes
        // there, so the target always loads after a run.
        std::error_code ec;
        if (std::filesystem::symlink_status(m_options.recordingPath, ec).type() == std::filesystem::file_type::not_found)
            placeRecording();
        else
            discardPartialRecording();
    }
    if (m_writer) {
        if (auto r = m_writer->close(); !r)
            stopRecording(r.error().message);
    }
    m_stateDirty = true;
    LiveSnapshot last = buildSnapshot();
    if (last.stats.state != ConnectionState::Error) { // keep a final error's reason
        last.stats.state = ConnectionState::Closed;
        last.stats.stateText = QStringLiteral("closed");
    }
    delete m_connection; // aborts whatever is left of the link
    m_connection = nullptr;
    m_final = last;
    return last;
}

void LiveWorker::openRecording()
{
    // A new file next to the target (same directory, so the final rename is
    // atomic and stays on one file system), created exclusively: nothing at
    // the target is touched until a message arrives (see the header).
    namespace fs = std::filesystem;
    const fs::path target(m_options.recordingPath);
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(target, ec))) {
        stopRecording("cannot write " + target.string() + ": it is a directory");
        return;
    }
    protocol::RecordingWriterOptions w;
    w.format = m_options.recordingFormat;
    w.compress = m_options.compressRecording;
    w.source = redactUrl(m_options.connection.url).toStdString(); // never the token or URL credentials
    w.flushInterval = m_options.flushInterval;
    w.exclusive = true;
    Result<protocol::RecordingWriter> writer = makeError(MemoryErrorCode::IoError, "no name tried");
    for (int attempt = 0; attempt < 16; ++attempt) {
        const std::string suffix = QString::number(QRandomGenerator::global()->generate64(), 16).toStdString();
        const fs::path partial = target.parent_path() / ("." + target.filename().string() + ".partial-" + suffix);
        writer = protocol::RecordingWriter::create(partial.string(), w);
        if (writer || errno != EEXIST)
            break;
    }
    if (!writer) {
        stopRecording(writer.error().message);
        return;
    }
    m_writer.emplace(std::move(*writer));
    m_recordingPlaced = false;
}

void LiveWorker::placeRecording()
{
    if (auto r = m_writer->moveTo(m_options.recordingPath); !r)
        stopRecording(r.error().message); // removes the partial file
    else
        m_recordingPlaced = true;
}

void LiveWorker::discardPartialRecording()
{
    if (m_recordingPlaced || !m_writer)
        return;
    const std::string partial = m_writer->path();
    (void)m_writer->close();
    m_writer.reset();
    std::remove(partial.c_str());
    m_recordingPlaced = true;
}

void LiveWorker::stopRecording(const std::string& message)
{
    const bool first = m_recordingError.empty();
    if (first)
        m_recordingError = message;
    discardPartialRecording(); // nothing of it was ever at the target
    m_writer.reset(); // its destructor's close() may fail again: already reported
    m_stateDirty = true;
    if (first)
        Q_EMIT recordingFailed(QString::fromStdString(message));
}

void LiveWorker::onFrame(const QByteArray& frame)
{
    if (m_pacer)
        m_pacer->frameReceived();
    m_frame = std::string_view(frame.constData(), static_cast<std::size_t>(frame.size()));
    m_frameEnded = false;
    const std::uint64_t decodeErrors = m_store->decodeErrors();
    m_store->ingest(m_frame, ++m_frameNumber, *this); // admit() below sees the decoded message
    // A frame that did not decode is recorded as received too, so that a
    // replay of the recording shows the same decode errors (RecordingWriter::appendMalformed).
    if (m_writer && m_store->decodeErrors() != decodeErrors)
        if (auto r = m_writer->appendMalformed(m_frame); !r)
            stopRecording(r.error().message);
    m_frame = {};
    if (m_frameEnded)
        dropEndedSessions();
    // At a busy producer's rate the timer's compactions (every fullDetail/8)
    // come too late for the event cap: compact each quarter of it as well.
    const RetentionPolicy& retention = m_options.retention;
    if (retention.enabled && retention.maxFullDetailEvents > 0
        && m_messagesSinceCompaction >= std::max<std::uint64_t>(1, retention.maxFullDetailEvents / 4))
        compactNow();
}

bool LiveWorker::admit(protocol::Message& msg, std::uint64_t line)
{
    if (msg.as<protocol::HelloMsg>())
        noteHello(m_frame);
    const std::string_view sid = msg.sessionId();
    if (msg.seq && !sid.empty()) {
        auto it = m_heldSeq.find(sid);
        if (it == m_heldSeq.end())
            it = m_heldSeq.emplace(std::string(sid), protocol::SeqTracker{}).first;
        if (it->second.accept(*msg.seq).kind == protocol::SeqCheck::Kind::Duplicate) {
            // Received already (a server resending after a reconnect):
            // neither recorded nor applied. Kept from the store too because
            // the store would count it a second time.
            ++m_duplicates;
            return false;
        }
    }
    m_frameEnded = msg.as<protocol::SessionEndedMsg>() != nullptr;
    const std::string* local = m_restarts > 0 && !sid.empty() ? renamedId(sid) : nullptr;
    if (local) {
        // A new producer instance reusing a session id the store holds
        // from an earlier one: kept apart under its own id (the view stays
        // valid: m_localIds keeps the string while the message is in use).
        setMessageSessionId(msg, *local);
    }
    m_mirror->frameApplied(m_frame, line, local);
    ++m_messagesSinceCompaction;
    record(msg);
    return true;
}

void LiveWorker::record(const protocol::Message& message)
{
    if (!m_writer)
        return;
    if (auto r = m_writer->append(message, protocol::nowMs()); r)
        ++m_recorded;
    else
        stopRecording(r.error().message);
    if (m_writer && !m_recordingPlaced)
        placeRecording(); // the first message: now the target is replaced
}

void LiveWorker::noteHello(std::string_view frame)
{
    const std::optional<std::string> instance = helloInstance(frame);
    if (!instance || *instance == m_instance)
        return;
    if (!m_instance.empty()) {
        // The producer restarted: the seqs held are the old instance's, and
        // the sessions it did not end will get nothing more.
        const std::int64_t since = m_lastLinkDownMs != 0 ? m_lastLinkDownMs : protocol::nowMs();
        for (std::size_t i = 0; i < m_store->sessionCount(); ++i) {
            const SessionModel& m = m_store->session(i);
            if (!m.endedAt())
                m_producerGone.try_emplace(m.info().sessionId, since);
        }
        ++m_restarts;
        m_heldSeq.clear();
        m_retired.clear();
        m_localIds.clear();
    }
    m_instance = *instance;
    m_stateDirty = true;
}

const std::string* LiveWorker::renamedId(std::string_view wireId)
{
    auto it = m_localIds.find(wireId);
    if (it == m_localIds.end()) {
        // First message of this session from the current instance.
        std::string local;
        std::uint64_t run = 1;
        if (m_store->find(wireId)) {
            const auto taken = [&](const std::string& id) {
                if (m_store->find(id))
                    return true;
                for (const auto& [wire, kept] : m_localIds)
                    if (kept == id)
                        return true;
                return false;
            };
            for (std::uint64_t n = 2;; ++n) {
                local = std::string(wireId) + '~' + std::to_string(n);
                run = n;
                if (!taken(local))
                    break;
            }
        }
        if (!local.empty())
            m_runs[local] = {std::string(wireId), static_cast<std::uint32_t>(std::min<std::uint64_t>(run, UINT32_MAX))};
        it = m_localIds.emplace(std::string(wireId), std::move(local)).first;
    }
    return it->second.empty() ? nullptr : &it->second;
}

void LiveWorker::dropEndedSessions()
{
    const std::vector<std::string> dropped = m_store->dropEndedSessions(m_options.maxEndedSessions);
    m_mirror->endedSessionsDropped(m_options.maxEndedSessions);
    for (const std::string& id : dropped) {
        std::string wire = id;
        for (auto it = m_localIds.begin(); it != m_localIds.end(); ++it) {
            if (it->second == id || (it->second.empty() && it->first == id)) {
                wire = it->first;
                m_localIds.erase(it);
                break;
            }
        }
        if (m_heldSeq.contains(wire))
            m_retired.push_back(std::move(wire));
    }
    while (m_retired.size() > kRetiredSeqsHeld) {
        m_heldSeq.erase(m_retired.front());
        m_retired.pop_front();
    }
    if (!dropped.empty())
        m_stateDirty = true;
}

CompactionResult LiveWorker::compactNow()
{
    QElapsedTimer clock;
    clock.start();
    m_messagesSinceCompaction = 0;
    const CompactionResult r = m_store->compact(m_options.retention);
    m_mirror->compacted(m_options.retention);
    if (r.compacted) {
        ++m_compactions;
        m_lastCompactionMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        m_stateDirty = true; // the figures about the history changed
    }
    return r;
}

QString LiveWorker::subscribeMessage() const
{
    return subscribeMessages(SIZE_MAX).join(QString());
}

QStringList LiveWorker::subscribeMessages(std::size_t maxBytes) const
{
    const std::string head = R"({"type":"subscribe","sessionIds":["*"])";
    std::string tail;
    if (!m_instance.empty()) {
        tail += R"(,"instance":)";
        protocol::appendJsonString(tail, m_instance);
    }
    tail += '}';
    QStringList parts;
    if (m_heldSeq.empty()) {
        parts << QString::fromStdString(head + tail);
        return parts;
    }
    // ,"since":{...} plus, on every part but the last, ,"more":true
    const std::size_t frame = head.size() + tail.size() + std::string_view(R"(,"since":{})").size()
                              + std::string_view(R"(,"more":true)").size();
    std::string entries;
    std::string entry;
    const auto flush = [&](bool last) {
        std::string out = head + R"(,"since":{)" + entries + '}';
        if (!last)
            out += R"(,"more":true)";
        out += tail;
        parts << QString::fromStdString(out);
        entries.clear();
    };
    for (const auto& [sid, seqs] : m_heldSeq) {
        entry.clear();
        protocol::appendJsonString(entry, sid);
        entry += ':';
        entry += std::to_string(seqs.last());
        if (!entries.empty() && frame + entries.size() + 1 + entry.size() > maxBytes)
            flush(false);
        if (!entries.empty())
            entries += ',';
        entries += entry; // one entry alone may exceed maxBytes only with an id over it (ids are capped far below)
    }
    flush(true);
    return parts;
}

void LiveWorker::onLinkUp()
{
    for (const QString& part : subscribeMessages())
        m_connection->sendText(part);
}

void LiveWorker::publish(bool force)
{
    const std::uint64_t frames = m_connection ? m_connection->stats().framesReceived : 0;
    if (!force && !m_stateDirty && frames == m_lastPublishedFrames)
        return; // nothing new: do not wake the UI side
    m_stateDirty = false;
    m_lastPublishedFrames = frames;
    LiveSnapshot s = buildSnapshot();
    ++m_published;
    s.sequence = m_published;
    s.stats.snapshotsPublished = m_published;
    if (m_mailbox.put(std::move(s)))
        Q_EMIT snapshotPosted();
}

LiveSnapshot LiveWorker::buildSnapshot() const
{
    LiveSnapshot snap;
    snap.sequence = m_published;
    const protocol::SessionStore& st = *m_store;
    snap.sessions.reserve(st.sessionCount());
    for (std::size_t i = 0; i < st.sessionCount(); ++i) {
        const SessionModel& m = st.session(i);
        LiveSessionFigures f;
        f.sessionId = m.info().sessionId;
        f.platform = m.info().platform;
        f.label = m.info().label;
        f.totalBytes = m.info().totalBytes;
        const MemoryStats ms = MemoryAnalytics(m).calculateMemoryStats();
        f.usedBytes = ms.currentBytes;
        f.trackedBytes = ms.trackedBytes;
        f.peakBytes = ms.peakBytes;
        f.pressure = m.pressure();
        f.reportedPressure = m.reportedPressure();
        for (std::size_t p = 0; p < ms.byPurpose.size(); ++p) {
            const MemoryPurpose purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(p));
            if (const std::int64_t bytes = ms.byPurpose[purpose]; bytes > 0)
                f.trackedByPurpose.emplace_back(std::string(purpose.name()), static_cast<std::uint64_t>(bytes));
        }
        f.activeAllocations = ms.activeAllocations;
        f.totalAllocations = ms.totalAllocations;
        f.freedAllocations = ms.freedAllocations;
        f.markers = m.markers().size();
        f.events = m.events().size();
        f.ended = m.endedAt().has_value();
        f.lastMs = m.lastMs();
        f.fullDetailFromMs = m.retention().fullDetailFromMs;
        f.historyResolutionMs = m.retention().resolutionMs;
        f.allocationsDropped = m.retention().allocationsDropped;
        if (const auto gone = m_producerGone.find(f.sessionId); gone != m_producerGone.end())
            f.producerGoneSinceMs = gone->second;
        if (const auto run = m_runs.find(f.sessionId); run != m_runs.end()) {
            f.continues = run->second.first;
            f.run = run->second.second;
        }
        snap.sessions.push_back(std::move(f));
    }
    LiveStats& s = snap.stats;
    if (!m_connection && m_final) {
        s = m_final->stats;
    } else if (m_connection) {
        const auto cs = m_connection->stats();
        s.state = m_connection->state();
        s.stateText = m_connection->stateText();
        s.framesReceived = cs.framesReceived;
        s.bytesReceived = cs.bytesReceived;
        s.oversizedRefused = cs.oversizedRefused;
        s.attempts = cs.attempts;
        s.connects = cs.connects;
        s.reconnects = cs.reconnects;
    }
    s.url = redactUrl(m_options.connection.url);
    s.messagesApplied = st.messagesApplied();
    s.decodeErrors = st.decodeErrors();
    s.sessionErrors = st.sessionErrors();
    s.warnings = st.warnings();
    s.duplicatesDropped = st.duplicatesDropped() + m_duplicates;
    s.seqGaps = st.seqGaps();
    s.seqOutOfOrder = st.seqOutOfOrder();
    s.recordedMessages = m_recorded;
    s.recordingError = m_recordingError;
    s.snapshotsPublished = m_published;
    s.snapshotsCoalesced = m_mailbox.coalesced();
    s.framesCoalesced = m_mailbox.framesCoalesced();
    s.retention = m_options.retention.describe();
    s.compactions = m_compactions;
    s.lastCompactionMs = m_lastCompactionMs;
    s.endedSessionsDropped = st.endedSessionsDropped();
    s.producerRestarts = m_restarts;
    s.producerInstance = m_instance;
    s.disconnectedSinceMs = m_linkDownAtMs;
    return snap;
}

} // namespace flight::live
