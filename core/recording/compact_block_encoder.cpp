// SPDX-License-Identifier: MIT
#include "recording/compact_block_encoder.h"

#include "protocol/message_encoder.h"
#include "protocol/message_time.h"
#include "protocol/string_caps.h"

#include <zstd.h>

namespace flight::recording {

using namespace flight::protocol;

std::optional<std::int64_t> recordTime(const Message& m)
{
    return m.receivedAt ? m.receivedAt : messageTime(m);
}

std::uint64_t CompactBlockEncoder::stringIndex(std::string_view s)
{
    auto [it, added] = m_strings.try_emplace(std::string(s), m_stringCount);
    if (added) {
        ++m_stringCount;
        putVarint(m_cols[ColStrings], s.size());
        m_cols[ColStrings].append(s);
    }
    return it->second;
}

// Most records repeat the previous session and id prefix: compare before hashing.
std::uint64_t CompactBlockEncoder::cachedIndex(std::string_view s, std::string& cache, std::uint64_t& index)
{
    if (index != ~0ull && cache == s)
        return index;
    index = stringIndex(s);
    cache.assign(s);
    return index;
}

void CompactBlockEncoder::noteTime(std::int64_t t)
{
    m_minTime = std::min(m_minTime, t);
    m_maxTime = std::max(m_maxTime, t);
}

void CompactBlockEncoder::putId(std::uint8_t& kind, std::string_view id, bool allocation)
{
    if (const auto split = splitNumberedId(id)) {
        kind |= kNumberedId;
        putVarint(m_cols[ColIdTexts], cachedIndex(split->prefix, m_lastPrefix, m_lastPrefixIndex));
        putVarint(m_cols[ColIdNumbers], zigzag(static_cast<std::int64_t>(split->number - m_prevNumber)));
        if (allocation)
            m_prevNumber = split->number;
    } else {
        putVarint(m_cols[ColIdTexts], stringIndex(id));
    }
}

void CompactBlockEncoder::putCommon(std::uint8_t kind, const Message& m, std::optional<std::int64_t> receivedAt,
                                    std::int64_t time)
{
    putVarint(m_cols[ColTimes], zigzag(static_cast<std::int64_t>(static_cast<std::uint64_t>(time)
                                                                  - static_cast<std::uint64_t>(m_prevTime))));
    m_prevTime = time;
    if (receivedAt) {
        kind |= kHasReceivedAt;
        putVarint(m_cols[ColReceived], zigzag(static_cast<std::int64_t>(static_cast<std::uint64_t>(*receivedAt)
                                                                        - static_cast<std::uint64_t>(time))));
    }
    if (m.seq) {
        kind |= kHasSeq;
        putVarint(m_cols[ColSeqs], zigzag(static_cast<std::int64_t>(*m.seq - (m_prevSeq + 1))));
        m_prevSeq = *m.seq;
    }
    m_cols[ColKinds].push_back(static_cast<char>(kind));
    noteTime(receivedAt ? *receivedAt : time);
    ++m_records;
}

// A standard purpose is its code; a custom one kStandardPurposeCount + the
// string index of its name (the last custom purpose's index is kept: traced
// programs repeat one, `unclassified`, for most records).
std::uint64_t CompactBlockEncoder::purposeCode(MemoryPurpose purpose)
{
    if (!purpose.isCustom())
        return purpose.id();
    if (purpose != m_lastCustom || m_lastCustomIndex == ~0ull) {
        m_lastCustomIndex = stringIndex(purpose.name());
        m_lastCustom = purpose;
    }
    return kStandardPurposeCount + m_lastCustomIndex;
}

// Whether an allocation goes into columns: a custom name the decoder would
// refuse (empty, over the id cap) stays a text record, refused alone on loading.
static bool fitsColumns(const AllocationMsg& a)
{
    if (!a.purpose.isCustom())
        return true;
    const std::string_view name = a.purpose.name();
    return !name.empty() && name.size() <= kMaxIdBytes;
}

void CompactBlockEncoder::add(const Message& m, std::optional<std::int64_t> receivedAt)
{
    if (const auto* a = m.as<AllocationMsg>(); a && fitsColumns(*a)) {
        std::uint8_t kind = static_cast<std::uint8_t>(RecordKind::Allocation);
        putVarint(m_cols[ColSessions], cachedIndex(a->sessionId, m_lastSession, m_lastSessionIndex));
        putId(kind, a->id, true);
        putVarint(m_cols[ColSizes], a->bytes);
        putVarint(m_cols[ColPurposes], purposeCode(a->purpose));
        if (a->freedAt) {
            kind |= kHasFreedAt;
            putVarint(m_cols[ColFreedAt], zigzag(static_cast<std::int64_t>(static_cast<std::uint64_t>(*a->freedAt)
                                                                           - static_cast<std::uint64_t>(a->allocatedAt))));
        }
        putCommon(kind, m, receivedAt, a->allocatedAt);
        return;
    }
    if (const auto* f = m.as<FreeMsg>()) {
        std::uint8_t kind = static_cast<std::uint8_t>(RecordKind::Free);
        putVarint(m_cols[ColSessions], cachedIndex(f->sessionId, m_lastSession, m_lastSessionIndex));
        putId(kind, f->allocationId, false);
        putCommon(kind, m, receivedAt, f->freedAt);
        return;
    }
    Message copy = m; // the rare kinds: their line carries receivedAt
    copy.receivedAt = receivedAt;
    m_scratch.clear();
    encodeTo(m_scratch, copy);
    m_cols[ColKinds].push_back(static_cast<char>(RecordKind::Text));
    putVarint(m_cols[ColTexts], m_scratch.size());
    m_cols[ColTexts].append(m_scratch);
    if (const auto t = recordTime(copy))
        noteTime(*t);
    ++m_records;
}

void CompactBlockEncoder::addRaw(std::string_view line)
{
    m_cols[ColKinds].push_back(static_cast<char>(RecordKind::Raw));
    putVarint(m_cols[ColTexts], line.size());
    m_cols[ColTexts].append(line);
    ++m_records;
}

std::size_t CompactBlockEncoder::rawBytes() const
{
    std::size_t n = 2 + kColumnCount * 5;
    for (const auto& c : m_cols)
        n += c.size();
    return n;
}

Result<SealedBlock> CompactBlockEncoder::seal()
{
    // The string table's count goes first in its column; the strings were appended as they came.
    std::string count;
    putVarint(count, m_stringCount);
    SealedBlock block;
    std::string& raw = block.raw;
    raw.reserve(rawBytes() + count.size());
    putVarint(raw, kColumnCount);
    for (std::size_t i = 0; i < kColumnCount; ++i)
        putVarint(raw, m_cols[i].size() + (i == ColStrings ? count.size() : 0));
    raw.append(count);
    for (const auto& c : m_cols)
        raw.append(c);
    if (raw.size() > kMaxRawBlockBytes)
        return makeError(MemoryErrorCode::InvalidSize, "format-2 block of " + std::to_string(raw.size())
                                                           + " bytes is over the 64 MiB limit");
    block.records = m_records;
    block.minTime = m_minTime;
    block.maxTime = m_maxTime;

    for (auto& c : m_cols)
        c.clear();
    m_strings.clear();
    m_lastSessionIndex = m_lastPrefixIndex = m_lastCustomIndex = ~0ull;
    m_stringCount = 0;
    m_records = 0;
    m_prevTime = 0;
    m_prevSeq = ~0ull;
    m_prevNumber = 0;
    m_minTime = INT64_MAX;
    m_maxTime = INT64_MIN;
    return block;
}

Result<void> CompactBlockEncoder::finish(std::string& out, std::uint64_t firstRecord, ZSTD_CCtx* cctx)
{
    auto block = seal();
    if (!block)
        return std::unexpected(block.error());
    return writeBlock(*block, firstRecord, out, cctx);
}

Result<void> writeBlock(const SealedBlock& block, std::uint64_t firstRecord, std::string& out, ZSTD_CCtx* cctx)
{
    const std::string& raw = block.raw;
    const std::size_t at = out.size();
    out.resize(at + kBlockHeaderBytes + ZSTD_compressBound(raw.size()));
    const std::size_t z = ZSTD_compress2(cctx, out.data() + at + kBlockHeaderBytes, out.size() - at - kBlockHeaderBytes,
                                         raw.data(), raw.size());
    if (ZSTD_isError(z)) {
        out.resize(at);
        return makeError(MemoryErrorCode::IoError, std::string("zstd: ") + ZSTD_getErrorName(z));
    }
    out.resize(at + kBlockHeaderBytes + z);
    std::string header;
    header.append(kBlockMagic);
    putU32(header, static_cast<std::uint32_t>(z));
    putU32(header, static_cast<std::uint32_t>(raw.size()));
    putU32(header, block.records);
    putU64(header, firstRecord);
    putU64(header, static_cast<std::uint64_t>(block.minTime));
    putU64(header, static_cast<std::uint64_t>(block.maxTime));
    std::uint32_t crc = crc32(header);
    crc = crc32(std::string_view(out).substr(at + kBlockHeaderBytes, z), crc);
    putU32(header, crc);
    out.replace(at, kBlockHeaderBytes, header);
    return {};
}

} // namespace flight::recording
