// SPDX-License-Identifier: MIT
// libflight-preload.so: interposes the malloc family (and through it C++
// new/delete, which libstdc++ implements with malloc/aligned_alloc/free) and
// sends every allocation and free to `flight-agent run` (docs/native-programs.md,
// "Tracing a program"). Nothing here allocates through the hooked functions:
// per-thread buffers come from mmap, text goes out from the stack.
//
// Transport: each thread appends fixed 40-byte events to a buffer of its own
// (no lock, no syscall) and sends it as one SOCK_SEQPACKET message when it is
// full, 100 ms old, or the thread/process ends. A seqpacket message is
// delivered whole, so threads never interleave; a process-wide sequence
// number lets the agent pair a free with an allocation another thread's
// batch has not delivered yet.

#include "live/tracer_wire.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdarg>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <malloc.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define FLIGHT_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

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
    void (*exit_)(int) = nullptr;
    void (*Exit_)(int) = nullptr;
};
RealFunctions g_real;

// 0 not started, 1 resolving (dlsym may allocate: served from g_boot), 2 done.
std::atomic<int> g_initState{0};
std::atomic<int> g_fd{-1};               // -1: not tracing (no agent, or it went away)
std::atomic<std::uint32_t> g_pid{0};
std::atomic<std::uint64_t> g_seq{1};
int g_stackDepth = 0;                    // frames the agent's rules read (FLIGHT_PRELOAD_STACK_DEPTH); 0 = none
std::uintptr_t g_selfStart = 0, g_selfEnd = 0; // this library's code: its frames are not the program's
pthread_key_t g_threadKey;

// Allocations made while dlsym resolves the real functions.
alignas(64) char g_boot[256 * 1024];
std::atomic<size_t> g_bootUsed{0};

void* bootAlloc(size_t n, size_t align = 16)
{
    if (align < 16)
        align = 16;
    size_t need = (n + 16 + align - 1) & ~(align - 1);
    size_t start = g_bootUsed.fetch_add(need + align, std::memory_order_relaxed);
    if (start + need + align > sizeof g_boot)
        return nullptr;
    uintptr_t base = reinterpret_cast<uintptr_t>(g_boot + start + 16);
    base = (base + align - 1) & ~(uintptr_t)(align - 1);
    reinterpret_cast<size_t*>(base)[-1] = n;
    return reinterpret_cast<void*>(base);
}

bool isBoot(const void* p)
{
    return p >= g_boot && p < g_boot + sizeof g_boot;
}

constexpr size_t kBufferBytes = 32 * 1024;
constexpr std::uint32_t kCapacity = (kBufferBytes - sizeof(BatchHeader)) / sizeof(Event);
constexpr std::int64_t kFlushAfterMs = 100;

struct ThreadBuffer {
    ThreadBuffer* next;
    ThreadBuffer* prev;
    std::uint32_t count;
    std::int64_t lastFlushMs;
    alignas(8) unsigned char data[kBufferBytes];
};

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

constexpr int kMaxDepth = 64;
__thread ThreadBuffer* t_buffer __attribute__((tls_model("initial-exec"))) = nullptr;
__thread int t_busy __attribute__((tls_model("initial-exec"))) = 0;   // inside record(): a signal handler's allocation is not recorded
__thread int t_ended __attribute__((tls_model("initial-exec"))) = 0;  // thread-exit destructors ran: send each event at once
__thread std::uint16_t t_purpose[kMaxDepth] __attribute__((tls_model("initial-exec")));
__thread int t_depth __attribute__((tls_model("initial-exec"))) = 0;

inline std::int64_t nowMs()
{
    timespec ts;
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

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

void onThreadEnd(void* p);

ThreadBuffer* threadBuffer()
{
    ThreadBuffer* b = t_buffer;
    if (__builtin_expect(b != nullptr, 1))
        return b;
    if (t_ended)
        return nullptr;
    lockList();
    b = g_spare;
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
    flush(b);
    t_buffer = nullptr;
    t_ended = 1;
    lockList();
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

std::uint32_t stackId();

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
    if (ThreadBuffer* b = threadBuffer()) {
        Event& e = reinterpret_cast<Event*>(b->data + sizeof(BatchHeader))[b->count++];
        fill(e, kind, p, n, purpose);
        e.flags = flags;
        if (b->count == kCapacity || e.timeMs - b->lastFlushMs >= kFlushAfterMs)
            flush(b);
    } else {
        sendOne(kind, p, n, purpose);
    }
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    t_busy = 0;
}

// A text event (hello, purpose name, marker) goes out at once, after the
// thread's buffered events so the agent reads them in order.
void sendText(EventKind kind, std::uint64_t value, const char* text, size_t cap = 256)
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
        flush(b);
    msg.h = BatchHeader{kWireMagic, kWireVersion, g_pid.load(std::memory_order_relaxed), 1};
    fill(msg.e, kind, reinterpret_cast<const void*>(value), len, 0);
    std::memset(msg.text, 0, sizeof msg.text);
    std::memcpy(msg.text, text, len);
    const int saved = errno;
    sendBytes(&msg, sizeof msg.h + sizeof msg.e + ((len + 7) & ~size_t(7)));
    errno = saved;
    t_busy = wasBusy;
}

// Stacks: each distinct stack (its innermost g_stackDepth return addresses
// outside this library) is sent once, with its frames' modules and
// functions (dladdr: exported symbols only), and allocations carry its id.
// Ids are slots of a lock-free table; a slot is marked pending while its
// stack is sent, so no allocation names a stack the agent has not seen.
constexpr int kMaxFrames = 32;
constexpr std::size_t kStackSlots = 1u << 16;
std::atomic<std::uint64_t> g_stackSlots[kStackSlots];

void sendStack(std::uint32_t id, void* const* frames, int count)
{
    char text[kMaxTextBytes];
    size_t at = 0;
    for (int i = 0; i < count; ++i) {
        Dl_info info;
        const char* module = "";
        const char* function = "";
        // The call's own instruction (a return address may be the next function's first).
        if (dladdr(static_cast<const char*>(frames[i]) - 1, &info)) {
            if (info.dli_fname) {
                module = info.dli_fname;
                for (const char* c = info.dli_fname; *c; ++c)
                    if (*c == '/')
                        module = c + 1;
            }
            if (info.dli_sname)
                function = info.dli_sname;
        }
        for (const char* part : {module, "\t", function, "\n"})
            for (const char* c = part; *c && at < sizeof text - 1; ++c)
                text[at++] = *c;
    }
    text[at] = 0;
    sendText(EventKind::Stack, id, text, kMaxTextBytes);
}

std::uint32_t stackId()
{
    void* frames[kMaxFrames + 8];
    const int n = backtrace(frames, g_stackDepth + 8);
    int first = 0;
    while (first < n && reinterpret_cast<std::uintptr_t>(frames[first]) >= g_selfStart
           && reinterpret_cast<std::uintptr_t>(frames[first]) < g_selfEnd)
        ++first;
    const int count = n - first < g_stackDepth ? n - first : g_stackDepth;
    if (count <= 0)
        return 0;
    std::uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < count; ++i) {
        h = (h ^ reinterpret_cast<std::uintptr_t>(frames[first + i])) * 1099511628211ull;
        h ^= h >> 29;
    }
    h = (h | 2) & ~std::uint64_t(1); // non-zero; bit 0 marks "being sent"
    const std::size_t mask = kStackSlots - 1;
    for (std::size_t i = (h >> 16) & mask, probes = 0; probes < kStackSlots; ++probes, i = (i + 1) & mask) {
        std::uint64_t v = g_stackSlots[i].load(std::memory_order_acquire);
        while (v == (h | 1))
            v = g_stackSlots[i].load(std::memory_order_acquire);
        if (v == h)
            return static_cast<std::uint32_t>(i + 1);
        if (v != 0)
            continue;
        std::uint64_t expected = 0;
        if (g_stackSlots[i].compare_exchange_strong(expected, h | 1)) {
            sendStack(static_cast<std::uint32_t>(i + 1), frames + first, count);
            g_stackSlots[i].store(h, std::memory_order_release);
            return static_cast<std::uint32_t>(i + 1);
        }
        // Another thread took the slot: look at it again.
        i = (i - 1) & mask;
        --probes;
    }
    return 0; // 65,536 distinct stacks: the rest go without
}

int findSelf(dl_phdr_info* info, size_t, void* base)
{
    if (info->dlpi_addr != reinterpret_cast<ElfW(Addr)>(base))
        return 0;
    for (int i = 0; i < info->dlpi_phnum; ++i)
        if (info->dlpi_phdr[i].p_type == PT_LOAD) {
            const std::uintptr_t end = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr + info->dlpi_phdr[i].p_memsz;
            if (end > g_selfEnd)
                g_selfEnd = end;
        }
    return 1;
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
        flush(b);
    unlockList();
    t_busy = 0;
}

template <typename F> void resolve(F& slot, const char* name)
{
    slot = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

bool ensureInit()
{
    int state = g_initState.load(std::memory_order_acquire);
    if (state == 2)
        return true;
    if (state == 1)
        return false; // inside dlsym: the caller serves from g_boot
    int expected = 0;
    if (!g_initState.compare_exchange_strong(expected, 1))
        return g_initState.load() == 2;
    resolve(g_real.malloc, "malloc");
    resolve(g_real.free, "free");
    resolve(g_real.calloc, "calloc");
    resolve(g_real.realloc, "realloc");
    resolve(g_real.posix_memalign, "posix_memalign");
    resolve(g_real.aligned_alloc, "aligned_alloc");
    resolve(g_real.memalign, "memalign");
    resolve(g_real.valloc, "valloc");
    resolve(g_real.pvalloc, "pvalloc");
    resolve(g_real.exit_, "_exit");
    resolve(g_real.Exit_, "_Exit");
    resolve(g_real.mmap, "mmap");
    resolve(g_real.munmap, "munmap");
    resolve(g_real.mremap, "mremap");
    pthread_key_create(&g_threadKey, onThreadEnd);
    pthread_atfork(nullptr, nullptr, onForkChild);
    g_pid.store(static_cast<std::uint32_t>(getpid()));
    // FLIGHT_PRELOAD_FD names the agent's socket; anything else at that
    // number (a program that closed it and opened a file there) is left alone.
    int fd = -1;
    if (const char* text = getenv("FLIGHT_PRELOAD_FD")) {
        long v = 0;
        bool ok = *text != 0;
        for (const char* c = text; *c && ok; ++c) {
            ok = *c >= '0' && *c <= '9' && v < INT_MAX / 10;
            v = v * 10 + (*c - '0');
        }
        int type = 0;
        socklen_t len = sizeof type;
        if (ok && getsockopt(static_cast<int>(v), SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_SEQPACKET)
            fd = static_cast<int>(v);
    }
    if (const char* text = getenv("FLIGHT_PRELOAD_STACK_DEPTH")) {
        const int depth = (text[0] >= '1' && text[0] <= '9') ? (text[1] >= '0' && text[1] <= '9' ? (text[0] - '0') * 10 + text[1] - '0' : text[0] - '0') : 0;
        Dl_info self;
        if (depth > 0 && dladdr(reinterpret_cast<void*>(&ensureInit), &self) && self.dli_fbase) {
            g_selfStart = reinterpret_cast<std::uintptr_t>(self.dli_fbase);
            dl_iterate_phdr(findSelf, self.dli_fbase);
            g_stackDepth = depth < kMaxFrames ? depth : kMaxFrames;
            // backtrace loads libgcc_s (which allocates) on its first call: now, untraced.
            void* warm[2];
            t_busy = 1;
            backtrace(warm, 2);
            t_busy = 0;
        }
    }
    g_initState.store(2, std::memory_order_release);
    if (fd >= 0) {
        g_fd.store(fd);
        sendHello();
    }
    return true;
}

__attribute__((constructor(101))) void start()
{
    ensureInit();
}

__attribute__((destructor(101))) void finish()
{
    flushAll();
    sendText(EventKind::Exit, 0, "");
}

[[noreturn]] void exitNow(void (*real)(int), int status)
{
    // A vfork child shares the parent's memory and buffers: it says nothing.
    if (static_cast<std::uint32_t>(getpid()) == g_pid.load(std::memory_order_relaxed)) {
        flushAll();
        sendText(EventKind::Exit, 0, "");
    }
    if (real)
        real(status);
    for (;;)
        ::syscall(231 /* exit_group */, status);
}

} // namespace

FLIGHT_EXPORT void* malloc(size_t n)
{
    if (__builtin_expect(!g_real.malloc, 0) && !ensureInit())
        return bootAlloc(n);
    void* p = g_real.malloc(n);
    if (p)
        record(EventKind::Alloc, p, n);
    return p;
}

FLIGHT_EXPORT void free(void* p)
{
    if (!p || isBoot(p))
        return;
    if (__builtin_expect(!g_real.free, 0) && !ensureInit())
        return;
    record(EventKind::Free, p, 0); // before the block can be handed out again
    g_real.free(p);
}

FLIGHT_EXPORT void* calloc(size_t count, size_t size)
{
    if (__builtin_expect(!g_real.calloc, 0) && !ensureInit()) {
        if (size && count > SIZE_MAX / size)
            return nullptr;
        return bootAlloc(count * size); // g_boot is zeroed and never reused
    }
    void* p = g_real.calloc(count, size);
    if (p)
        record(EventKind::Alloc, p, count * size);
    return p;
}

FLIGHT_EXPORT void* realloc(void* p, size_t n)
{
    if (__builtin_expect(!g_real.realloc, 0) && !ensureInit()) {
        void* q = bootAlloc(n);
        if (q && p)
            std::memcpy(q, p, (n < reinterpret_cast<size_t*>(p)[-1] ? n : reinterpret_cast<size_t*>(p)[-1]));
        return q;
    }
    if (!p)
        return malloc(n);
    if (isBoot(p)) {
        void* q = malloc(n);
        if (q)
            std::memcpy(q, p, (n < reinterpret_cast<size_t*>(p)[-1] ? n : reinterpret_cast<size_t*>(p)[-1]));
        return q;
    }
    const size_t old = malloc_usable_size(p);
    record(EventKind::Free, p, 0);
    void* q = g_real.realloc(p, n);
    if (q)
        record(EventKind::Alloc, q, n);
    else if (n != 0)
        record(EventKind::Alloc, p, old); // failed: the old block lives on
    return q;
}

FLIGHT_EXPORT int posix_memalign(void** out, size_t align, size_t n)
{
    if (__builtin_expect(!g_real.posix_memalign, 0) && !ensureInit()) {
        *out = bootAlloc(n, align);
        return *out ? 0 : ENOMEM;
    }
    const int r = g_real.posix_memalign(out, align, n);
    if (r == 0 && *out)
        record(EventKind::Alloc, *out, n);
    return r;
}

FLIGHT_EXPORT void* aligned_alloc(size_t align, size_t n)
{
    if (__builtin_expect(!g_real.aligned_alloc, 0) && !ensureInit())
        return bootAlloc(n, align);
    void* p = g_real.aligned_alloc(align, n);
    if (p)
        record(EventKind::Alloc, p, n);
    return p;
}

FLIGHT_EXPORT void* memalign(size_t align, size_t n)
{
    if (__builtin_expect(!g_real.memalign, 0) && !ensureInit())
        return bootAlloc(n, align);
    void* p = g_real.memalign(align, n);
    if (p)
        record(EventKind::Alloc, p, n);
    return p;
}

FLIGHT_EXPORT void* valloc(size_t n)
{
    if (__builtin_expect(!g_real.valloc, 0) && !ensureInit())
        return bootAlloc(n, 4096);
    void* p = g_real.valloc(n);
    if (p)
        record(EventKind::Alloc, p, n);
    return p;
}

FLIGHT_EXPORT void* pvalloc(size_t n)
{
    if (__builtin_expect(!g_real.pvalloc, 0) && !ensureInit())
        return bootAlloc(n, 4096);
    void* p = g_real.pvalloc(n);
    if (p)
        record(EventKind::Alloc, p, n);
    return p;
}

// Anonymous mappings (a JIT's code, an arena allocator's chunks, pymalloc's
// arenas). The C library's own mmap calls (malloc's large blocks, thread
// stacks) do not come through here: they are not counted twice.
FLIGHT_EXPORT void* mmap(void* addr, size_t length, int prot, int flags, int fd, off_t offset)
{
    void* p = g_real.mmap ? g_real.mmap(addr, length, prot, flags, fd, offset)
                          : reinterpret_cast<void*>(::syscall(SYS_mmap, addr, length, prot, flags, fd, offset));
    if (p != MAP_FAILED && (flags & MAP_ANONYMOUS) && g_initState.load(std::memory_order_relaxed) == 2) {
        std::uint32_t kind = 0;
        if (prot & PROT_EXEC)
            kind |= kMapExec;
        if (flags & (MAP_STACK | MAP_GROWSDOWN))
            kind |= kMapStack;
        record(EventKind::Map, p, length, kind);
    }
    return p;
}

FLIGHT_EXPORT void* mmap64(void* addr, size_t length, int prot, int flags, int fd, off_t offset)
{
    return mmap(addr, length, prot, flags, fd, offset);
}

FLIGHT_EXPORT int munmap(void* addr, size_t length)
{
    if (g_initState.load(std::memory_order_relaxed) == 2)
        record(EventKind::Unmap, addr, length); // before the range can be mapped again
    return g_real.munmap ? g_real.munmap(addr, length) : static_cast<int>(::syscall(SYS_munmap, addr, length));
}

FLIGHT_EXPORT void* mremap(void* old, size_t oldSize, size_t newSize, int flags, ...)
{
    void* target = nullptr;
    if (flags & MREMAP_FIXED) {
        va_list ap;
        va_start(ap, flags);
        target = va_arg(ap, void*);
        va_end(ap);
    }
    const bool traced = g_initState.load(std::memory_order_relaxed) == 2;
    if (traced)
        record(EventKind::Unmap, old, oldSize);
    void* p = g_real.mremap ? g_real.mremap(old, oldSize, newSize, flags, target)
                            : reinterpret_cast<void*>(::syscall(SYS_mremap, old, oldSize, newSize, flags, target));
    // Taken as anonymous (a file mapping grown by mremap is rare): the new
    // range, or the old one again when mremap failed.
    if (traced)
        record(EventKind::Map, p != MAP_FAILED ? p : old, p != MAP_FAILED ? newSize : oldSize);
    return p;
}

FLIGHT_EXPORT void _exit(int status)
{
    exitNow(g_real.exit_, status);
}

FLIGHT_EXPORT void _Exit(int status)
{
    exitNow(g_real.Exit_, status);
}

// The hooks flight/memory_tag.h calls (weak there: without this library
// they are null and the calls do nothing).
FLIGHT_EXPORT void flight_memory_push_purpose_hook(const char* purpose)
{
    const int wasBusy = t_busy;
    t_busy = 1;
    const std::uint16_t index = purposeIndex(purpose);
    t_busy = wasBusy;
    if (t_depth < kMaxDepth)
        t_purpose[t_depth] = index;
    ++t_depth; // deeper than 64: counted, so the pops match, tagged as the 64th
}

FLIGHT_EXPORT void flight_memory_pop_purpose_hook(void)
{
    if (t_depth > 0)
        --t_depth;
}

FLIGHT_EXPORT void flight_memory_marker_hook(const char* label)
{
    if (label)
        sendText(EventKind::Marker, 0, label);
}
