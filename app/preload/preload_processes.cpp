// SPDX-License-Identifier: MIT
// libflight-preload.so's hooks on processes and threads: every exec* form
// sends what the threads had buffered before the image goes, and
// pthread_create wraps the new thread's start so that its stack (which glibc
// maps itself, not through the mmap hook) counts as component-stack while
// the thread lives.

#include "preload_state.h"

#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <dlfcn.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FLIGHT_EXPORT extern "C" __attribute__((visibility("default")))

using namespace flight::preload;

// exec replaces the image and with it every thread's buffer: what they hold
// goes out first (the new image says hello again, which ends this session;
// a failed exec leaves it running). A vfork child shares its parent's
// buffers: it sends nothing of theirs.
namespace {

void beforeExec()
{
    if (g_initState.load(std::memory_order_acquire) == 2
        && static_cast<std::uint32_t>(getpid()) == g_pid.load(std::memory_order_relaxed))
        flushAll();
}

template <typename F> F realExec(F& slot, const char* name)
{
    if (!slot)
        slot = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
    return slot;
}

int (*g_execve)(const char*, char* const[], char* const[]) = nullptr;
int (*g_execvpe)(const char*, char* const[], char* const[]) = nullptr;
int (*g_execvp)(const char*, char* const[]) = nullptr;
int (*g_fexecve)(int, char* const[], char* const[]) = nullptr;
int (*g_execveat)(int, const char*, char* const[], char* const[], int) = nullptr;

// How many arguments an execl call has before its null one.
size_t countArgs(const char* first, va_list ap)
{
    size_t n = 0;
    for (const char* a = first; a; a = va_arg(ap, const char*))
        ++n;
    return n;
}

} // namespace

FLIGHT_EXPORT int execve(const char* path, char* const argv[], char* const envp[])
{
    beforeExec();
    if (!realExec(g_execve, "execve"))
        return static_cast<int>(::syscall(SYS_execve, path, argv, envp));
    return g_execve(path, argv, envp);
}

FLIGHT_EXPORT int execv(const char* path, char* const argv[])
{
    return execve(path, argv, environ);
}

FLIGHT_EXPORT int execvpe(const char* file, char* const argv[], char* const envp[])
{
    beforeExec();
    if (!realExec(g_execvpe, "execvpe")) {
        errno = ENOSYS;
        return -1;
    }
    return g_execvpe(file, argv, envp);
}

FLIGHT_EXPORT int execvp(const char* file, char* const argv[])
{
    beforeExec();
    if (!realExec(g_execvp, "execvp")) {
        errno = ENOSYS;
        return -1;
    }
    return g_execvp(file, argv);
}

FLIGHT_EXPORT int fexecve(int fd, char* const argv[], char* const envp[])
{
    beforeExec();
    if (!realExec(g_fexecve, "fexecve")) {
        errno = ENOSYS;
        return -1;
    }
    return g_fexecve(fd, argv, envp);
}

FLIGHT_EXPORT int execveat(int dirfd, const char* path, char* const argv[], char* const envp[], int flags)
{
    beforeExec();
    if (!realExec(g_execveat, "execveat"))
        return static_cast<int>(::syscall(SYS_execveat, dirfd, path, argv, envp, flags));
    return g_execveat(dirfd, path, argv, envp, flags);
}

// The execl forms: arguments gathered on the stack (alloca: no allocation), then the v form.
#define FLIGHT_GATHER_ARGS(arg, argv, rest)                                                       \
    va_list ap, count;                                                                           \
    va_start(ap, arg);                                                                           \
    va_copy(count, ap);                                                                          \
    const size_t n = countArgs(arg, count);                                                      \
    va_end(count);                                                                               \
    auto** argv = static_cast<const char**>(__builtin_alloca((n + 1) * sizeof(char*)));          \
    argv[0] = arg;                                                                               \
    for (size_t i = 1; i <= n; ++i)                                                              \
        argv[i] = va_arg(ap, const char*); /* the last one read is the null */                   \
    rest;                                                                                        \
    va_end(ap)

FLIGHT_EXPORT int execl(const char* path, const char* arg, ...)
{
    FLIGHT_GATHER_ARGS(arg, argv, (void)0);
    return execve(path, const_cast<char* const*>(argv), environ);
}

FLIGHT_EXPORT int execlp(const char* file, const char* arg, ...)
{
    FLIGHT_GATHER_ARGS(arg, argv, (void)0);
    return execvp(file, const_cast<char* const*>(argv));
}

FLIGHT_EXPORT int execle(const char* path, const char* arg, ...)
{
    char* const* envp = nullptr;
    FLIGHT_GATHER_ARGS(arg, argv, envp = va_arg(ap, char* const*));
    return execve(path, const_cast<char* const*>(argv), envp);
}

// Thread stacks: glibc maps them itself (not through mmap above), so each
// thread the program creates reports its own stack as it starts (a
// component-stack mapping: the whole reserved size, as for any mapping) and
// ends it when it ends (a key's destructor: also on pthread_exit and
// cancellation). A stack the program gave (pthread_attr_setstack) is its
// own memory, already counted where it came from.
namespace {

struct ThreadStart {
    void* (*fn)(void*);
    void* arg;
};

int (*g_pthreadCreate)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*) = nullptr;
pthread_key_t g_stackKey;
pthread_once_t g_stackKeyOnce = PTHREAD_ONCE_INIT;
__thread std::uintptr_t t_stackLow __attribute__((tls_model("initial-exec"))) = 0;
__thread size_t t_stackBytes __attribute__((tls_model("initial-exec"))) = 0;

void onStackEnd(void*)
{
    if (t_stackBytes)
        record(EventKind::Unmap, reinterpret_cast<void*>(t_stackLow), t_stackBytes);
    t_stackBytes = 0;
}

void makeStackKey()
{
    pthread_key_create(&g_stackKey, onStackEnd);
}

void* threadStart(void* p)
{
    const ThreadStart start = *static_cast<ThreadStart*>(p);
    g_real.free(p);
    pthread_attr_t attr;
    void* low = nullptr;
    size_t bytes = 0;
    const int wasBusy = t_busy;
    t_busy = 1; // pthread_getattr_np allocates (its CPU set): not the program's
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &low, &bytes) != 0)
            bytes = 0;
        pthread_attr_destroy(&attr);
    }
    t_busy = wasBusy;
    if (bytes) {
        t_stackLow = reinterpret_cast<std::uintptr_t>(low);
        t_stackBytes = bytes;
        record(EventKind::Map, low, bytes, kMapStack);
        // Sent now, not with the thread's first full buffer: the stack is
        // counted from the thread's start, in the order the agent applies.
        t_busy = 1;
        if (ThreadBuffer* b = t_buffer)
            flushLocked(b);
        t_busy = wasBusy;
        pthread_setspecific(g_stackKey, reinterpret_cast<void*>(1));
    }
    return start.fn(start.arg);
}

bool givesItsOwnStack(const pthread_attr_t* attr)
{
    if (!attr)
        return false;
    // glibc gives the stack's top minus its size: with no stack set, 0 - size.
    void* low = nullptr;
    size_t bytes = 0;
    return pthread_attr_getstack(attr, &low, &bytes) == 0 && reinterpret_cast<std::uintptr_t>(low) + bytes != 0;
}

} // namespace

FLIGHT_EXPORT int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*fn)(void*), void* arg)
{
    if (!g_pthreadCreate)
        g_pthreadCreate = reinterpret_cast<decltype(g_pthreadCreate)>(dlsym(RTLD_NEXT, "pthread_create"));
    if (!g_pthreadCreate)
        return EAGAIN;
    if (!ensureInit() || g_fd.load(std::memory_order_relaxed) < 0 || givesItsOwnStack(attr))
        return g_pthreadCreate(thread, attr, fn, arg);
    pthread_once(&g_stackKeyOnce, makeStackKey);
    auto* start = static_cast<ThreadStart*>(g_real.malloc(sizeof(ThreadStart)));
    if (!start)
        return g_pthreadCreate(thread, attr, fn, arg);
    *start = ThreadStart{fn, arg};
    const int r = g_pthreadCreate(thread, attr, threadStart, start);
    if (r != 0)
        g_real.free(start);
    return r;
}
