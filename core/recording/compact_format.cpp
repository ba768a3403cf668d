// SPDX-License-Identifier: MIT
#include "recording/compact_format.h"

#include <zlib.h>

namespace flight::recording {

// zlib's crc32 is the same CRC (the reflected polynomial 0xEDB88320, init and
// final xor ~0, continued from a previous value) and reads several bytes a step
// where a table driven by one byte at a time reads one: the reader checks every
// block's compressed bytes, and this is ~10x faster at it (docs/performance.md).
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc)
{
    return static_cast<std::uint32_t>(
        ::crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<z_size_t>(bytes.size())));
}

std::optional<BlockHeader> parseBlockHeader(const unsigned char* b)
{
    if (std::memcmp(b, kBlockMagic.data(), 4) != 0)
        return std::nullopt;
    BlockHeader h;
    h.payloadBytes = getU32(b + 4);
    h.rawBytes = getU32(b + 8);
    h.records = getU32(b + 12);
    h.firstRecord = getU64(b + 16);
    h.minTime = static_cast<std::int64_t>(getU64(b + 24));
    h.maxTime = static_cast<std::int64_t>(getU64(b + 32));
    h.crc = getU32(b + 40);
    if (h.payloadBytes == 0 || h.payloadBytes > kMaxPayloadBytes || h.rawBytes > kMaxRawBlockBytes || h.records == 0
        || h.records > h.rawBytes || h.firstRecord > (1ull << 62))
        return std::nullopt;
    return h;
}

std::optional<SplitId> splitNumberedId(std::string_view id)
{
    std::size_t digits = 0;
    while (digits < id.size() && id[id.size() - 1 - digits] >= '0' && id[id.size() - 1 - digits] <= '9')
        ++digits;
    if (digits == 0 || digits > 18)
        return std::nullopt;
    const std::size_t start = id.size() - digits;
    if (digits > 1 && id[start] == '0')
        return std::nullopt;
    // The prefix must not end in a digit (then the split would be ambiguous): it cannot, digits were taken greedily.
    SplitId s{id.substr(0, start), 0};
    for (std::size_t i = start; i < id.size(); ++i)
        s.number = s.number * 10 + static_cast<std::uint64_t>(id[i] - '0');
    return s;
}

} // namespace flight::recording
