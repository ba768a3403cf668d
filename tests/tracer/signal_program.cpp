// SPDX-License-Identifier: MIT
// Traced by the tracer tests: a SIGALRM handler that allocates and frees
// (every 200 us) interrupts, for 300 ms, a loop that goes through the
// tracer without the C library's malloc (anonymous mmap/munmap, purpose
// push/pop: a handler's malloc interrupting glibc's own malloc can crash any
// program, traced or not); then 500 blocks of 1,000 bytes are kept under
// "survivors" (500,000).

#include <flight/memory_tag.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sys/mman.h>
#include <sys/time.h>

namespace {
volatile std::sig_atomic_t g_handled = 0;

void onAlarm(int)
{
    void* p = std::malloc(64); // not async-signal-safe by POSIX; real programs do it
    std::free(p);
    g_handled = g_handled + 1;
}
} // namespace

int main()
{
    struct sigaction sa {};
    sa.sa_handler = onAlarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGALRM, &sa, nullptr);
    itimerval every{{0, 200}, {0, 200}};
    ::setitimer(ITIMER_REAL, &every, nullptr);
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    while (std::chrono::steady_clock::now() < end)
        for (int i = 0; i < 100; ++i) {
            flight_memory_push_purpose("mapped");
            void* p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            ::munmap(p, 4096);
            flight_memory_pop_purpose();
        }
    const itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);
    flight_memory_push_purpose("survivors");
    for (int i = 0; i < 500; ++i) {
        void* volatile p = std::malloc(1000);
        (void)p;
    }
    flight_memory_pop_purpose();
    std::printf("handled %d signals\n", static_cast<int>(g_handled));
    return g_handled > 10 ? 0 : 1;
}
