// SPDX-License-Identifier: MIT
#pragma once
// The worker-thread half of a LiveSession: owns the LiveConnection (socket),
// the SessionStore (decoding and models) and the RecordingWriter. Created on
// any thread, moved to the worker thread, then driven only through queued or
// blocking-queued calls (LiveSession does this). Not for direct use elsewhere.
//
// Each frame is decoded once, by the store's decoder (SessionStore::ingest
// with this worker as its MessageGate, so decode errors, warnings, time units
// declared by a session and skipped types are kept exactly as ingest keeps
// them): the worker looks at the decoded message before the store applies it,
// to learn its session and seq and to write the canonical message to the
// recording. A frame that does not decode is counted by the store and not
// recorded. A message whose seq the client already received for its session
// (a server resending after a reconnect; protocol::SeqTracker: only a seq
// that really came before) is dropped here, before the store applies it and
// before the recording, and counted in LiveStats::duplicatesDropped (with the
// store's own count); the warnings its decoding raised are kept. A seq that
// jumps ahead is a gap, and the messages after it (numbered below the jump)
// are applied and recorded: counted in LiveStats::seqOutOfOrder.
//
// After each (re)connection the worker sends
// {"type":"subscribe","sessionIds":["*"],"since":{"<sessionId>":<seq received last>},"instance":"<id>"}
// ("since" omitted while no seq is held, "instance" while the producer's
// hello named none). A `since` that would make the message larger than
// kMaxSubscribeBytes (48 KiB, under the agent's 64 KiB limit for client
// messages) is split over several subscribes, each under it; all but the
// last carry "more":true (protocol.md, "since in parts"), so a resume works
// for any number of sessions.
//
// Producer restarts: a hello whose `instance` differs from the one held means
// the producer restarted and numbers its sessions from seq 1 again. The worker
// then forgets every seq it held (counted in LiveStats::producerRestarts), so
// nothing of the new instance is taken for a duplicate. A session id of the
// new instance that the store already holds from an earlier instance is kept
// apart under "<id>~2" ("~3", ...), in the store and in the recording, so the
// old instance's data is neither counted twice nor mixed with the new one.
// The new one's figures say which session they continue and which run they are
// (LiveSessionFigures::continues, run); the old instance's sessions that it
// never ended are marked as having lost their producer, since the link went
// down (LiveSessionFigures::producerGoneSinceMs): nothing more will come for them.
//
// Recording (LiveSessionOptions::recordingPath): written first to a new file
// next to the target, ".<name>.partial-<random>", created exclusively (never
// an existing file, never through a symlink), and moved onto the target with
// rename(2) when the first message is recorded. So a run that receives
// nothing (the producer is down, the token is refused) leaves a file already
// at the target untouched; the partial file is removed at shutdown, and with
// nothing at the target the empty recording is put there. A symlink at the
// target is replaced by the recording, the file it points to is never
// written. A process killed before the first message leaves only the partial
// file behind.
//
// Wake-ups (WakeupPacer): while the link brings under 1,000 frames a second,
// the worker's thread sleeps before its event loop waits, so that a pass
// comes at most every 40 ms and reads what arrived meanwhile, instead of
// waking once per message; snapshots are published at the end of the pass
// that found the publish timer due. It never sleeps while the link has bytes
// waiting to be written (they leave only in a pass of the loop): a subscribe
// in parts after a reconnect leaves at once. A blocking call from another
// thread (LiveSession::snapshotNow, stop) may wait up to those 40 ms.
//
// Ended sessions: after each session_ended, the store keeps at most
// LiveSessionOptions::maxEndedSessions ended sessions (SessionStore::
// dropEndedSessions). The seqs of the dropped ones stay held for the newest
// kRetiredSeqsHeld of them, so a server resending them is still answered
// with `since`, and the subscribe message stays bounded.

#include "live/client/live_connection.h"
#include "live/client/live_session_options.h"
#include "live/client/live_snapshot.h"
#include "live/client/snapshot_mailbox.h"
#include "live/client/store_mirror.h"
#include "live/client/wakeup_pacer.h"
#include "protocol/message_gate.h"
#include "protocol/recording_writer.h"
#include "protocol/seq_tracker.h"
#include "protocol/session_store.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

class QTimer;

namespace flight::live {

class LiveWorker : public QObject, private protocol::MessageGate {
    Q_OBJECT
public:
    // Dropped sessions whose seqs stay held (see above).
    static constexpr std::size_t kRetiredSeqsHeld = 256;

    LiveWorker(LiveSessionOptions options, SnapshotMailbox& mailbox);
    ~LiveWorker() override;

    // --- worker thread only -------------------------------------------------
    void start();
    // Closes the link, flushes and closes the recording, returns the last snapshot.
    LiveSnapshot shutdown();
    LiveSnapshot buildSnapshot() const;
    const protocol::SessionStore& store() const { return *m_store; }
    // A copy of the store for another thread, equal to store().clone(), brought up to
    // date from a copy its reader gave back when there is one (live/client/store_mirror.h).
    std::unique_ptr<protocol::SessionStore> storeCopy();
    StoreMirror::Stats mirrorStats() const { return m_mirror->stats(); }
    // Largest subscribe message sent (see above).
    static constexpr std::size_t kMaxSubscribeBytes = 48 * 1024;
    // The subscribe the next link asks for, as one message (for tests and logs).
    QString subscribeMessage() const;
    // What is sent: that subscribe in parts of at most kMaxSubscribeBytes each.
    QStringList subscribeMessages(std::size_t maxBytes = kMaxSubscribeBytes) const;
    // Applies the retention policy now (also run by a timer); for tests and benchmarks.
    CompactionResult compactNow();
    bool isShutDown() const { return m_final.has_value(); }

Q_SIGNALS:
    // The mailbox went from empty to holding a snapshot.
    void snapshotPosted();
    void stateChanged(flight::live::ConnectionState state, const QString& text);
    // The recording stopped for good (disk full, file size limit, I/O error);
    // emitted once. The connection and the store go on.
    void recordingFailed(const QString& message);

private:
    void onFrame(const QByteArray& frame);
    // For each frame that decodes to a message, before the store applies it.
    bool admit(protocol::Message& message, std::uint64_t line) override;
    void noteHello(std::string_view frame);
    const std::string* renamedId(std::string_view wireId);
    void record(const protocol::Message& message);
    void dropEndedSessions();
    void onLinkUp();
    void publish(bool force);
    void stopRecording(const std::string& message);
    void openRecording();
    void placeRecording();
    void discardPartialRecording();

    LiveSessionOptions m_options;
    SnapshotMailbox& m_mailbox;
    std::unique_ptr<protocol::SessionStore> m_store;
    std::unique_ptr<StoreMirror> m_mirror; // logs what changes m_store, for storeCopy()
    std::optional<protocol::RecordingWriter> m_writer;
    LiveConnection* m_connection = nullptr;
    WakeupPacer* m_pacer = nullptr; // this thread's wake-ups while the link is quiet
    QTimer* m_publishTimer = nullptr;
    bool m_publishDue = false; // the timer fired: published when the pass ends
    QTimer* m_flushTimer = nullptr;
    QTimer* m_compactTimer = nullptr;
    std::uint64_t m_compactions = 0;
    double m_lastCompactionMs = 0.0;
    std::uint64_t m_messagesSinceCompaction = 0; // a busy stream is compacted by count too (maxFullDetailEvents)
    std::map<std::string, protocol::SeqTracker, std::less<>> m_heldSeq; // by the session id on the wire
    std::deque<std::string> m_retired;  // held seqs of sessions dropped from the store, oldest first
    std::string m_instance;             // the producer's, from its hello
    std::uint64_t m_restarts = 0;
    // After a producer restart: wire session id -> the id it is kept under
    // (empty: its own). Only sessions of the current instance.
    std::map<std::string, std::string, std::less<>> m_localIds;
    // A restarted producer's session kept apart: its id here -> {the wire id it continues, which run (2, 3, ...)}.
    std::map<std::string, std::pair<std::string, std::uint32_t>, std::less<>> m_runs;
    // Sessions whose producer instance went away without ending them (it restarted): id -> since, wall-clock ms.
    std::map<std::string, std::int64_t, std::less<>> m_producerGone;
    std::int64_t m_linkDownAtMs = 0;   // wall-clock ms the link went down; 0 while up (or before the first link)
    std::int64_t m_lastLinkDownMs = 0; // the last time it went down, kept after it came back
    std::uint64_t m_frameNumber = 0;
    std::string_view m_frame;  // the frame being ingested (for admit)
    bool m_frameEnded = false; // it ended a session
    std::uint64_t m_recorded = 0;
    std::uint64_t m_duplicates = 0;
    std::uint64_t m_published = 0;
    std::uint64_t m_lastPublishedFrames = UINT64_MAX;
    bool m_stateDirty = true;
    std::string m_recordingError;
    bool m_recordingPlaced = true; // false while the recording is still the partial file
    std::optional<LiveSnapshot> m_final; // after shutdown()
};

} // namespace flight::live
