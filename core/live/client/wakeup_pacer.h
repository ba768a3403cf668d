// SPDX-License-Identifier: MIT
#pragma once
// Spaces the wake-ups of a live worker thread while its link is quiet: before
// the thread's event loop blocks, it sleeps until `spacing` after its previous
// wake-up, so what arrived meanwhile (frames, timers) is handled in one pass
// instead of one wake-up per message. At 200 msg/s a wake-up per message (poll,
// the socket read, glib's dispatch) cost more than decoding the message.
// Above `pacedBelowFramesPerSecond` (measured over the last second) it does
// nothing: messages already arrive in bursts there, and the added wait would
// only add latency. Adds at most `spacing` to the time a message waits in the
// socket's kernel buffer; a queued call to the thread waits as long.
// passEnded() is emitted (directly, on the paced thread) when a pass over what
// arrived is over, before the sleep: work done there sees everything read in
// the pass, at once (the live worker publishes its snapshot there).
// Output is never held back: a socket's buffered bytes leave only in a pass
// of the loop (its write notifier), so while setStayAwakeWhile()'s condition
// holds (the live worker: its link has bytes waiting to be written) the
// thread does not sleep. Without that, a message of ~100 KB (a `since` in
// parts after a reconnect) left one kernel buffer's worth per spacing, and
// its parts reached the agent after its 200 ms subscribe grace.

#include <QElapsedTimer>
#include <QObject>

#include <chrono>
#include <cstdint>
#include <functional>

namespace flight::live {

class WakeupPacer : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds spacing{40};
        double pacedBelowFramesPerSecond = 1000;
    };
    explicit WakeupPacer(Options options, QObject* parent = nullptr);

    // Attaches to the calling thread's event dispatcher (call on the paced thread).
    void attach();
    void frameReceived() { ++m_frames; }
    // Not paced while `condition` returns true (asked before each sleep, on the paced thread).
    void setStayAwakeWhile(std::function<bool()> condition) { m_stayAwake = std::move(condition); }
    // Times the thread slept before blocking (for tests and logs).
    std::uint64_t sleeps() const { return m_sleeps; }
    // Whether attach() found an event dispatcher (passEnded() will be emitted).
    bool attached() const { return m_attached; }

Q_SIGNALS:
    void passEnded();

private:
    void beforeBlocking();

    Options m_options;
    QElapsedTimer m_sinceWake;  // since the event loop last went to wait
    QElapsedTimer m_rateWindow; // the frame rate's window
    std::uint64_t m_frames = 0; // in the window
    double m_framesPerSecond = 0;
    std::uint64_t m_sleeps = 0;
    bool m_attached = false;
    std::function<bool()> m_stayAwake;
};

} // namespace flight::live
