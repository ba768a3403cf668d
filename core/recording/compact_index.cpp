// SPDX-License-Identifier: MIT
#include "recording/compact_index.h"

#include "recording/compact_format.h"
#include "recording/positioned_file.h"

#include <algorithm>
#include <cstring>

namespace flight::recording {

namespace {


const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// The footer's chain: every checkpoint must check and point strictly backwards.
bool fromFooter(const PositionedFile& f, std::uint64_t size, std::vector<IndexedBlock>& out, std::uint64_t& footer)
{
    std::string t;
    if (size < kPreamble.size() + kTrailerBytes || !f.read(size - kTrailerBytes, kTrailerBytes, t)
        || std::string_view(t).substr(8) != kTrailerMagic)
        return false;
    std::uint64_t at = getU64(bytes(t));
    footer = at;
    std::uint64_t limit = size - kTrailerBytes; // a checkpoint ends at or before this
    std::string cp;
    while (at != 0) {
        if (at < kPreamble.size() || at + 20 > limit || !f.read(at, 16, cp) || !cp.starts_with(kCheckpointMagic))
            return false;
        const std::uint64_t n = getU32(bytes(cp) + 4);
        const std::uint64_t prev = getU64(bytes(cp) + 8);
        const std::uint64_t total = 16 + n * kCheckpointEntryBytes + 4;
        if (n > (limit - at) / kCheckpointEntryBytes || at + total > limit || !f.read(at, total, cp)
            || crc32(std::string_view(cp).substr(0, total - 4)) != getU32(bytes(cp) + total - 4))
            return false;
        for (std::uint64_t i = 0; i < n; ++i) {
            const unsigned char* e = bytes(cp) + 16 + i * kCheckpointEntryBytes;
            IndexedBlock b{getU64(e), getU64(e + 8), getU32(e + 16), static_cast<std::int64_t>(getU64(e + 20)),
                           static_cast<std::int64_t>(getU64(e + 28))};
            if (b.offset < kPreamble.size() || b.offset + kBlockHeaderBytes > at || b.records > kMaxRecordsPerBlock)
                return false;
            out.push_back(b);
        }
        if (prev >= at)
            return false;
        limit = at;
        at = prev;
    }
    std::sort(out.begin(), out.end(), [](const IndexedBlock& a, const IndexedBlock& b) { return a.offset < b.offset; });
    return true;
}

// Block headers walked from the preamble, checkpoints stepped over; stops at
// the first thing that is neither (a cut or damage).
void walk(const PositionedFile& f, std::uint64_t size, std::vector<IndexedBlock>& out, std::vector<std::uint64_t>& checkpoints)
{
    std::uint64_t pos = kPreamble.size();
    std::string h;
    while (pos + 20 <= size && f.read(pos, 16, h)) {
        if (h.starts_with(kCheckpointMagic)) {
            const std::uint64_t next = pos + 16 + std::uint64_t(getU32(bytes(h) + 4)) * kCheckpointEntryBytes + 4;
            if (next > size)
                return;
            checkpoints.push_back(pos);
            pos = next;
            continue;
        }
        if (h.starts_with(kSummaryMagic)) {
            pos += kSummaryHeaderBytes + std::uint64_t(getU32(bytes(h) + 4)) + 4;
            continue;
        }
        if (pos + kBlockHeaderBytes > size)
            return;
        if (!f.read(pos, kBlockHeaderBytes, h))
            return;
        const auto bh = parseBlockHeader(bytes(h));
        if (!bh || pos + kBlockHeaderBytes + bh->payloadBytes > size)
            return;
        out.push_back({pos, bh->firstRecord, bh->records, bh->minTime, bh->maxTime});
        pos += kBlockHeaderBytes + bh->payloadBytes;
    }
}

} // namespace

Result<CompactIndex> readCompactIndex(const std::string& path)
{
    auto opened = PositionedFile::open(path);
    if (!opened)
        return std::unexpected(opened.error());
    const PositionedFile& f = *opened;
    const std::uint64_t size = f.size;
    std::string head;
    if (size < kPreamble.size() || !f.read(0, kPreamble.size(), head) || !looksLikeFormat2(head))
        return makeError(MemoryErrorCode::MalformedInput, path + " is not a format-2 recording");
    CompactIndex index;
    index.fromFooter = fromFooter(f, size, index.blocks, index.lastCheckpoint);
    if (!index.fromFooter) {
        index.blocks.clear();
        walk(f, size, index.blocks, index.checkpoints);
        index.lastCheckpoint = index.checkpoints.empty() ? 0 : index.checkpoints.back();
    } else {
        index.checkpoints = {index.lastCheckpoint};
    }
    return index;
}

namespace {

// The section that ends at `end` (a checkpoint's offset), if one does and checks.
std::optional<RecordingSummary> summaryBefore(const PositionedFile& f, std::uint64_t end)
{
    std::string tail;
    if (end < kPreamble.size() + kSummaryHeaderBytes + 4 || !f.read(end - 4, 4, tail))
        return std::nullopt;
    const std::uint64_t bytes = getU32(reinterpret_cast<const unsigned char*>(tail.data()));
    if (bytes < kSummaryHeaderBytes + 4 || bytes > end - kPreamble.size()
        || bytes > kSummaryHeaderBytes + 4 + std::uint64_t(kMaxSummaryRawBytes) * 2 || !f.read(end - bytes, bytes, tail))
        return std::nullopt;
    return parseSummarySection(tail);
}

} // namespace

std::optional<RecordingSummary> readCompactSummary(const std::string& path, const CompactIndex& index)
{
    auto opened = PositionedFile::open(path);
    if (!opened)
        return std::nullopt;
    // The latest first: a periodic checkpoint without a summary (written rarely) sends us to an earlier one.
    for (auto it = index.checkpoints.rbegin(); it != index.checkpoints.rend(); ++it)
        if (auto s = summaryBefore(*opened, *it))
            return s;
    return std::nullopt;
}

Result<std::optional<RecordingSummary>> readCompactSummary(const std::string& path)
{
    auto index = readCompactIndex(path);
    if (!index)
        return std::unexpected(index.error());
    return readCompactSummary(path, *index);
}

std::vector<IndexedBlock> blocksBetween(const CompactIndex& index, std::int64_t fromMs, std::int64_t toMs)
{
    std::vector<IndexedBlock> out;
    for (const IndexedBlock& b : index.blocks)
        if (b.minTime <= b.maxTime && b.maxTime >= fromMs && b.minTime <= toMs)
            out.push_back(b);
    return out;
}

} // namespace flight::recording
