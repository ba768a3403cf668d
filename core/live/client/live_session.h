// SPDX-License-Identifier: MIT
#pragma once
// A live connection as the UI (or `flight-inspector capture`) uses it: the
// socket, the decoder, the SessionStore and the recording run in a worker
// QThread (LiveWorker); this object lives in the caller's thread and gets
// plain-value LiveSnapshots from it.
//
// Snapshots: the worker builds one every publishInterval (40 ms) when
// anything changed (a frame arrived or the connection state moved) and puts it
// in a one-slot SnapshotMailbox. Only when the slot was empty does it post one
// queued wake-up to this object, which takes the slot's content and emits
// snapshotReady(). When the consumer falls behind (its event loop is busy or
// blocked):
//   - the worker never waits for it: decoding, storing and recording go on at
//     full speed; no frame is ever dropped or delayed on the consumer's account;
//   - each newer snapshot replaces the waiting one (latest wins). The replaced
//     one is counted in LiveStats::snapshotsCoalesced, and the frames that had
//     arrived since the last snapshot the consumer took are counted in
//     LiveStats::framesCoalesced (their effect is in the newer snapshot);
//   - at most one snapshot and one queued wake-up exist at any time, so the
//     consumer side's memory does not grow with the producer's rate;
//   - when the consumer catches up it gets the newest figures at once.
// stateChanged() is forwarded as a queued signal (its rate is bounded by the
// reconnect backoff).
//
// The full store: summaryJson() / withStore() run on the worker thread and
// block the caller until done (a blocking queued call), so they see a
// consistent store between two frames. Do not call them from the worker thread.
// After stop() the worker thread has ended and they read the store directly.

#include "live/client/connection_state.h"
#include "live/client/live_session_options.h"
#include "live/client/live_snapshot.h"
#include "live/client/snapshot_mailbox.h"
#include "model/retention_policy.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace flight::protocol {
class SessionStore;
}

namespace flight::live {

class LiveWorker;

class LiveSession : public QObject {
    Q_OBJECT
public:
    explicit LiveSession(LiveSessionOptions options, QObject* parent = nullptr);
    ~LiveSession() override; // stop()

    // Starts the worker thread, which connects (and reconnects) and records.
    void start();
    // Closes the link, flushes and closes the recording, ends the worker thread.
    // Blocks until done. Returns the last snapshot (also kept as latest()).
    LiveSnapshot stop();
    bool isRunning() const { return m_running; }

    // The newest snapshot delivered here (nullopt before the first).
    const std::optional<LiveSnapshot>& latest() const { return m_latest; }
    // A snapshot built right now on the worker (blocking).
    LiveSnapshot snapshotNow() const;
    // summaryJson(store) of everything received so far (blocking).
    std::string summaryJson(bool pretty = false) const;
    // Runs `fn` on the worker thread with the store (blocking).
    void withStore(const std::function<void(const protocol::SessionStore&)>& fn) const;
    // The subscribe message the next link would send (blocking).
    QString subscribeMessage() const;
    // Clones the store on the worker thread (between two frames, after the
    // retention policy's compaction) and calls `done` with the copy on
    // `context`'s thread; the caller does not wait. The copy is the caller's
    // alone. Nothing is called when the session stops first. `context` must
    // outlive this session (stop() waits for the worker).
    void requestStoreCopy(QObject* context, std::function<void(std::unique_ptr<protocol::SessionStore>)> done);
    // Applies the retention policy now on the worker (blocking); for tests.
    CompactionResult compactNow();

Q_SIGNALS:
    void snapshotReady(const flight::live::LiveSnapshot& snapshot);
    void stateChanged(flight::live::ConnectionState state, const QString& text);
    // The recording stopped for good (disk full, file size limit, I/O error:
    // `message` names the file and the reason). Emitted once, queued. The
    // live session goes on without it: snapshots keep coming, the store keeps
    // everything; LiveStats::recordingError holds the same text.
    void recordingFailed(const QString& message);

private:
    void deliver();
    template <typename Fn> void onWorker(Fn&& fn) const;

    LiveSessionOptions m_options;
    SnapshotMailbox m_mailbox;
    std::unique_ptr<LiveWorker> m_worker;
    QThread m_thread;
    bool m_running = false;
    std::optional<LiveSnapshot> m_latest;
};

} // namespace flight::live
