// SPDX-License-Identifier: MIT
#pragma once
// What the parts of libflight-preload.so share (flight_preload.cpp: the
// hooks; preload_transport.cpp: the per-thread buffers and the socket;
// preload_stacks.cpp: stacks for the rules). record() is inline: it is the
// hot path of every hooked call. All hidden: only the hooks are exported.

#include "live/tracer/tracer_wire.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <pthread.h>
#include <sys/types.h>
#include <time.h>

namespace flight::preload {

using namespace flight::tracer;

struct RealFunctions {
    void* (*malloc)(size_t) = nullptr;
    void (*free)(void*) = nullptr;
    void* (*calloc)(size_t, size_t) = nullptr;
    void* (*realloc)(void*, size_t) = nullptr;
    int (*posix_memalign)(void**, size_t, size_t) = nullptr;
    void* (*aligned_alloc)(size_t, size_t) = nullptr;
    void* (*memalign)(size_t, size_t) = nullptr;
    void* (*valloc)(size_t) = nullptr;
    void* (*pvalloc)(size_t) = nullptr;
    void* (*mmap)(void*, size_t, int, int, int, off_t) = nullptr;
    int (*munmap)(void*, size_t) = nullptr;
    void* (*mremap)(void*, size_t, size_t, int, ...) = nullptr;
    int (*mprotect)(void*, size_t, int) = nullptr;
    void (*exit_)(int) = nullptr;
    void (*Exit_)(int) = nullptr;
};
extern RealFunctions g_real;

// 0 not started, 1 resolving (dlsym may allocate: served from a static buffer), 2 done.
extern std::atomic<int> g_initState;
extern std::atomic<int> g_fd;               // -1: not tracing (no agent, or it went away)
extern std::atomic<std::uint32_t> g_pid;
extern std::atomic<std::uint64_t> g_seq;
extern int g_stackDepth;                    // frames the agent's rules read (FLIGHT_PRELOAD_STACK_DEPTH); 0 = none
extern std::uintptr_t g_selfStart, g_selfEnd; // this library's code: its frames are not the program's
extern pthread_key_t g_threadKey;

constexpr size_t kBufferBytes = 32 * 1024;
constexpr std::uint32_t kCapacity = (kBufferBytes - sizeof(BatchHeader)) / sizeof(Event);
constexpr std::int64_t kFlushAfterMs = 100;

struct ThreadBuffer {
    ThreadBuffer* next;
    ThreadBuffer* prev;
    std::uint32_t count;
    std::int64_t lastFlushMs;
    // Held by the owning thread while it appends or sends, and by the
    // flusher thread while it sends an idle buffer (it only tries: never waits).
    std::atomic<int> lock;
    alignas(8) unsigned char data[kBufferBytes];
};

inline void lockBuffer(ThreadBuffer* b)
{
    while (b->lock.exchange(1, std::memory_order_acquire)) {
    }
}
inline void unlockBuffer(ThreadBuffer* b) { b->lock.store(0, std::memory_order_release); }

constexpr int kMaxDepth = 64;
extern __thread ThreadBuffer* t_buffer __attribute__((tls_model("initial-exec")));
extern __thread int t_busy __attribute__((tls_model("initial-exec")));   // inside record(): a signal handler's allocation is not recorded
extern __thread int t_ended __attribute__((tls_model("initial-exec")));  // thread-exit destructors ran: send each event at once
extern __thread std::uint16_t t_purpose[kMaxDepth] __attribute__((tls_model("initial-exec")));
extern __thread int t_depth __attribute__((tls_model("initial-exec")));
extern __thread int t_holding __attribute__((tls_model("initial-exec"))); // this thread holds its buffer's lock

inline std::int64_t nowMs()
{
    timespec ts;
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// Resolves the real functions and connects to the agent once; false while
// that is under way (dlsym allocating).
bool ensureInit();
// Sends the buffer's events (the caller holds its lock).
void flush(ThreadBuffer* b);
// The same, taking the lock; or without, when this thread holds it already
// (a signal handler that marks or exits while its thread is inside record()).
inline void flushLocked(ThreadBuffer* b)
{
    if (b == t_buffer && t_holding) {
        flush(b);
        return;
    }
    lockBuffer(b);
    flush(b);
    unlockBuffer(b);
}
// The pid whose flusher thread runs (0: none yet): a thread that goes idle
// holding events has them sent within kFlushAfterMs + kFlusherTickMs.
extern std::atomic<std::uint32_t> g_flusherPid;
constexpr long kFlusherTickMs = 50;
void startFlusher();
// This thread's buffer (made on first use); null once the thread is ending.
ThreadBuffer* newThreadBuffer();
inline ThreadBuffer* threadBuffer()
{
    ThreadBuffer* b = t_buffer;
    if (__builtin_expect(b != nullptr, 1))
        return b;
    return t_ended ? nullptr : newThreadBuffer();
}
void onThreadEnd(void* p);
void sendOne(EventKind kind, const void* p, size_t n, std::uint16_t purpose);
// A text event (hello, purpose name, marker, stack) goes out at once, after
// the thread's buffered events so the agent reads them in order.
void sendText(EventKind kind, std::uint64_t value, const char* text, size_t cap = 256);
std::uint16_t purposeIndex(const char* name);
void sendHello();
void onForkChild();
void flushAll();
// The id of the calling allocation's stack (0: none), sent first if new.
std::uint32_t stackId();
// Finds this library's code range (g_selfStart, g_selfEnd) for stackId.
bool findOwnCode();
constexpr int kMaxFrames = 32;

inline void fill(Event& e, EventKind kind, const void* p, size_t n, std::uint16_t purpose)
{
    e.kind = static_cast<std::uint8_t>(kind);
    e.reserved = 0;
    e.purpose = purpose;
    e.flags = 0;
    e.seq = g_seq.fetch_add(1, std::memory_order_relaxed);
    e.ptr = reinterpret_cast<std::uintptr_t>(p);
    e.size = n;
    e.timeMs = nowMs();
}

inline void record(EventKind kind, const void* p, size_t n, std::uint32_t flags = 0)
{
    if (g_fd.load(std::memory_order_relaxed) < 0 || t_busy)
        return;
    t_busy = 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    const int depth = t_depth < kMaxDepth ? t_depth : kMaxDepth;
    const bool tagged = kind == EventKind::Alloc || kind == EventKind::Map;
    const std::uint16_t purpose = (tagged && depth > 0) ? t_purpose[depth - 1] : 0;
    // Untagged allocations carry their stack when the agent's rules read stacks.
    if (kind == EventKind::Alloc && purpose == 0 && g_stackDepth > 0)
        flags = stackId();
    if (__builtin_expect(g_flusherPid.load(std::memory_order_relaxed) != g_pid.load(std::memory_order_relaxed), 0))
        startFlusher(); // the first event of the process (or of a forked child)
    if (ThreadBuffer* b = threadBuffer()) {
        lockBuffer(b);
        t_holding = 1;
        Event& e = reinterpret_cast<Event*>(b->data + sizeof(BatchHeader))[b->count++];
        fill(e, kind, p, n, purpose);
        e.flags = flags;
        if (b->count == kCapacity || e.timeMs - b->lastFlushMs >= kFlushAfterMs)
            flush(b);
        t_holding = 0;
        unlockBuffer(b);
    } else {
        sendOne(kind, p, n, purpose);
    }
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    t_busy = 0;
}

} // namespace flight::preload
