// SPDX-License-Identifier: MIT
// libflight-preload.so's transport: each thread appends fixed 40-byte events
// to a buffer of its own (its lock is uncontended but for the flusher; no
// syscall) and sends it as one SOCK_SEQPACKET message when it is full,
// 100 ms old, or the thread/process ends; a flusher thread sends what an
// idle thread holds. A seqpacket message is delivered whole, so threads never interleave;
// a process-wide sequence number lets the agent pair a free with an
// allocation another thread's batch has not delivered yet. Buffers come from
// mmap (the raw system call), text goes out from the stack: nothing here
// allocates through the hooked functions.

#include "preload_state.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <dlfcn.h>
#include <pthread.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace flight::preload {

RealFunctions g_real;
std::atomic<int> g_initState{0};
std::atomic<int> g_fd{-1};
std::atomic<std::uint32_t> g_pid{0};
std::atomic<std::uint64_t> g_seq{1};
int g_stackDepth = 0;
std::uintptr_t g_selfStart = 0, g_selfEnd = 0;
pthread_key_t g_threadKey;

__thread ThreadBuffer* t_buffer __attribute__((tls_model("initial-exec"))) = nullptr;
__thread int t_busy __attribute__((tls_model("initial-exec"))) = 0;
__thread int t_ended __attribute__((tls_model("initial-exec"))) = 0;
__thread std::uint16_t t_purpose[kMaxDepth] __attribute__((tls_model("initial-exec")));
__thread int t_depth __attribute__((tls_model("initial-exec"))) = 0;
__thread int t_holding __attribute__((tls_model("initial-exec"))) = 0;

namespace {


// Every live thread's buffer, for the flush at exit; and buffers of ended
// threads, reused by new threads.
std::atomic_flag g_listLock = ATOMIC_FLAG_INIT;
ThreadBuffer* g_live = nullptr;
ThreadBuffer* g_spare = nullptr;

void lockList()
{
    while (g_listLock.test_and_set(std::memory_order_acquire)) {
    }
}
void unlockList() { g_listLock.clear(std::memory_order_release); }


void sendBytes(const void* data, size_t bytes)
{
    const int fd = g_fd.load(std::memory_order_relaxed);
    if (fd < 0)
        return;
    for (;;) {
        const ssize_t n = ::send(fd, data, bytes, MSG_NOSIGNAL);
        if (n >= 0)
            return;
        if (errno == EINTR)
            continue;
        g_fd.store(-1, std::memory_order_relaxed); // the agent is gone: stop tracing, run on
        return;
    }
}


} // namespace

void flush(ThreadBuffer* b)
{
    if (b->count == 0)
        return;
    auto* h = reinterpret_cast<BatchHeader*>(b->data);
    *h = BatchHeader{kWireMagic, kWireVersion, g_pid.load(std::memory_order_relaxed), b->count};
    const int saved = errno;
    sendBytes(b->data, sizeof(BatchHeader) + b->count * sizeof(Event));
    errno = saved;
    b->count = 0;
    b->lastFlushMs = nowMs();
}

ThreadBuffer* newThreadBuffer()
{
    lockList();
    ThreadBuffer* b = g_spare;
    if (b)
        g_spare = b->next;
    unlockList();
    if (!b) {
        // The raw system call: the library's own buffers are not the program's mappings.
        void* m = reinterpret_cast<void*>(::syscall(SYS_mmap, nullptr, sizeof(ThreadBuffer), PROT_READ | PROT_WRITE,
                                                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        if (m == MAP_FAILED)
            return nullptr;
        b = static_cast<ThreadBuffer*>(m);
    }
    b->count = 0;
    b->lastFlushMs = nowMs();
    b->prev = nullptr;
    lockList();
    b->next = g_live;
    if (g_live)
        g_live->prev = b;
    g_live = b;
    unlockList();
    t_buffer = b;
    pthread_setspecific(g_threadKey, b); // a key below 32: no allocation
    return b;
}

// A thread ends: its buffer goes out and back to the spares; whatever its
// later TLS destructors allocate is sent one event at a time.
void onThreadEnd(void* p)
{
    auto* b = static_cast<ThreadBuffer*>(p);
    t_busy = 1;
    t_buffer = nullptr;
    t_ended = 1;
    lockList(); // the flusher holds the list while it sends: the buffer is not sent twice
    flushLocked(b);
    if (b->prev)
        b->prev->next = b->next;
    else
        g_live = b->next;
    if (b->next)
        b->next->prev = b->prev;
    b->next = g_spare;
    g_spare = b;
    unlockList();
    t_busy = 0;
}

void sendOne(EventKind kind, const void* p, size_t n, std::uint16_t purpose)
{
    struct {
        BatchHeader h;
        Event e;
    } one;
    one.h = BatchHeader{kWireMagic, kWireVersion, g_pid.load(std::memory_order_relaxed), 1};
    fill(one.e, kind, p, n, purpose);
    const int saved = errno;
    sendBytes(&one, sizeof one);
    errno = saved;
}

void sendText(EventKind kind, std::uint64_t value, const char* text, size_t cap)
{
    if (g_fd.load(std::memory_order_relaxed) < 0)
        return;
    size_t len = 0;
    while (text[len] && len < cap && len < kMaxTextBytes)
        ++len;
    struct {
        BatchHeader h;
        Event e;
        char text[kMaxTextBytes + 8];
    } msg;
    const int wasBusy = t_busy;
    t_busy = 1;
    if (ThreadBuffer* b = t_buffer)
        flushLocked(b);
    msg.h = BatchHeader{kWireMagic, kWireVersion, g_pid.load(std::memory_order_relaxed), 1};
    fill(msg.e, kind, reinterpret_cast<const void*>(value), len, 0);
    std::memset(msg.text, 0, sizeof msg.text);
    std::memcpy(msg.text, text, len);
    const int saved = errno;
    sendBytes(&msg, sizeof msg.h + sizeof msg.e + ((len + 7) & ~size_t(7)));
    errno = saved;
    t_busy = wasBusy;
}

// Purpose names: interned once per process, index 1.. (0 = untagged).
constexpr int kMaxPurposes = 1024;
constexpr int kMaxNameBytes = 64;
char g_names[kMaxPurposes][kMaxNameBytes];
std::atomic<int> g_nameCount{0};
std::atomic_flag g_nameLock = ATOMIC_FLAG_INIT;

bool sameName(const char* stored, const char* name)
{
    int i = 0;
    for (; i < kMaxNameBytes - 1 && name[i]; ++i)
        if (stored[i] != name[i])
            return false;
    return stored[i] == 0;
}

std::uint16_t purposeIndex(const char* name)
{
    if (!name || !*name)
        return 0;
    const int known = g_nameCount.load(std::memory_order_acquire);
    for (int i = 0; i < known; ++i)
        if (sameName(g_names[i], name))
            return static_cast<std::uint16_t>(i + 1);
    while (g_nameLock.test_and_set(std::memory_order_acquire)) {
    }
    int n = g_nameCount.load(std::memory_order_relaxed);
    for (int i = known; i < n; ++i)
        if (sameName(g_names[i], name)) {
            g_nameLock.clear(std::memory_order_release);
            return static_cast<std::uint16_t>(i + 1);
        }
    std::uint16_t index = 0;
    if (n < kMaxPurposes) {
        int i = 0;
        for (; i < kMaxNameBytes - 1 && name[i]; ++i)
            g_names[n][i] = name[i];
        g_names[n][i] = 0;
        sendText(EventKind::Purpose, static_cast<std::uint64_t>(n + 1), g_names[n]);
        g_nameCount.store(n + 1, std::memory_order_release);
        index = static_cast<std::uint16_t>(n + 1);
    }
    g_nameLock.clear(std::memory_order_release);
    return index; // past 1024 names: untagged
}

void sendHello()
{
    char path[257];
    const ssize_t n = ::readlink("/proc/self/exe", path, 256);
    path[n > 0 ? n : 0] = 0;
    sendText(EventKind::Hello, static_cast<std::uint64_t>(getppid()), path);
}

// After fork the child is a session of its own: what the parent had
// buffered stays the parent's, other threads do not exist here, and the
// agent learns this process's purpose names again.
void onForkChild()
{
    g_listLock.clear();
    g_nameLock.clear();
    g_pid.store(static_cast<std::uint32_t>(getpid()), std::memory_order_relaxed);
    ThreadBuffer* mine = t_buffer;
    g_live = nullptr;
    if (mine) {
        mine->count = 0;
        mine->lock.store(0, std::memory_order_relaxed); // the parent's flusher may have held it
        mine->next = mine->prev = nullptr;
        g_live = mine;
    }
    sendHello();
    const int n = g_nameCount.load(std::memory_order_relaxed);
    for (int i = 0; i < n; ++i)
        sendText(EventKind::Purpose, static_cast<std::uint64_t>(i + 1), g_names[i]);
}

// The process ends: every thread's buffer goes out (other threads may still
// run: their last events race with this and may be lost), then Exit.
void flushAll()
{
    if (g_fd.load(std::memory_order_relaxed) < 0)
        return;
    t_busy = 1;
    lockList();
    for (ThreadBuffer* b = g_live; b; b = b->next)
        flushLocked(b);
    unlockList();
    t_busy = 0;
}

std::atomic<std::uint32_t> g_flusherPid{0};

namespace {

// Sends every buffer that holds events and has not been sent for
// kFlushAfterMs (its thread sleeps, or waits on a lock), each kFlusherTickMs.
// A buffer its thread holds is skipped this time round.
void* flusherMain(void*)
{
    t_busy = 1;  // nothing this thread does is the program's
    t_ended = 1; // and it never gets a buffer of its own
    const std::uint32_t pid = g_pid.load(std::memory_order_relaxed);
    for (;;) {
        timespec tick{0, kFlusherTickMs * 1'000'000};
        while (nanosleep(&tick, &tick) != 0 && errno == EINTR) {
        }
        if (g_pid.load(std::memory_order_relaxed) != pid || g_fd.load(std::memory_order_relaxed) < 0)
            continue;
        const std::int64_t now = nowMs();
        lockList();
        for (ThreadBuffer* b = g_live; b; b = b->next) {
            if (b->lock.exchange(1, std::memory_order_acquire))
                continue;
            if (b->count != 0 && now - b->lastFlushMs >= kFlushAfterMs)
                flush(b);
            unlockBuffer(b);
        }
        unlockList();
    }
    return nullptr;
}

} // namespace

// Started by the first event of a process: after a fork the child starts
// its own (the parent's thread is not in it). With every signal blocked,
// so that the program's signals go to its own threads.
void startFlusher()
{
    std::uint32_t seen = g_flusherPid.load(std::memory_order_relaxed);
    const std::uint32_t pid = g_pid.load(std::memory_order_relaxed);
    if (seen == pid || !g_flusherPid.compare_exchange_strong(seen, pid))
        return;
    using Create = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
    static Create create = reinterpret_cast<Create>(dlsym(RTLD_NEXT, "pthread_create"));
    if (!create)
        return;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    pthread_t thread;
    create(&thread, &attr, flusherMain, nullptr);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

} // namespace flight::preload
