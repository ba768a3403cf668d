// SPDX-License-Identifier: MIT
#include "import/heaptrack_import.h"

#include "import/line_error.h"
#include "model/id_hash.h"
#include "protocol/printable_text.h"
#include "protocol/string_caps.h"

#include <charconv>

namespace flight::import {

namespace {

// The deepest stack looked at for the rules (a trace is a chain of parents:
// a corrupt file could make it long).
constexpr std::size_t kMaxStackDepth = 256;

// Reads the next space-separated hex field of `rest`; false when there is none or it is not hex.
bool readHex(std::string_view& rest, std::uint64_t& out)
{
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    if (rest.empty())
        return false;
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), out, 16);
    if (ec != std::errc() || (ptr != rest.data() + rest.size() && *ptr != ' '))
        return false;
    rest.remove_prefix(static_cast<std::size_t>(ptr - rest.data()));
    return true;
}

} // namespace

HeaptrackParser::HeaptrackParser(const PurposeRules& rules, std::int64_t baseMs, EventSink sink)
    : m_rules(rules), m_needsStack(rules.needsStack()), m_baseMs(baseMs),
      m_sink(std::move(sink))
{
}

Result<void> HeaptrackParser::feed(std::string_view line, std::uint64_t lineNo)
{
    if (line.empty() || line.front() == '#')
        return {};
    auto fail = [&](std::string why) {
        return lineError(lineNo, why + ": " + shownLine(line));
    };
    if (line.size() >= 2 && line[1] != ' ')
        return fail("not a heaptrack line (a one-letter kind, a space, then fields)");
    const char mode = line.front();
    std::string_view rest = line.size() > 2 ? line.substr(2) : std::string_view{};
    std::uint64_t a = 0, b = 0;
    switch (mode) {
    case '+':
        if (!readHex(rest, a))
            return fail("'+' needs an allocation info index (hex)");
        return allocate(a, lineNo);
    case '-':
        if (!readHex(rest, a))
            return fail("'-' needs an allocation info index (hex)");
        return deallocate(a, lineNo);
    case 'c':
        if (!readHex(rest, a) || a > static_cast<std::uint64_t>(INT64_MAX / 4))
            return fail("'c' needs a time in milliseconds (hex)");
        m_nowMs = static_cast<std::int64_t>(a);
        m_figures.lastMs = m_nowMs;
        return {};
    case 'a':
        if (!readHex(rest, a) || !readHex(rest, b))
            return fail("'a' needs a size and a trace index (hex)");
        if (b > m_traces.size())
            return fail("'a' names trace " + std::to_string(b) + " but only " + std::to_string(m_traces.size())
                        + " are defined");
        m_infos.push_back({a, 0, 0, false});
        m_infoTraces.push_back(static_cast<std::uint32_t>(b));
        return {};
    case 't':
        if (!readHex(rest, a) || !readHex(rest, b))
            return fail("'t' needs an instruction pointer index and a parent trace index (hex)");
        if (a > m_ips.size())
            return fail("'t' names instruction pointer " + std::to_string(a) + " but only "
                        + std::to_string(m_ips.size()) + " are defined");
        if (b > m_traces.size())
            return fail("'t' names parent trace " + std::to_string(b) + " but only " + std::to_string(m_traces.size())
                        + " are defined");
        m_traces.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)});
        return {};
    case 'i': {
        std::uint64_t ip = 0, module = 0;
        if (!readHex(rest, ip) || !readHex(rest, module))
            return fail("'i' needs an address and a module index (hex)");
        if (module > m_strings.size())
            return fail("'i' names module string " + std::to_string(module) + " but only "
                        + std::to_string(m_strings.size()) + " are defined");
        Ip entry{static_cast<std::uint32_t>(module), static_cast<std::uint32_t>(m_frameFunctions.size()), 0};
        // Frames: function [file line], then function file line per inlined
        // frame (a symbol without debug information has no file and line).
        std::uint64_t fn = 0, file = 0, ln = 0;
        while (readHex(rest, fn)) {
            const bool position = readHex(rest, file);
            if (position && !readHex(rest, ln))
                return fail("'i' frame has a file but no line (hex)");
            if (!position && entry.frameCount > 0)
                return fail("'i' inlined frame needs a function, a file and a line (hex)");
            if (fn > m_strings.size())
                return fail("'i' names function string " + std::to_string(fn) + " but only "
                            + std::to_string(m_strings.size()) + " are defined");
            m_frameFunctions.push_back(static_cast<std::uint32_t>(fn));
            ++entry.frameCount;
        }
        while (!rest.empty() && rest.front() == ' ')
            rest.remove_prefix(1);
        if (!rest.empty())
            return fail("'i' has a field that is not hex");
        m_ips.push_back(entry);
        return {};
    }
    case 's': {
        std::string_view text = rest;
        if (m_fileVersion >= 3) {
            std::uint64_t size = 0;
            if (!readHex(rest, size) || rest.empty() || rest.front() != ' ' || rest.size() - 1 != size)
                return fail("'s' needs its length (hex) and then exactly that many bytes");
            text = rest.substr(1);
        }
        if (text.size() > protocol::kMaxTextBytes) {
            text = protocol::cutText(text, protocol::kMaxTextBytes);
            ++m_figures.cutStrings;
        }
        m_strings.emplace_back(text);
        return {};
    }
    case 'v':
        if (!readHex(rest, a))
            return fail("'v' needs heaptrack's version (hex)");
        m_fileVersion = readHex(rest, b) ? static_cast<unsigned>(b) : 0;
        if (m_fileVersion == 0 || m_fileVersion > 3)
            return fail("file version " + std::to_string(m_fileVersion)
                        + " is not supported (versions 1 to 3: heaptrack 1.1 and later)");
        m_sawVersion = true;
        return {};
    case 'X':
        m_figures.command = std::string(protocol::cutText(rest, protocol::kMaxTextBytes));
        return {};
    case 'I': case 'R': case 'A':
        // System info, RSS samples, attached: not memory the model tracks
        // (an attached trace's early frees show as unmatchedFrees).
        return {};
    default:
        return fail("unknown line kind '" + protocol::printableText(std::string(1, mode)) + "'");
    }
}

MemoryPurpose HeaptrackParser::purposeOf(std::size_t infoIndex)
{
    AllocationInfo& info = m_infos[infoIndex];
    if (info.classified)
        return MemoryPurpose::fromId(info.purpose);
    m_stack.clear();
    if (m_needsStack) {
        auto str = [&](std::uint32_t i) -> std::string_view { return i ? std::string_view(m_strings[i - 1]) : ""; };
        std::uint32_t t = m_infoTraces[infoIndex];
        while (t != 0 && m_stack.size() < kMaxStackDepth) {
            const Trace& tr = m_traces[t - 1];
            if (tr.ip != 0) {
                const Ip& ip = m_ips[tr.ip - 1];
                if (ip.frameCount == 0)
                    m_stack.push_back({str(ip.module), {}});
                for (std::uint32_t k = 0; k < ip.frameCount; ++k)
                    m_stack.push_back({str(ip.module), str(m_frameFunctions[ip.firstFrame + k])});
            }
            t = tr.parent;
        }
    }
    const MemoryPurpose p = m_rules.classify(m_stack, info.bytes);
    info.purpose = p.id();
    info.classified = true;
    return p;
}

Result<void> HeaptrackParser::allocate(std::uint64_t infoIndex, std::uint64_t lineNo)
{
    if (!m_sawVersion)
        return lineError(lineNo, "an allocation before the 'v' line (heaptrack files start with their version; "
                                 "this is not one, or it was cut at the start)");
    if (infoIndex >= m_infos.size())
        return lineError(lineNo, "'+' names allocation info " + std::to_string(infoIndex) + " but only "
                                     + std::to_string(m_infos.size()) + " are defined");
    if (m_nextId == UINT32_MAX)
        return lineError(lineNo, "over 4,294,967,294 allocations: the rest are not read");
    AllocationInfo& info = m_infos[infoIndex];
    const MemoryPurpose purpose = purposeOf(infoIndex);
    const std::uint32_t id = m_nextId++;
    m_sink(Event{false, id, info.bytes, purpose, m_baseMs + m_nowMs});
    m_nextLive.push_back(info.newestLive);
    info.newestLive = id;
    ++m_figures.allocations;
    m_figures.allocatedBytes += info.bytes;
    if (purpose != unclassifiedPurpose())
        m_figures.classifiedBytes += info.bytes;
    m_liveBytes += info.bytes;
    if (m_liveBytes > m_figures.peakBytes) {
        m_figures.peakBytes = m_liveBytes;
        m_figures.peakAtMs = m_nowMs;
    }
    m_lastAllocatedInfo = infoIndex;
    return {};
}

Result<void> HeaptrackParser::deallocate(std::uint64_t infoIndex, std::uint64_t lineNo)
{
    if (infoIndex >= m_infos.size())
        return lineError(lineNo, "'-' names allocation info " + std::to_string(infoIndex) + " but only "
                                     + std::to_string(m_infos.size()) + " are defined");
    const bool temporary = m_lastAllocatedInfo == infoIndex;
    m_lastAllocatedInfo = UINT64_MAX;
    AllocationInfo& info = m_infos[infoIndex];
    if (info.newestLive == 0) {
        // Allocated before heaptrack attached ('A'): nothing of ours to free.
        ++m_figures.unmatchedFrees;
        return {};
    }
    const std::uint32_t id = info.newestLive;
    info.newestLive = m_nextLive[id - 1];
    m_sink(Event{true, id, 0, {}, m_baseMs + m_nowMs});
    m_liveBytes -= info.bytes;
    ++m_figures.frees;
    if (temporary)
        ++m_figures.temporary;
    return {};
}

} // namespace flight::import
