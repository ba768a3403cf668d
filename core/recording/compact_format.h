// SPDX-License-Identifier: MIT
#pragma once
// The fixed parts of flight-memory-recording/2 (docs/recordings.md, "Format 2"):
// magic bytes, block and checkpoint headers, record kinds and column numbers,
// and the varint / zigzag / CRC-32 primitives both the writer and reader use.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace flight::recording {

inline constexpr std::string_view kFormat2 = "flight-memory-recording/2";
inline constexpr std::string_view kPreamble{"FMR2\r\n\x1a\n", 8};
inline constexpr std::string_view kBlockMagic = "FMB2";
inline constexpr std::string_view kCheckpointMagic = "FMX2";
inline constexpr std::string_view kTrailerMagic = "FMR2END\n";
inline constexpr std::size_t kBlockHeaderBytes = 44;
inline constexpr std::size_t kCheckpointEntryBytes = 36;
inline constexpr std::size_t kTrailerBytes = 16;
inline constexpr std::uint32_t kMaxRawBlockBytes = 64u << 20;
// The zstd level blocks are written at: on the churn workload level 1 gives
// smaller blocks than 3, decompressed ~8 % and compressed ~2x faster
// (docs/performance.md, "Format 2 load, round 9").
inline constexpr int kCompactLevel = 1;
// zstd's bound for kMaxRawBlockBytes, rounded up: no valid payload is larger.
inline constexpr std::uint32_t kMaxPayloadBytes = kMaxRawBlockBytes + (kMaxRawBlockBytes >> 7) + (1u << 16);
inline constexpr std::uint32_t kMaxRecordsPerBlock = 65536;
inline constexpr std::uint32_t kBlocksPerCheckpoint = 64;

enum class RecordKind : std::uint8_t { Allocation = 0, Free = 1, Text = 2, Raw = 3 };
inline constexpr std::uint8_t kKindMask = 0x0F;
inline constexpr std::uint8_t kHasSeq = 0x10;
inline constexpr std::uint8_t kHasReceivedAt = 0x20;
inline constexpr std::uint8_t kHasFreedAt = 0x40;
inline constexpr std::uint8_t kNumberedId = 0x80;

enum Column : std::size_t {
    ColStrings, ColKinds, ColTimes, ColReceived, ColSeqs, ColSessions, ColIdTexts, ColIdNumbers,
    ColSizes, ColPurposes, ColFreedAt, ColTexts, kColumnCount
};

// True when `bytes` starts with the format-2 preamble.
inline bool looksLikeFormat2(std::string_view bytes) { return bytes.starts_with(kPreamble); }

inline std::uint64_t zigzag(std::int64_t v)
{
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t u)
{
    return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}
inline void putVarint(std::string& out, std::uint64_t v)
{
    if (v < 0x80) { // most values: one byte
        out.push_back(static_cast<char>(v));
        return;
    }
    char bytes[10];
    std::size_t n = 0;
    while (v >= 0x80) {
        bytes[n++] = static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    bytes[n++] = static_cast<char>(v);
    out.append(bytes, n);
}

// Reads one column front to back; any read past its end sets `failed`
// (and returns 0), so a damaged block is noticed once, after decoding.
struct ColumnCursor {
    const unsigned char* p = nullptr;
    const unsigned char* end = nullptr;
    bool failed = false;

    std::uint64_t varint()
    {
        if (p != end && *p < 0x80) [[likely]] // most values: one byte
            return *p++;
        return longVarint();
    }
    std::uint64_t longVarint()
    {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (p == end) {
                failed = true;
                return 0;
            }
            const unsigned char b = *p++;
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80))
                return v;
        }
        failed = true;
        return 0;
    }
    std::int64_t svarint() { return unzigzag(varint()); }
    // varint(), for a column whose lengths vary at random (where varint()'s
    // branch on the length is mispredicted): the column lies in a buffer
    // whose bytes up to `readable` may be loaded, so a varint of up to 8
    // bytes is read with one 8-byte load and no branch on its length.
    std::uint64_t varintIn(const unsigned char* readable)
    {
        if constexpr (std::endian::native == std::endian::little) {
            if (readable - p >= 8) [[likely]] {
                std::uint64_t w;
                std::memcpy(&w, p, 8);
                const std::uint64_t stops = ~w & 0x8080808080808080ull; // high bit clear: the last byte
                const int bits = std::countr_zero(stops) + 1;           // 8 x its length
                if (stops != 0 && bits / 8 <= end - p) [[likely]] {
                    std::uint64_t x = w & (~0ull >> (64 - bits));
                    x = (x & 0x007f007f007f007full) | ((x & 0x7f007f007f007f00ull) >> 1); // 7-bit groups together
                    x = (x & 0x00003fff00003fffull) | ((x & 0x3fff00003fff0000ull) >> 2);
                    x = (x & 0x000000000fffffffull) | ((x & 0x0fffffff00000000ull) >> 4);
                    p += bits / 8;
                    return x;
                }
            }
        }
        return varint();
    }
    std::int64_t svarintIn(const unsigned char* readable) { return unzigzag(varintIn(readable)); }
    std::uint8_t byte()
    {
        if (p == end) {
            failed = true;
            return 0;
        }
        return *p++;
    }
    std::string_view bytes(std::uint64_t n)
    {
        if (static_cast<std::uint64_t>(end - p) < n) {
            failed = true;
            p = end;
            return {};
        }
        std::string_view s(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        p += n;
        return s;
    }
    bool atEnd() const { return p == end; }
};

inline void putU32(std::string& out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>(v >> (8 * i)));
}
inline void putU64(std::string& out, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>(v >> (8 * i)));
}
inline std::uint32_t getU32(const unsigned char* p)
{
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}
inline std::uint64_t getU64(const unsigned char* p)
{
    return std::uint64_t(getU32(p)) | std::uint64_t(getU32(p + 4)) << 32;
}

// CRC-32 as zlib computes it (reflected 0xEDB88320, init and final xor ~0);
// `crc` continues an earlier value (0 to start).
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

// A block header as read from the file (field meanings: docs/recordings.md).
struct BlockHeader {
    std::uint32_t payloadBytes = 0;
    std::uint32_t rawBytes = 0;
    std::uint32_t records = 0;
    std::uint64_t firstRecord = 0;
    std::int64_t minTime = 0;
    std::int64_t maxTime = 0;
    std::uint32_t crc = 0;
};

// Parses 44 header bytes; nullopt when the magic is wrong or a size exceeds its limit.
std::optional<BlockHeader> parseBlockHeader(const unsigned char* bytes);

// A numbered id: prefix + decimal number (no leading zero, at most 18 digits).
struct SplitId {
    std::string_view prefix;
    std::uint64_t number = 0;
};
std::optional<SplitId> splitNumberedId(std::string_view id);

} // namespace flight::recording
