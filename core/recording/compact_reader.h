// SPDX-License-Identifier: MIT
#pragma once
// Reads a format-2 recording block by block (docs/recordings.md, "Reading
// blocks"): each block's CRC is checked, its payload decompressed and decoded,
// and its records handed over together. A damaged block is reported and
// skipped (reading goes on at the next block whose header checks); a file
// that ends inside a block or without its trailer is reported as cut.
// Problems name the line (record index + 1) and the block's byte offset.

#include "protocol/recording_reader.h"
#include "recording/compact_block_decoder.h"
#include "recording/compact_index.h"

#include <functional>
#include <span>
#include <string>

namespace flight::recording {

// A run of one block's records (a block is handed over in runs of at most
// 4,096, in order, once the whole block has checked), valid during the call:
// as CompactRecords (a Message each) and, for the loader, the same records
// in lean form (common[i] is records[i]; a text or raw record's line is in
// its id.text). Read in RecordForm::Lean, only `common` is given (`records`
// is empty). A sink taking only the span of records receives that (the
// conversion below).
struct DecodedRecords {
    std::span<const CompactRecord> records;
    std::span<const protocol::DecodedCommon> common;
    const protocol::DecodedTexts* texts = nullptr; // the messages of common's records of kind Decoded
    operator std::span<const CompactRecord>() const { return records; }
};

// firstLine: the line number of records[0] (record index + 1, as in the
// equivalent JSON Lines file).
using BlockSink = std::function<void(DecodedRecords records, std::uint64_t firstLine)>;

// Called with each run as it is decoded, before it is handed over, on the
// thread that decodes (a second one with options.zstdThread): work done here
// is taken off the sink's thread. It may change the run's lean records and
// fill its texts (RecordRun::texts); it must not throw.
using RunPreparer = std::function<void(RecordRun& run, std::uint64_t firstLine)>;

// Honours options.progress, cancel, stopToken and onProblem (problems are in
// the result too); lines = records delivered. With options.zstdThread blocks
// are decoded on a second thread, up to 15 lean or 2 full runs ahead of the sink; every callback still runs
// on the calling thread, in the same order. `form` Lean: the records are
// decoded only into their lean form (no Message is built), for a sink that
// reads only DecodedRecords::common.
protocol::RecordingReadResult readCompactRecording(const std::string& path, const BlockSink& sink,
                                                   const protocol::RecordingReadOptions& options = {},
                                                   RecordForm form = RecordForm::Full,
                                                   const RunPreparer& prepare = {});

// Seeking: only `blocks` (from readCompactIndex, in file order) are read and
// decoded, each delivered with its own first line; nothing else of the file
// is read. A block that does not check is reported and skipped.
protocol::RecordingReadResult readCompactBlocks(const std::string& path, std::span<const IndexedBlock> blocks,
                                                const BlockSink& sink, const protocol::RecordingReadOptions& options = {});

// True when the file at `path` starts with the format-2 preamble.
bool isFormat2File(const std::string& path);

// readRecording's view of a format-2 file: every record as its JSON Lines
// line (allocations and frees encoded canonically, text and raw records as
// kept), numbered as in the equivalent JSON Lines file.
protocol::RecordingReadResult readCompactAsLines(const std::string& path, const protocol::LineSink& sink,
                                                 const protocol::RecordingReadOptions& options);

} // namespace flight::recording
