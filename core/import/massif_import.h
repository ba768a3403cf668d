// SPDX-License-Identifier: MIT
#pragma once
// valgrind's massif output (massif.out.PID, what ms_print reads) as one Flight
// session: every snapshot a memory_update of the heap's bytes by purpose. A
// detailed (or peak) snapshot's heap tree gives the allocation sites: each
// leaf's bytes go to the purpose the rules give its stack. Other snapshots
// split their bytes in the shares of the last detailed one (estimated, see
// docs/native-programs.md), unclassified before the first.
//
// MassifParser takes one line at a time (it holds one snapshot's tree, never
// the history) and reports a malformed line as an error naming it and why.

#include "import/purpose_rules.h"
#include "model/memory_error.h"
#include "protocol/message.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flight::import {

struct MassifFigures {
    std::uint64_t snapshots = 0;
    std::uint64_t detailedSnapshots = 0;
    std::uint64_t peakBytes = 0;         // the largest mem_heap_B
    std::int64_t peakAtMs = 0;
    // At the largest detailed snapshot: its bytes and those a rule classified.
    std::uint64_t detailedPeakBytes = 0;
    std::uint64_t detailedPeakClassifiedBytes = 0;
    std::string command;                 // the 'cmd:' line (capped)
    std::string timeUnit;                // "i", "ms" or "B"
};

class MassifParser {
public:
    using EventSink = std::function<void(const protocol::Message&)>;

    MassifParser(const PurposeRules& rules, std::string sessionId, std::int64_t baseMs, EventSink sink);

    Result<void> feed(std::string_view line, std::uint64_t lineNo);
    // At the end of the file: the last snapshot. Errors when the file held no snapshot header at all.
    Result<void> finish(std::uint64_t lastLine);

    const MassifFigures& figures() const { return m_figures; }

private:
    struct Snapshot {
        std::uint64_t index = 0;
        std::int64_t time = 0;
        std::uint64_t heapBytes = 0;
        bool haveTime = false, haveHeap = false;
        bool detailed = false;
        std::map<std::uint16_t, std::uint64_t> byPurpose; // from the tree
        std::uint64_t treeBytes = 0;
    };
    Result<void> treeLine(std::string_view line, std::uint64_t lineNo);
    Result<void> emitSnapshot(std::uint64_t lineNo);
    std::int64_t toMs(std::int64_t time) const;

    const PurposeRules& m_rules;
    std::string m_sessionId;
    std::int64_t m_baseMs = 0;
    EventSink m_sink;
    bool m_sawHeader = false;  // desc: / cmd: / time_unit:
    bool m_started = false;    // session_started sent
    bool m_inSnapshot = false;
    Snapshot m_snap;
    struct OwnedFrame { std::string module, function; };
    std::vector<OwnedFrame> m_path;       // the tree path to the current node, root first
    std::vector<StackFrame> m_stack;      // scratch
    std::map<std::uint16_t, double> m_shares; // the last detailed snapshot's shares
    std::int64_t m_lastMs = 0;
    MassifFigures m_figures;
};

} // namespace flight::import
