// SPDX-License-Identifier: MIT
#include "import/massif_import.h"

#include "import/line_error.h"
#include "protocol/printable_text.h"
#include "protocol/string_caps.h"

#include <charconv>
#include <cmath>

namespace flight::import {

namespace {

constexpr std::size_t kMaxTreeDepth = 1024;

template <typename T> bool parseNumber(std::string_view s, T& out)
{
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

} // namespace

MassifParser::MassifParser(const PurposeRules& rules, std::string sessionId, std::int64_t baseMs, EventSink sink)
    : m_rules(rules), m_sessionId(std::move(sessionId)), m_baseMs(baseMs), m_sink(std::move(sink))
{
}

std::int64_t MassifParser::toMs(std::int64_t time) const
{
    // ms is time; instructions and bytes allocated are not: the timeline gets
    // one millisecond per 10,000 instructions or per KiB allocated.
    if (m_figures.timeUnit == "ms")
        return time;
    if (m_figures.timeUnit == "B")
        return time / 1024;
    return time / 10'000;
}

Result<void> MassifParser::feed(std::string_view line, std::uint64_t lineNo)
{
    auto fail = [&](const std::string& why) {
        return lineError(lineNo, why + ": " + shownLine(line));
    };
    if (line.empty())
        return {};
    if (!m_sawHeader) {
        if (!line.starts_with("desc:"))
            return fail("a massif file starts with \"desc:\"");
        m_sawHeader = true;
        return {};
    }
    if (line.starts_with("cmd:")) {
        m_figures.command = std::string(protocol::cutText(line.substr(line.size() > 5 ? 5 : 4), protocol::kMaxTextBytes));
        return {};
    }
    if (line.starts_with("time_unit:")) {
        std::string_view unit = line.substr(10);
        while (!unit.empty() && unit.front() == ' ')
            unit.remove_prefix(1);
        if (unit != "i" && unit != "ms" && unit != "B")
            return fail("time_unit must be i, ms or B");
        m_figures.timeUnit = std::string(unit);
        return {};
    }
    if (line.starts_with("#")) {
        // "#-----------" both opens a snapshot and closes the previous one's tree.
        if (m_inSnapshot && m_snap.haveHeap) {
            auto r = emitSnapshot(lineNo);
            m_inSnapshot = false;
            return r;
        }
        return {};
    }
    if (line.starts_with("snapshot=")) {
        if (m_inSnapshot && m_snap.haveHeap)
            if (auto r = emitSnapshot(lineNo); !r)
                return r;
        m_snap = Snapshot{};
        if (!parseNumber(line.substr(9), m_snap.index))
            return fail("snapshot= needs a number");
        m_inSnapshot = true;
        return {};
    }
    if (!m_inSnapshot)
        return fail("expected \"snapshot=N\"");
    if (line.starts_with("time=")) {
        if (!parseNumber(line.substr(5), m_snap.time) || m_snap.time < 0)
            return fail("time= needs a non-negative number");
        m_snap.haveTime = true;
        return {};
    }
    if (line.starts_with("mem_heap_B=")) {
        if (!parseNumber(line.substr(11), m_snap.heapBytes) || m_snap.heapBytes > static_cast<std::uint64_t>(INT64_MAX))
            return fail("mem_heap_B= needs a byte count");
        m_snap.haveHeap = true;
        return {};
    }
    if (line.starts_with("mem_heap_extra_B=") || line.starts_with("mem_stacks_B="))
        return {}; // allocator overhead and stacks: not heap bytes the program asked for
    if (line.starts_with("heap_tree=")) {
        const std::string_view kind = line.substr(10);
        if (kind != "empty" && kind != "detailed" && kind != "peak")
            return fail("heap_tree= must be empty, detailed or peak");
        m_snap.detailed = kind != "empty";
        m_path.clear();
        return {};
    }
    if (m_snap.detailed) {
        std::size_t depth = 0;
        while (depth < line.size() && line[depth] == ' ')
            ++depth;
        if (depth < line.size() && line[depth] == 'n')
            return treeLine(line, lineNo);
    }
    return fail("not a massif line");
}

Result<void> MassifParser::treeLine(std::string_view line, std::uint64_t lineNo)
{
    auto fail = [&](const std::string& why) {
        return lineError(lineNo, why + ": " + shownLine(line));
    };
    std::size_t depth = 0;
    while (depth < line.size() && line[depth] == ' ')
        ++depth;
    if (depth > m_path.size() || depth >= kMaxTreeDepth)
        return fail("heap tree node deeper than its parent allows");
    // "n<children>: <bytes> <what>"
    std::string_view rest = line.substr(depth + 1);
    const auto colon = rest.find(": ");
    std::uint64_t children = 0, bytes = 0;
    if (colon == std::string_view::npos || !parseNumber(rest.substr(0, colon), children))
        return fail("heap tree node must start nCHILDREN: BYTES");
    rest.remove_prefix(colon + 2);
    const auto space = rest.find(' ');
    if (!parseNumber(rest.substr(0, space), bytes))
        return fail("heap tree node must start nCHILDREN: BYTES");
    std::string_view what = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    OwnedFrame frame;
    if (what.starts_with("0x")) {
        // "0x109170: f(unsigned long) (t.cpp:3)" or "0x4C2FB0F: malloc (in /usr/lib/x.so)"
        const auto c = what.find(": ");
        std::string_view fn = c == std::string_view::npos ? std::string_view{} : what.substr(c + 2);
        const auto paren = fn.rfind(" (");
        if (paren != std::string_view::npos && fn.ends_with(")")) {
            const std::string_view where = fn.substr(paren + 2, fn.size() - paren - 3);
            if (where.starts_with("in "))
                frame.module = std::string(protocol::cutText(where.substr(3), protocol::kMaxTextBytes));
            fn = fn.substr(0, paren);
        }
        if (fn == "???")
            fn = {};
        frame.function = std::string(protocol::cutText(fn, protocol::kMaxTextBytes));
    }
    // else: the root "(heap allocation functions) ..." or "in N places, below massif's threshold"
    m_path.resize(depth);
    m_path.push_back(std::move(frame));
    if (children == 0 && bytes > 0) {
        // A leaf: its bytes belong to the stack from the allocation site (the
        // root's child) out to this node.
        m_stack.clear();
        for (std::size_t k = 1; k < m_path.size(); ++k)
            m_stack.push_back({m_path[k].module, m_path[k].function});
        const MemoryPurpose p = m_rules.classify(m_stack, bytes);
        m_snap.byPurpose[p.id()] += bytes;
        m_snap.treeBytes += bytes;
    }
    return {};
}

Result<void> MassifParser::emitSnapshot(std::uint64_t lineNo)
{
    if (!m_snap.haveTime)
        return lineError(lineNo, "snapshot " + std::to_string(m_snap.index) + " has no time= line");
    const std::int64_t ms = toMs(m_snap.time);
    if (!m_started) {
        protocol::SessionStartedMsg s;
        s.sessionId = m_sessionId;
        s.label = m_figures.command;
        s.timestamp = m_baseMs + ms;
        m_sink(protocol::Message{s, std::nullopt, std::nullopt});
        m_started = true;
    }
    std::map<std::uint16_t, std::uint64_t> byPurpose;
    if (m_snap.detailed) {
        byPurpose = m_snap.byPurpose;
        // Bytes the tree does not place (it should place them all): unclassified.
        if (m_snap.treeBytes < m_snap.heapBytes)
            byPurpose[unclassifiedPurpose().id()] += m_snap.heapBytes - m_snap.treeBytes;
        std::uint64_t classified = 0;
        for (const auto& [id, b] : byPurpose)
            if (id != unclassifiedPurpose().id())
                classified += b;
        m_shares.clear();
        std::uint64_t sum = 0;
        for (const auto& [id, b] : byPurpose)
            sum += b;
        for (const auto& [id, b] : byPurpose)
            if (sum > 0)
                m_shares[id] = static_cast<double>(b) / static_cast<double>(sum);
        ++m_figures.detailedSnapshots;
        if (m_snap.heapBytes >= m_figures.detailedPeakBytes) {
            m_figures.detailedPeakBytes = m_snap.heapBytes;
            m_figures.detailedPeakClassifiedBytes = classified;
        }
    } else if (m_snap.heapBytes > 0) {
        if (m_shares.empty()) {
            byPurpose[unclassifiedPurpose().id()] = m_snap.heapBytes;
        } else {
            // The last detailed snapshot's shares, rounded so they add up exactly.
            std::uint64_t given = 0;
            std::uint16_t largest = m_shares.begin()->first;
            double largestShare = -1;
            for (const auto& [id, share] : m_shares) {
                const auto b = static_cast<std::uint64_t>(std::floor(share * static_cast<double>(m_snap.heapBytes)));
                byPurpose[id] = b;
                given += b;
                if (share > largestShare) {
                    largestShare = share;
                    largest = id;
                }
            }
            byPurpose[largest] += m_snap.heapBytes - given;
        }
    }
    std::vector<protocol::PurposeBytes> list;
    for (const auto& [id, b] : byPurpose)
        list.push_back({MemoryPurpose::fromId(id), b});
    protocol::MemoryUpdateMsg u;
    u.sessionId = m_sessionId;
    u.timestamp = m_baseMs + std::max(ms, m_lastMs);
    u.usedBytes = m_snap.heapBytes;
    u.hasByPurpose = true;
    u.byPurpose = list;
    m_sink(protocol::Message{u, std::nullopt, std::nullopt});
    m_lastMs = std::max(ms, m_lastMs);
    ++m_figures.snapshots;
    if (m_snap.heapBytes > m_figures.peakBytes) {
        m_figures.peakBytes = m_snap.heapBytes;
        m_figures.peakAtMs = ms;
    }
    return {};
}

Result<void> MassifParser::finish(std::uint64_t lastLine)
{
    if (m_inSnapshot && m_snap.haveHeap) {
        auto r = emitSnapshot(lastLine);
        m_inSnapshot = false;
        if (!r)
            return r;
    }
    if (m_inSnapshot && !m_snap.haveHeap)
        return makeError(MemoryErrorCode::MalformedInput,
                         "line " + std::to_string(lastLine) + ": the file ends inside snapshot "
                             + std::to_string(m_snap.index) + ", before its mem_heap_B= line",
                         "line " + std::to_string(lastLine));
    if (m_figures.snapshots == 0)
        return makeError(MemoryErrorCode::MalformedInput,
                         "line " + std::to_string(lastLine) + ": the massif file ends before its first snapshot",
                         "line " + std::to_string(lastLine));
    protocol::SessionEndedMsg e;
    e.sessionId = m_sessionId;
    e.timestamp = m_baseMs + m_lastMs;
    m_sink(protocol::Message{e, std::nullopt, std::nullopt});
    return {};
}

} // namespace flight::import
