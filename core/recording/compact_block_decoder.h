// SPDX-License-Identifier: MIT
#pragma once
// Decodes the payload of one format-2 block (already decompressed) into its
// records (docs/recordings.md, "The payload: records in columns"). Checks
// every column against its length and every string index against the table:
// a payload that does not decode exactly is refused as a whole.

#include "model/memory_error.h"
#include "protocol/message.h"
#include "recording/compact_format.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace flight::recording {

struct CompactRecord {
    RecordKind kind = RecordKind::Raw;
    protocol::Message message;   // kinds Allocation and Free
    std::string_view text;       // kinds Text and Raw: the line
    std::uint64_t idKey = 0;     // kinds Allocation and Free: hashId of the id (model/id_hash.h)
};

// What decoding a block needs besides its payload, reused from block to block.
struct BlockScratch {
    std::vector<std::string_view> strings;
    std::string ids;                 // numbered ids, composed (prefix + digits)
    struct IdAt {
        std::uint32_t record;
        std::uint32_t offset;
        std::uint32_t size;
    };
    std::vector<IdAt> idsAt;
    std::vector<std::optional<MemoryPurpose>> customPurposes; // by string index, interned on first use
};

// Fills `out` with `records` records; their strings point into `raw` and
// `scratch`. The error says what did not decode ("column times ends early",
// "record 7: kind 9 is reserved").
Result<void> decodeBlockPayload(std::string_view raw, std::uint32_t records, std::vector<CompactRecord>& out,
                                BlockScratch& scratch);

} // namespace flight::recording
