// SPDX-License-Identifier: MIT
#pragma once
// heaptrack's data file (what heaptrack_print reads: heaptrack.PROGRAM.PID.zst,
// .gz or plain; file versions 1 to 3) as one Flight session: every '+' an
// allocation, every '-' the free of the newest live allocation of the same
// allocation info (size and stack), times from the 'c' lines, purposes from
// the rules (docs/native-programs.md, "heaptrack").
//
// HeaptrackParser takes one line at a time (streaming: it holds the strings,
// instruction pointers, traces and allocation infos, never the events) and
// reports a malformed line as an error naming it and why.

#include "import/purpose_rules.h"
#include "model/memory_error.h"
#include "protocol/message.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace flight::import {

struct ImportFigures {
    std::uint64_t allocations = 0;      // '+' lines (heaptrack_print's "calls to allocation functions")
    std::uint64_t frees = 0;            // '-' lines matched to a live allocation
    std::uint64_t unmatchedFrees = 0;   // '-' of an allocation made before heaptrack attached
    std::uint64_t temporary = 0;        // freed right after being allocated (heaptrack's "temporary")
    std::uint64_t peakBytes = 0;        // heaptrack_print's "peak heap memory consumption"
    std::int64_t peakAtMs = 0;          // since the start of the trace
    std::uint64_t allocatedBytes = 0;   // all allocations' sizes
    std::uint64_t classifiedBytes = 0;  // of them, given a purpose by a rule
    std::uint64_t cutStrings = 0;       // symbol names cut to kMaxTextBytes
    std::int64_t lastMs = 0;            // the last timestamp
    std::string command;                // the 'X' line: the program and its arguments (capped)
};

class HeaptrackParser {
public:
    // One allocation or free, as plain values (the caller makes the store's
    // message of it; ids are 1, 2, 3... in allocation order).
    struct Event {
        bool isFree = false;
        std::uint32_t id = 0;
        std::uint64_t bytes = 0;       // allocations
        MemoryPurpose purpose;         // allocations
        std::int64_t atMs = 0;         // Unix ms
    };
    using EventSink = std::function<void(const Event&)>;

    // baseMs: the Unix time of the trace's start.
    HeaptrackParser(const PurposeRules& rules, std::int64_t baseMs, EventSink sink);

    // One line (without '\n'); lineNo for errors ("line 12: 'a' line needs a size and a trace index").
    Result<void> feed(std::string_view line, std::uint64_t lineNo);

    const ImportFigures& figures() const { return m_figures; }

private:
    struct Ip {
        std::uint32_t module = 0;      // string index (1-based, 0 none)
        std::uint32_t firstFrame = 0;  // in m_frameFunctions: the function, then inlined ones
        std::uint32_t frameCount = 0;
    };
    struct Trace {
        std::uint32_t ip = 0;          // 1-based
        std::uint32_t parent = 0;      // 0: root
    };
    // 16 bytes: what each '+' and '-' touches, kept small so that the table
    // stays in cache (the trace, needed once, is in m_infoTraces).
    struct AllocationInfo {
        std::uint64_t bytes = 0;
        std::uint32_t newestLive = 0;  // id of its newest live allocation, 0 none (older ones: m_nextLive)
        std::uint16_t purpose = 0;
        bool classified = false;       // purpose computed
    };
    MemoryPurpose purposeOf(std::size_t infoIndex);
    Result<void> allocate(std::uint64_t infoIndex, std::uint64_t lineNo);
    Result<void> deallocate(std::uint64_t infoIndex, std::uint64_t lineNo);

    const PurposeRules& m_rules;
    bool m_needsStack = false;
    std::int64_t m_baseMs = 0;
    EventSink m_sink;
    unsigned m_fileVersion = 0;
    bool m_sawVersion = false;
    std::vector<std::string> m_strings;
    std::vector<std::uint32_t> m_frameFunctions;
    std::vector<Ip> m_ips;
    std::vector<Trace> m_traces;
    std::vector<AllocationInfo> m_infos;
    std::vector<std::uint32_t> m_infoTraces;
    // Per allocation id (1-based, index id - 1): the next older live allocation
    // of the same allocation info, 0 none. A stack per info, threaded through
    // one array that is written in id order.
    std::vector<std::uint32_t> m_nextLive;
    std::uint64_t m_liveBytes = 0;
    std::uint32_t m_nextId = 1;
    std::uint64_t m_lastAllocatedInfo = UINT64_MAX; // for "temporary"
    std::int64_t m_nowMs = 0;
    std::vector<StackFrame> m_stack; // scratch
    ImportFigures m_figures;
};

} // namespace flight::import
