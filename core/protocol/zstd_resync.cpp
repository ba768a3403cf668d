// SPDX-License-Identifier: MIT
#include "protocol/zstd_resync.h"

#include <cstring>

namespace flight::protocol {

std::string zstdEndMark()
{
    std::string mark = {'\x5F', '\x2A', '\x4D', '\x18'}; // skippable frame magic 0x184D2A5F, little-endian
    const auto size = static_cast<std::uint32_t>(kEndMarkText.size());
    for (int i = 0; i < 4; ++i)
        mark.push_back(static_cast<char>((size >> (8 * i)) & 0xFF));
    mark.append(kEndMarkText);
    return mark;
}

std::uint64_t ZstdResync::corrupt(std::uint64_t at, std::string_view error, bool canSeekBack)
{
    m_seeking = true;
    m_errorAt = at;
    m_lostFrom = m_frameStart;
    m_error = std::string(error);
    m_matched = 0;
    const bool back = canSeekBack && !m_frameFound && m_frameStart + 1 < at;
    return back ? m_frameStart + 1 : at;
}

std::size_t ZstdResync::scan(std::string_view data, std::uint64_t offset)
{
    // kMagic has no prefix that is also its suffix: after a mismatch, only
    // its first byte can start a new match.
    std::size_t i = 0;
    while (i < data.size()) {
        if (m_matched == 0) {
            const void* hit = std::memchr(data.data() + i, kMagic[0], data.size() - i);
            if (!hit)
                return std::string_view::npos;
            i = static_cast<std::size_t>(static_cast<const char*>(hit) - data.data());
        }
        if (data[i] == kMagic[m_matched]) {
            ++i;
            if (++m_matched == kMagic.size()) {
                m_matched = 0;
                // zstd leaves the input position where the failing call began
                // (maybe the corrupt frame's start): its own magic is no resync point.
                if (offset + i - kMagic.size() == m_lostFrom)
                    continue;
                m_seeking = false;
                m_nextFrame = offset + i - kMagic.size();
                m_frameStart = m_nextFrame;
                m_frameFound = true;
                return i;
            }
        } else {
            m_matched = data[i] == kMagic[0] ? 1 : 0;
            ++i;
        }
    }
    return std::string_view::npos;
}

std::string ZstdResync::lostText() const
{
    return "corrupt zstd data after byte " + std::to_string(m_errorAt) + " (" + m_error + "): compressed bytes "
        + std::to_string(m_lostFrom) + ".." + std::to_string(m_nextFrame)
        + " skipped, the lines they held after the last one read are lost; reading goes on at the next zstd frame"
          " (the lines after are numbered as read)";
}

void ZstdResync::restart(ZSTD_DStream* stream)
{
    ZSTD_DCtx_reset(stream, ZSTD_reset_session_only);
    ZSTD_inBuffer in{kMagic.data(), kMagic.size(), 0};
    char none = 0;
    ZSTD_outBuffer out{&none, 0, 0}; // a frame's first 4 bytes give no output
    (void)ZSTD_decompressStream(stream, &out, &in);
}

void ZstdResync::sawInput(std::string_view data)
{
    const std::size_t keep = kEndMarkText.size() + 8;
    if (data.size() >= keep) {
        m_tail.assign(data.substr(data.size() - keep));
        return;
    }
    m_tail.append(data);
    if (m_tail.size() > keep)
        m_tail.erase(0, m_tail.size() - keep);
}

std::optional<ZstdResync::EndProblem> ZstdResync::atEnd(std::size_t lastRet, std::uint64_t fileEnd) const
{
    if (m_seeking)
        return EndProblem{true, "corrupt zstd data after byte " + std::to_string(m_errorAt) + " (" + m_error
                                    + "): compressed bytes " + std::to_string(m_lostFrom) + ".." + std::to_string(fileEnd)
                                    + " (the end) skipped, no zstd frame follows: the lines they held after the last one"
                                      " read are lost"};
    if (lastRet != 0)
        return EndProblem{false, "compressed recording ends mid-frame (file cut); everything before is loaded"};
    if (m_framesEnded >= 2 && m_tail != zstdEndMark())
        return EndProblem{false, "compressed recording ends after a flush but without the mark a closed recording ends "
                                 "with (file cut: its writer stopped); everything before is loaded"};
    return std::nullopt;
}

} // namespace flight::protocol
