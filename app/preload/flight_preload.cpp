// SPDX-License-Identifier: MIT
// libflight-preload.so: interposes the malloc family (and through it C++
// new/delete, which libstdc++ implements with malloc/aligned_alloc/free) and
// sends every allocation and free to `flight-agent run` (docs/native-programs.md,
// "Tracing a program"). Nothing here allocates through the hooked functions:
// per-thread buffers come from mmap, text goes out from the stack.
// The transport is preload_transport.cpp, stacks preload_stacks.cpp, exec
// and thread stacks preload_processes.cpp.

#include "preload_state.h"

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <execinfo.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FLIGHT_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using namespace flight::preload;

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

template <typename F> void resolve(F& slot, const char* name)
{
    slot = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

} // namespace

bool flight::preload::ensureInit()
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
    resolve(g_real.mprotect, "mprotect");
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
        if (depth > 0 && findOwnCode()) {
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

namespace {

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

// What every allocating entry point does with the real allocator's answer:
// a block (n bytes) is recorded, null is passed on as it is.
inline void* recorded(void* p, size_t n)
{
    if (p)
        record(EventKind::Alloc, p, n);
    return p;
}

} // namespace

FLIGHT_EXPORT void* malloc(size_t n)
{
    if (__builtin_expect(!g_real.malloc, 0) && !ensureInit())
        return bootAlloc(n);
    return recorded(g_real.malloc(n), n);
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
    return recorded(g_real.calloc(count, size), count * size);
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
    return recorded(g_real.aligned_alloc(align, n), n);
}

FLIGHT_EXPORT void* memalign(size_t align, size_t n)
{
    if (__builtin_expect(!g_real.memalign, 0) && !ensureInit())
        return bootAlloc(n, align);
    return recorded(g_real.memalign(align, n), n);
}

FLIGHT_EXPORT void* valloc(size_t n)
{
    if (__builtin_expect(!g_real.valloc, 0) && !ensureInit())
        return bootAlloc(n, 4096);
    return recorded(g_real.valloc(n), n);
}

FLIGHT_EXPORT void* pvalloc(size_t n)
{
    if (__builtin_expect(!g_real.pvalloc, 0) && !ensureInit())
        return bootAlloc(n, 4096);
    return recorded(g_real.pvalloc(n), n);
}

// Anonymous mappings (a JIT's code, an arena allocator's chunks, pymalloc's
// arenas). The C library's own mmap calls (malloc's large blocks, thread
// stacks) do not come through here: they are not counted twice.
// An inaccessible mapping (PROT_NONE) is address space reserved, not memory:
// V8 reserves hundreds of MB so and makes pages accessible with mprotect as
// it uses them. The agent counts it from its mprotect on (kMapReserve).
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
        if (prot == PROT_NONE)
            kind |= kMapReserve;
        record(EventKind::Map, p, length, kind);
    }
    return p;
}

// A range made accessible counts as mapped from now on, made inaccessible it
// ends (and is reserved again); the agent applies this only where it knows
// an anonymous mapping or reservation (kMapProtect: not a file mapping, not
// malloc's own), and the kind follows PROT_EXEC.
FLIGHT_EXPORT int mprotect(void* addr, size_t length, int prot)
{
    const int r = g_real.mprotect ? g_real.mprotect(addr, length, prot)
                                  : static_cast<int>(::syscall(SYS_mprotect, addr, length, prot));
    if (r == 0 && g_initState.load(std::memory_order_relaxed) == 2)
        record(EventKind::Map, addr, length,
               kMapProtect | (prot == PROT_NONE ? kMapReserve : 0) | ((prot & PROT_EXEC) ? kMapExec : 0));
    return r;
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
