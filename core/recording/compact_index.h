// SPDX-License-Identifier: MIT
#pragma once
// The block index of a format-2 recording (docs/recordings.md, "Checkpoints"),
// read without decoding any block: from the footer's checkpoint chain when the
// file was closed, else (a cut file, or a chain that does not check) by
// walking the block headers from the start. Each entry says where a block is
// and which records and times it holds, so a reader can seek by time.

#include "model/memory_error.h"
#include "recording/usage_summary.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flight::recording {

struct IndexedBlock {
    std::uint64_t offset = 0;      // of its header in the file
    std::uint64_t firstRecord = 0; // record index (line - 1)
    std::uint32_t records = 0;
    std::int64_t minTime = 0, maxTime = 0; // ms; minTime > maxTime: no timed record
};

struct CompactIndex {
    std::vector<IndexedBlock> blocks; // by offset
    bool fromFooter = false;          // false: walked (the file was cut or its footer is damaged)
    std::uint64_t lastCheckpoint = 0; // offset of the footer, or of the last checkpoint walked past; 0: none
    std::vector<std::uint64_t> checkpoints; // walked: every checkpoint passed, in file order (footer: the footer's)
};

// Not a format-2 file, or unreadable: an error; a damaged file gives the
// blocks before the damage.
Result<CompactIndex> readCompactIndex(const std::string& path);

// The usage summary just before the index's last checkpoint that has one (the
// footer's, or in a cut file the latest periodic one with a summary): nullopt
// when there is none or it does not check (a file written before summaries,
// damage): then read it all.
Result<std::optional<RecordingSummary>> readCompactSummary(const std::string& path);
std::optional<RecordingSummary> readCompactSummary(const std::string& path, const CompactIndex& index);

// The blocks that hold a record timed within [fromMs, toMs], in file order.
std::vector<IndexedBlock> blocksBetween(const CompactIndex& index, std::int64_t fromMs, std::int64_t toMs);

} // namespace flight::recording
