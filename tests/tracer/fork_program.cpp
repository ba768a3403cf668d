// SPDX-License-Identifier: MIT
// Traced by the tracer tests: keeps 100,000 bytes under "parent-data", forks
// a child that keeps 50,000 bytes under "child-data" (and 25,000 under
// "child-late", allocated just before the exec) and then execs
// `/bin/sh -c 'exit 7'`; the parent waits for it and exits with the child's
// code plus 10 (17).

#include <flight/memory_tag.h>

#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

int main()
{
    flight_memory_push_purpose("parent-data");
    void* volatile mine = std::malloc(100'000);
    flight_memory_pop_purpose();
    const pid_t child = ::fork();
    if (child == 0) {
        flight_memory_push_purpose("child-data");
        void* volatile theirs = std::malloc(50'000);
        (void)theirs;
        flight_memory_pop_purpose();
        flight_memory_marker("child before exec");
        // Buffered only (no marker after it): exec must send it on its way.
        flight_memory_push_purpose("child-late");
        void* volatile late = std::malloc(25'000);
        (void)late;
        flight_memory_pop_purpose();
        ::execl("/bin/sh", "sh", "-c", "exit 7", static_cast<char*>(nullptr));
        ::_exit(99);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    (void)mine;
    std::printf("child %d exited %d\n", static_cast<int>(child), WEXITSTATUS(status));
    return WEXITSTATUS(status) + 10;
}
