// SPDX-License-Identifier: MIT
// Stacks for purpose rules that read them (module=, function=).

#include "preload_state.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>

namespace flight::preload {

// Stacks: each distinct stack (its innermost g_stackDepth return addresses
// outside this library) is sent once, with its frames' modules and
// functions (dladdr: exported symbols only), and allocations carry its id.
// Ids are slots of a lock-free table; a slot is marked pending while its
// stack is sent, so no allocation names a stack the agent has not seen.
namespace {

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

} // namespace

bool findOwnCode()
{
    Dl_info self;
    if (!dladdr(reinterpret_cast<void*>(&findOwnCode), &self) || !self.dli_fbase)
        return false;
    g_selfStart = reinterpret_cast<std::uintptr_t>(self.dli_fbase);
    dl_iterate_phdr(findSelf, self.dli_fbase);
    return g_selfEnd > g_selfStart;
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


} // namespace flight::preload
