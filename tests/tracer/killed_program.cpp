// SPDX-License-Identifier: MIT
// Traced by the tracer tests: keeps 300,000 bytes under "doomed", sets a
// marker, and is killed by SIGKILL (no exit handler, no destructor runs).

#include <flight/memory_tag.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

int main()
{
    flight_memory_push_purpose("doomed");
    for (int i = 0; i < 3; ++i) {
        void* volatile p = std::malloc(100'000);
        (void)p;
    }
    flight_memory_pop_purpose();
    flight_memory_marker("about to be killed");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::raise(SIGKILL);
    return 0;
}
