// SPDX-License-Identifier: MIT
#pragma once
// The bytes of a format-2 recording as it is written (docs/recordings.md,
// "Format 2"): the preamble, one block per endBlock() (each flush), a
// checkpoint every kBlocksPerCheckpoint blocks, and the footer and trailer
// at finish(); the footer, and a periodic checkpoint once the file has grown
// 8 times the last summary's size since it, follows the usage summary of
// everything added so far ("FMS2"): summaries stay under ~1/8 of the file
// however many sessions. It produces bytes only; RecordingWriter owns the file.
// Two halves that may run on two threads: seal() on the recording thread
// (gathering records into columns), write() on one other thread (the usage
// summary, counted from the sealed block's records; zstd, CRC, block index,
// checkpoints); endBlock() and finish() do both at once.

#include "model/memory_error.h"
#include "protocol/message.h"
#include "recording/compact_block_decoder.h"
#include "recording/compact_block_encoder.h"
#include "recording/usage_summary_builder.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flight::protocol {
class MessageDecoder;
}

namespace flight::recording {

// What the recording thread hands the writing thread at each block end.
struct CompactWriteJob {
    std::optional<SealedBlock> block;        // none when no record waited
    bool checkpoint = false;                 // a checkpoint follows the block
    bool last = false;                       // then the footer and the trailer
};

class CompactWriter {
public:
    explicit CompactWriter(int compressionLevel = kCompactLevel);
    ~CompactWriter();
    CompactWriter(const CompactWriter&) = delete;
    CompactWriter& operator=(const CompactWriter&) = delete;

    // The 8-byte preamble, to write first.
    static std::string preamble() { return std::string(kPreamble); }

    void add(const protocol::Message& message) { m_block.add(message); }
    void add(const protocol::Message& message, std::int64_t receivedAt) { m_block.add(message, receivedAt); }
    void addRaw(std::string_view line) { m_block.addRaw(line); }
    // The block should be ended now (65,536 records or 16 MiB gathered).
    bool blockFull() const;
    std::uint32_t pendingRecords() const { return m_block.records(); }

    // Recording thread: the gathered records as one block (a checkpoint
    // every kBlocksPerCheckpoint blocks); `last`: then the footer and the trailer.
    Result<CompactWriteJob> seal(bool last);
    // Writing thread: appends what `job` stands for to `out`, which will be
    // written at file offset `offset`. Jobs must come in the order sealed.
    Result<void> write(CompactWriteJob job, std::string& out, std::uint64_t offset);

    // Both at once: the gathered records as one block (and a checkpoint when
    // due) appended to `out`. Nothing when no record waits.
    Result<void> endBlock(std::string& out, std::uint64_t offset);
    // endBlock, then the footer checkpoint and the trailer.
    Result<void> finish(std::string& out, std::uint64_t offset);

private:
    struct Entry {
        std::uint64_t offset, firstRecord;
        std::uint32_t records;
        std::int64_t minTime, maxTime;
    };
    void checkpoint(std::string& out, std::uint64_t offset, bool footer);
    void summarise(const SealedBlock& block);

    // The recording thread's (seal)
    CompactBlockEncoder m_block;
    std::uint32_t m_sealedSinceCheckpoint = 0;
    // The writing thread's (write)
    UsageSummaryBuilder m_summary;
    std::unique_ptr<protocol::MessageDecoder> m_decoder; // the summary's text records
    std::vector<CompactRecord> m_records;
    BlockScratch m_scratch;
    int m_level = kCompactLevel;
    std::uint64_t m_lastSummaryEnd = 0, m_lastSummaryBytes = 0; // file offset after the last one, its size
    ZSTD_CCtx* m_cctx = nullptr;
    std::uint64_t m_nextRecord = 0;
    std::vector<Entry> m_entries;       // since the last checkpoint
    std::uint64_t m_lastCheckpoint = 0;
};

} // namespace flight::recording
