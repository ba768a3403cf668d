// SPDX-License-Identifier: MIT
#pragma once
// Gathers records into the columns of one format-2 block and writes the block
// (header + zstd payload) when asked (docs/recordings.md, "Format 2").
// Allocations (a custom purpose's name in the string table) and frees go
// into columns; any other message as its canonical JSON line (kind text);
// undecoded lines as given (kind raw). No string is held past finish(): the block copies what it keeps.

#include "model/memory_error.h"
#include "protocol/message.h"
#include "recording/compact_format.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

typedef struct ZSTD_CCtx_s ZSTD_CCtx;

namespace flight::recording {

// One block's records laid out as its uncompressed payload, ready to be
// compressed (writeBlock), on the thread that gathered them or another.
struct SealedBlock {
    std::string raw;
    std::uint32_t records = 0;
    std::int64_t minTime = INT64_MAX, maxTime = INT64_MIN;
};

// Appends `block` to `out`: the 44-byte header, then the payload compressed
// by `cctx`, its first record numbered `firstRecord`.
Result<void> writeBlock(const SealedBlock& block, std::uint64_t firstRecord, std::string& out, ZSTD_CCtx* cctx);

class CompactBlockEncoder {
public:
    // A message, with its seq and receivedAt as they are in `message`.
    void add(const protocol::Message& message) { add(message, message.receivedAt); }
    // The same with `receivedAt` in place of the message's own (no copy of the message).
    void add(const protocol::Message& message, std::optional<std::int64_t> receivedAt);
    // A line kept as it is (a malformed frame, a non-canonical line).
    void addRaw(std::string_view line);

    std::uint32_t records() const { return m_records; }
    // Bytes the payload would have now (before compression).
    std::size_t rawBytes() const;
    bool empty() const { return m_records == 0; }

    // The gathered records as a block's payload, and starts afresh (an error,
    // and nothing changed, when the payload would pass 64 MiB).
    Result<SealedBlock> seal();
    // seal(), then writeBlock() to `out`.
    Result<void> finish(std::string& out, std::uint64_t firstRecord, ZSTD_CCtx* cctx);

private:
    std::uint64_t stringIndex(std::string_view s);
    std::uint64_t purposeCode(MemoryPurpose purpose);
    std::uint64_t cachedIndex(std::string_view s, std::string& cache, std::uint64_t& index);
    void noteTime(std::int64_t t);
    void putId(std::uint8_t& kind, std::string_view id, bool allocation);
    void putCommon(std::uint8_t kind, const protocol::Message& m, std::optional<std::int64_t> receivedAt,
                   std::int64_t time);

    std::array<std::string, kColumnCount> m_cols;
    std::unordered_map<std::string, std::uint64_t> m_strings;
    std::string m_lastSession, m_lastPrefix;
    std::uint64_t m_lastSessionIndex = ~0ull, m_lastPrefixIndex = ~0ull;
    MemoryPurpose m_lastCustom;
    std::uint64_t m_lastCustomIndex = ~0ull;
    std::uint64_t m_stringCount = 0;
    std::uint32_t m_records = 0;
    std::int64_t m_prevTime = 0;
    std::uint64_t m_prevSeq = ~0ull;        // so that the first seq is stored minus 0
    std::uint64_t m_prevNumber = 0;
    std::int64_t m_minTime = INT64_MAX, m_maxTime = INT64_MIN;
    std::string m_scratch;
};

// The time a record is indexed by: receivedAt, else the message's own time.
std::optional<std::int64_t> recordTime(const protocol::Message& message);

} // namespace flight::recording
