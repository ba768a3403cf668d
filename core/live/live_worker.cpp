// SPDX-License-Identifier: MIT
#include "live/live_worker.h"

#include "live/message_rewrite.h"
#include "live/producer_instance.h"
#include "live/redact_url.h"
#include "protocol/message_encoder.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace flight::live {

LiveWorker::LiveWorker(LiveSessionOptions options, SnapshotMailbox& mailbox)
    : m_options(std::move(options)), m_mailbox(mailbox),
      m_store(std::make_unique<protocol::SessionStore>(
          protocol::DecoderOptions{static_cast<std::size_t>(m_options.connection.maxMessageBytes)}))
{
}

LiveWorker::~LiveWorker() = default;

void LiveWorker::start()
{
    if (!m_options.recordingPath.empty()) {
        protocol::RecordingWriterOptions w;
        w.compress = m_options.compressRecording;
        w.source = redactUrl(m_options.connection.url).toStdString(); // never the token or URL credentials
        w.flushInterval = m_options.flushInterval;
        auto writer = protocol::RecordingWriter::create(m_options.recordingPath, w);
        if (writer)
            m_writer.emplace(std::move(*writer));
        else
            stopRecording(writer.error().message);
    }
    m_connection = new LiveConnection(m_options.connection, this);
    connect(m_connection, &LiveConnection::frameReceived, this, &LiveWorker::onFrame);
    connect(m_connection, &LiveConnection::linkUp, this, &LiveWorker::onLinkUp);
    connect(m_connection, &LiveConnection::stateChanged, this, [this](ConnectionState s, const QString& text) {
        m_stateDirty = true;
        emit stateChanged(s, text);
    });
    m_publishTimer = new QTimer(this);
    connect(m_publishTimer, &QTimer::timeout, this, [this] { publish(false); });
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
    if (m_connection) {
        m_connection->disconnect(this);
        m_connection->close();
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

void LiveWorker::stopRecording(const std::string& message)
{
    const bool first = m_recordingError.empty();
    if (first)
        m_recordingError = message;
    m_writer.reset(); // its destructor's close() may fail again: already reported
    m_stateDirty = true;
    if (first)
        emit recordingFailed(QString::fromStdString(message));
}

void LiveWorker::onFrame(const QByteArray& frame)
{
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
}

bool LiveWorker::admit(protocol::Message& msg, std::uint64_t)
{
    if (msg.as<protocol::HelloMsg>())
        noteHello(m_frame);
    const std::string_view sid = msg.sessionId();
    if (msg.seq && !sid.empty()) {
        auto it = m_heldSeq.find(sid);
        if (it == m_heldSeq.end()) {
            m_heldSeq.emplace(std::string(sid), *msg.seq);
        } else if (*msg.seq <= it->second) {
            // Held already (a server resending after a reconnect): neither
            // recorded nor applied. Kept from the store too because
            // SessionStore takes a resent session_started's seq as the
            // session's last one, which would let the messages after it in
            // again.
            ++m_duplicates;
            return false;
        } else {
            it->second = *msg.seq;
        }
    }
    m_frameEnded = msg.as<protocol::SessionEndedMsg>() != nullptr;
    if (const std::string* local = m_restarts > 0 && !sid.empty() ? renamedId(sid) : nullptr) {
        // A new producer instance reusing a session id the store holds
        // from an earlier one: kept apart under its own id (the view stays
        // valid: m_localIds keeps the string while the message is in use).
        setMessageSessionId(msg, *local);
    }
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
}

void LiveWorker::noteHello(std::string_view frame)
{
    const std::optional<std::string> instance = helloInstance(frame);
    if (!instance || *instance == m_instance)
        return;
    if (!m_instance.empty()) {
        // The producer restarted: the seqs held are the old instance's.
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
                if (!taken(local))
                    break;
            }
        }
        it = m_localIds.emplace(std::string(wireId), std::move(local)).first;
    }
    return it->second.empty() ? nullptr : &it->second;
}

void LiveWorker::dropEndedSessions()
{
    const std::vector<std::string> dropped = m_store->dropEndedSessions(m_options.maxEndedSessions);
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
    const CompactionResult r = m_store->compact(m_options.retention);
    if (r.compacted) {
        ++m_compactions;
        m_lastCompactionMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        m_stateDirty = true; // the figures about the history changed
    }
    return r;
}

QString LiveWorker::subscribeMessage() const
{
    std::string out = R"({"type":"subscribe","sessionIds":["*"])";
    if (!m_heldSeq.empty()) {
        out += R"(,"since":{)";
        bool first = true;
        for (const auto& [sid, seq] : m_heldSeq) {
            if (!first)
                out += ',';
            first = false;
            protocol::appendJsonString(out, sid);
            out += ':';
            out += std::to_string(seq);
        }
        out += '}';
    }
    if (!m_instance.empty()) {
        out += R"(,"instance":)";
        protocol::appendJsonString(out, m_instance);
    }
    out += '}';
    return QString::fromStdString(out);
}

void LiveWorker::onLinkUp()
{
    m_connection->sendText(subscribeMessage());
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
        emit snapshotPosted();
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
        const MemoryStats ms = m.calculateMemoryStats();
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
    return snap;
}

} // namespace flight::live
