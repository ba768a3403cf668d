// SPDX-License-Identifier: MIT
#pragma once
// What libflight-preload.so sends to `flight-agent run` over its SOCK_SEQPACKET
// socket: one batch a message, a BatchHeader then `count` events of 32 bytes;
// a Hello, Purpose or Marker event is followed by its text, padded to 8 bytes.
// Plain integers only: the preload library and the agent both include it.

#include <cstdint>

namespace flight::tracer {

inline constexpr std::uint32_t kWireMagic = 0x52544C46; // "FLTR"
inline constexpr std::uint32_t kWireVersion = 1;
inline constexpr std::uint32_t kMaxBatchBytes = 64 * 1024;
inline constexpr std::uint32_t kMaxTextBytes = 4096;   // a stack's frames; markers and names are cut shorter

enum class EventKind : std::uint8_t {
    Alloc = 1,   // ptr, size, purpose (0 = untagged)
    Free = 2,    // ptr
    Purpose = 3, // ptr = the purpose index this process gives the name that follows
    Marker = 4,  // the label follows
    Hello = 5,   // the program starts (or execs): its executable path follows
    Exit = 6,    // the program exits normally (exit, return from main, _exit)
    Map = 7,     // an anonymous mapping: ptr, size, purpose, flags (kMapExec, kMapStack)
    Unmap = 8,   // munmap: ptr, size (any part of any mapping)
    Stack = 9,   // ptr = a stack id Alloc events then carry in `flags`; text: one "module\tfunction" line a frame, innermost first
};

inline constexpr std::uint32_t kMapExec = 1;   // PROT_EXEC: JIT code
inline constexpr std::uint32_t kMapStack = 2;  // MAP_STACK or MAP_GROWSDOWN: a stack
inline constexpr std::uint32_t kMapReserve = 4; // PROT_NONE: address space only, counted once made accessible
inline constexpr std::uint32_t kMapProtect = 8; // from mprotect: applies only where an anonymous mapping or reservation is

struct BatchHeader {
    std::uint32_t magic;
    std::uint32_t version;
    std::uint32_t pid;
    std::uint32_t count;
};

struct Event {
    std::uint8_t kind;
    std::uint8_t reserved;
    std::uint16_t purpose;
    std::uint32_t flags;    // Map: kMapExec | kMapStack | kMapReserve | kMapProtect; Alloc: its stack id (0 = none)
    std::uint64_t seq;      // process-wide order (fetch_add), orders frees after their allocation
    std::uint64_t ptr;
    std::uint64_t size;     // Alloc: bytes; text events: the text's length
    std::int64_t timeMs;    // Unix ms (CLOCK_REALTIME_COARSE)
};
static_assert(sizeof(Event) == 40);

} // namespace flight::tracer
