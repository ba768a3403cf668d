// SPDX-License-Identifier: MIT
// Traced by the tracer tests: anonymous mappings kept to the end.
//   arena (tag)          1 MiB read-write                          = 1,048,576
//   jit-code-cache       64 KiB mapped executable                  =    65,536
//   component-stack      128 KiB MAP_STACK                         =   131,072
//   unclassified part    1 MiB with its middle 256 KiB unmapped    =   786,432
//   gone                 a 512 KiB mapping grown by mremap to 768 KiB, then unmapped
//   reserved (tag)       4 MiB PROT_NONE (not counted), of which 256 KiB
//                        made read-write under the tag, then 64 KiB of
//                        those inaccessible again                  =   196,608
//   jit-code-cache       and 128 KiB of it made executable         =   131,072
// and a file mapping (not counted), also made writable by mprotect (not counted).

#include <flight/memory_tag.h>

#include <cstdio>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {
void* anon(std::size_t bytes, int prot = PROT_READ | PROT_WRITE, int extra = 0)
{
    return ::mmap(nullptr, bytes, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
}
} // namespace

int main()
{
    flight_memory_push_purpose("arena");
    void* arena = anon(1 << 20);
    flight_memory_pop_purpose();
    void* code = anon(64 << 10, PROT_READ | PROT_EXEC);
    void* stack = anon(128 << 10, PROT_READ | PROT_WRITE, MAP_STACK);
    auto* holed = static_cast<char*>(anon(1 << 20));
    ::munmap(holed + (384 << 10), 256 << 10);
    void* grown = anon(512 << 10);
    grown = ::mremap(grown, 512 << 10, 768 << 10, MREMAP_MAYMOVE);
    ::munmap(grown, 768 << 10);
    // Address space reserved as V8 does: it counts only as it is made accessible.
    // (A range made accessible is tagged as an allocation is: when mprotect is called.)
    auto* reserve = static_cast<char*>(anon(4 << 20, PROT_NONE));
    flight_memory_push_purpose("reserved");
    bool protectedOk = ::mprotect(reserve + (1 << 20), 256 << 10, PROT_READ | PROT_WRITE) == 0;
    flight_memory_pop_purpose();
    protectedOk = protectedOk && ::mprotect(reserve + (1 << 20), 64 << 10, PROT_NONE) == 0
                  && ::mprotect(reserve + (3 << 20), 128 << 10, PROT_READ | PROT_EXEC) == 0;
    const int fd = ::open("/proc/self/exe", O_RDONLY);
    void* file = ::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    const bool fileOk = ::mprotect(file, 4096, PROT_READ | PROT_WRITE) == 0;
    const bool ok = arena != MAP_FAILED && code != MAP_FAILED && stack != MAP_FAILED && holed != MAP_FAILED
                    && grown != MAP_FAILED && file != MAP_FAILED && reserve != MAP_FAILED && protectedOk && fileOk;
    std::printf("mappings %s\n", ok ? "made" : "failed");
    return ok ? 0 : 1;
}
