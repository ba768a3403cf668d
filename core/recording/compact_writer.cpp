// SPDX-License-Identifier: MIT
#include "recording/compact_writer.h"

#include "protocol/message_decoder.h"

#include <zstd.h>

namespace flight::recording {

CompactWriter::CompactWriter(int compressionLevel)
    : m_decoder(std::make_unique<protocol::MessageDecoder>()), m_level(compressionLevel), m_cctx(ZSTD_createCCtx())
{
    if (m_cctx)
        ZSTD_CCtx_setParameter(m_cctx, ZSTD_c_compressionLevel, compressionLevel);
}

CompactWriter::~CompactWriter() { ZSTD_freeCCtx(m_cctx); }

bool CompactWriter::blockFull() const
{
    return m_block.records() >= kMaxRecordsPerBlock || m_block.rawBytes() >= (16u << 20);
}

Result<CompactWriteJob> CompactWriter::seal(bool last)
{
    CompactWriteJob job;
    job.last = last;
    if (!m_block.empty()) {
        auto block = m_block.seal();
        if (!block)
            return std::unexpected(block.error());
        job.block = std::move(*block);
        job.checkpoint = ++m_sealedSinceCheckpoint >= kBlocksPerCheckpoint;
        if (job.checkpoint)
            m_sealedSinceCheckpoint = 0;
    }
    return job;
}

// The summary counts the records as they are in the block (the same messages:
// decode(encode(m)) == m), here rather than on the recording thread.
void CompactWriter::summarise(const SealedBlock& block)
{
    if (!decodeBlockPayload(block.raw, block.records, m_records, m_scratch)) {
        for (std::uint32_t i = 0; i < block.records; ++i)
            m_summary.addRaw(); // never so: the block was just encoded
        return;
    }
    for (const CompactRecord& r : m_records) {
        if (r.kind == RecordKind::Allocation || r.kind == RecordKind::Free) {
            m_summary.add(r.message);
        } else if (r.kind == RecordKind::Text) {
            const auto m = m_decoder->decode(r.text, 0);
            if (m && *m)
                m_summary.add(**m);
            else
                m_summary.addRaw();
        } else {
            m_summary.addRaw();
        }
    }
}

Result<void> CompactWriter::write(CompactWriteJob job, std::string& out, std::uint64_t offset)
{
    if (job.block) {
        if (!m_cctx)
            return makeError(MemoryErrorCode::IoError, "zstd: cannot create a compression context");
        const std::uint64_t at = offset + out.size();
        summarise(*job.block);
        if (auto r = writeBlock(*job.block, m_nextRecord, out, m_cctx); !r)
            return r;
        m_entries.push_back({at, m_nextRecord, job.block->records, job.block->minTime, job.block->maxTime});
        m_nextRecord += job.block->records;
        if (job.checkpoint)
            checkpoint(out, offset, false);
    }
    if (job.last) {
        checkpoint(out, offset, true);
        putU64(out, m_lastCheckpoint);
        out.append(kTrailerMagic);
    }
    return {};
}

Result<void> CompactWriter::endBlock(std::string& out, std::uint64_t offset)
{
    auto job = seal(false);
    if (!job)
        return std::unexpected(job.error());
    return write(std::move(*job), out, offset);
}

void CompactWriter::checkpoint(std::string& out, std::uint64_t offset, bool footer)
{
    // The summary sits just before the checkpoint (a reader finds it from there);
    // one too large to write is left out, and readers fall back to the full load.
    const std::uint64_t here = offset + out.size();
    if (footer || here - m_lastSummaryEnd >= 8 * m_lastSummaryBytes) {
        const std::size_t before = out.size();
        if (appendSummarySection(out, m_summary.summary(), m_level)) {
            m_lastSummaryEnd = offset + out.size();
            m_lastSummaryBytes = out.size() - before;
        }
    }
    const std::uint64_t at = offset + out.size();
    const std::size_t start = out.size();
    out.append(kCheckpointMagic);
    putU32(out, static_cast<std::uint32_t>(m_entries.size()));
    putU64(out, m_lastCheckpoint);
    for (const Entry& e : m_entries) {
        putU64(out, e.offset);
        putU64(out, e.firstRecord);
        putU32(out, e.records);
        putU64(out, static_cast<std::uint64_t>(e.minTime));
        putU64(out, static_cast<std::uint64_t>(e.maxTime));
    }
    putU32(out, crc32(std::string_view(out).substr(start)));
    m_entries.clear();
    m_lastCheckpoint = at;
}

Result<void> CompactWriter::finish(std::string& out, std::uint64_t offset)
{
    auto job = seal(true);
    if (!job)
        return std::unexpected(job.error());
    return write(std::move(*job), out, offset);
}

} // namespace flight::recording
