// SPDX-License-Identifier: MIT
#pragma once
// Seeking a format-2 recording to one time without loading it: only the
// blocks whose time range holds `atMs` are read (the nearest block when none
// does), plus the block before or after when those leave fewer than half the
// rows wanted on that side. Their records are decoded and the `maxRows`
// nearest `atMs` (half before, half from it on) are kept, one session's or
// all. Nothing is applied to a model: these are the records as written.

#include "model/memory_error.h"
#include "recording/compact_format.h"
#include "recording/compact_index.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace flight::recording {

struct RecordAround {
    std::int64_t timeMs = 0;
    std::uint64_t line = 0;  // record index + 1, as in the equivalent JSON Lines file
    RecordKind kind = RecordKind::Raw;
    std::string type;        // "allocation", "free", the message's type, or "unreadable"
    std::string id;          // allocations and frees (capped, printable)
    std::uint64_t bytes = 0; // allocations
    std::string purpose;     // allocations: the purpose's display name
    std::string text;        // other records: the line (capped, printable)
};

struct RecordsAround {
    std::int64_t atMs = 0;
    std::size_t blocksRead = 0;   // blocks decoded for this seek
    std::size_t blocksTotal = 0;  // blocks in the index
    std::uint64_t recordsRead = 0; // records those blocks hold
    std::vector<RecordAround> rows; // by time, then line; at most maxRows
    std::size_t rowsBefore = 0;     // rows timed before atMs
    std::vector<std::string> problems; // blocks that did not check (skipped)
};

// `sessionId` empty: records of every session. An error when the index has no block.
Result<RecordsAround> readRecordsAround(const std::string& path, const CompactIndex& index, std::int64_t atMs,
                                        const std::string& sessionId, std::size_t maxRows = 200);

} // namespace flight::recording
