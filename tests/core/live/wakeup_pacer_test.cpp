// SPDX-License-Identifier: MIT
// WakeupPacer on a real QThread's event loop: while the rate of frames is low,
// the loop's passes are spaced (a timer that is due every 2 ms fires once per
// pass); above the pacing threshold, they are not.
#include "live_test_support.h"

#include "live/client/wakeup_pacer.h"

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>

using namespace flight;
using namespace flight::live;

namespace {

struct PacedRun {
    int ticks = 0;          // timer timeouts seen
    int ticksLastHalf = 0;  // in the second half of the run
    std::uint64_t sleeps = 0;
};

// Runs a 2 ms timer for `ms` on a thread paced by a WakeupPacer; each timeout
// reports `framesPerTick` frames to the pacer.
PacedRun runPaced(int ms, int framesPerTick, std::function<bool()> stayAwake = {})
{
    PacedRun out;
    QThread thread;
    thread.start();
    QObject anchor;
    anchor.moveToThread(&thread);
    std::atomic<bool> done{false};
    QMetaObject::invokeMethod(&anchor, [&] {
        auto* pacer = new WakeupPacer({std::chrono::milliseconds(25), 1000}, &anchor);
        if (stayAwake)
            pacer->setStayAwakeWhile(stayAwake);
        pacer->attach();
        auto* timer = new QTimer(&anchor);
        timer->setTimerType(Qt::PreciseTimer);
        auto* clock = new QElapsedTimer;
        clock->start();
        QObject::connect(timer, &QTimer::timeout, &anchor, [&, pacer, timer, clock, ms, framesPerTick] {
            for (int i = 0; i < framesPerTick; ++i)
                pacer->frameReceived();
            ++out.ticks;
            if (clock->elapsed() >= ms / 2)
                ++out.ticksLastHalf;
            if (clock->elapsed() >= ms) {
                timer->stop();
                out.sleeps = pacer->sleeps();
                delete clock;
                done = true;
            }
        });
        timer->start(2);
    });
    EXPECT_TRUE(livetest::waitUntil([&] { return done.load(); }, ms + 5000));
    QMetaObject::invokeMethod(&anchor, [&] { anchor.moveToThread(thread.thread()); }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    return out;
}

} // namespace

TEST(WakeupPacer, AQuietThreadWakesAtMostOncePerSpacing)
{
    livetest::ensureCoreApp();
    // 1 frame every 2 ms = 500 frames/s, under the 1000 frames/s threshold.
    const PacedRun r = runPaced(1000, 1);
    // Unpaced, a 2 ms timer fires ~500 times a second; paced at 25 ms, at most 40 passes
    // (+2 for the first pass and the timer's phase).
    EXPECT_LE(r.ticks, 42) << r.ticks << " timeouts in 1 s";
    EXPECT_GE(r.ticks, 20) << r.ticks << " timeouts in 1 s";
    EXPECT_GT(r.sleeps, 15u);
}

TEST(WakeupPacer, ABusyThreadIsNotPaced)
{
    livetest::ensureCoreApp();
    // 100 frames a timeout: paced for the first second (no rate known yet), with
    // ~40 passes there still 4,000 frames/s (as a socket's burst would be read
    // whole), over the 1,000 frames/s threshold: then not paced.
    const PacedRun r = runPaced(2400, 100);
    // The second half (1.2 s, all after the first second's window) at the timer's own
    // pace: far more than the 48 passes that 25 ms spacing allows.
    EXPECT_GT(r.ticksLastHalf, 200) << r.ticksLastHalf << " timeouts in the last 1.2 s";
}

TEST(WakeupPacer, AThreadWithOutputWaitingIsNotPaced)
{
    livetest::ensureCoreApp();
    // A quiet thread (500 frames/s) whose stay-awake condition holds for the
    // first half (the live worker: its socket has bytes to write, which leave
    // only in a pass of the loop): not paced then, paced again after.
    QElapsedTimer clock;
    clock.start();
    const PacedRun r = runPaced(1000, 1, [&clock] { return clock.elapsed() < 500; });
    const int firstHalf = r.ticks - r.ticksLastHalf;
    // unpaced ~250 timeouts in the first 0.5 s (at least 100 on a loaded machine; paced: at most 21)
    EXPECT_GT(firstHalf, 100) << firstHalf << " timeouts in the first 0.5 s";
    EXPECT_LE(r.ticksLastHalf, 22) << r.ticksLastHalf << " timeouts in the last 0.5 s";
    EXPECT_GT(r.sleeps, 5u);
}
