/* SPDX-License-Identifier: MIT */
/* flight/memory_tag.h in a C89 translation unit (tests/tracer/CMakeLists.txt). */
#include <flight/memory_tag.h>

int main(void)
{
    flight_memory_push_purpose("asset-cache");
    flight_memory_marker("level 1 loaded");
    flight_memory_pop_purpose();
    return 0;
}
