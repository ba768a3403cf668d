// SPDX-License-Identifier: MIT
#pragma once
// Decodes the payload of one format-2 block (already decompressed) into its
// records (docs/recordings.md, "The payload: records in columns"). Checks
// every column against its length and every string index against the table:
// a payload that does not decode exactly is refused as a whole.

#include "model/memory_error.h"
#include "protocol/decoded_common.h"
#include "protocol/decoded_texts.h"
#include "protocol/message.h"
#include "recording/compact_format.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flight::recording {

struct CompactRecord {
    RecordKind kind = RecordKind::Raw;
    protocol::Message message;   // kinds Allocation and Free
    std::string_view text;       // kinds Text and Raw: the line
    std::uint64_t idKey = 0;     // kinds Allocation and Free: hashId of the id (model/id_hash.h)
};

// What BlockDecoder::next() writes for each record.
enum class RecordForm : std::uint8_t {
    Full, // a CompactRecord (a whole Message) and its lean DecodedCommon
    Lean, // the DecodedCommon only (RecordRun::records is left as it was): what the loader applies
};

// Records decoded together, with the numbered ids composed for them
// (prefix + digits): their strings point into the payload and `ids`.
struct RecordRun {
    std::vector<CompactRecord> records; // RecordForm::Full: the first `count` hold the run (the rest are kept for reuse)
    // The same records in the loader's lean form (common[i] is records[i]):
    // an allocation or a free with its id hashed, or kind Other for a text or
    // raw record, whose line is then in id.text (decoded_common.h).
    std::vector<protocol::DecodedCommon> common;
    std::uint32_t count = 0;
    std::vector<char> ids; // the numbered ids composed, back to back (only its growth reallocates it)
    std::vector<std::uint32_t> textRecords; // the indexes of the text and raw records, in order
    protocol::DecodedTexts texts; // a RunPreparer's (compact_reader.h): the messages of common's kind Decoded
};

// One block's payload decoded in runs, so that a reader holds a few thousand
// decoded records at a time instead of a whole block's (a decoded record is
// ~200 bytes: 13 MiB for a block of 65,536). begin() checks the whole payload
// first (column by column, refusing exactly what decoding every record would
// find wrong), so a damaged block is refused before any of its records is
// handed over; next() then decodes the records in order, in full or lean
// form. Reused from block to block.
class BlockDecoder {
public:
    // The error says what did not decode ("column times ends early",
    // "record 7: kind 9 is reserved"). `raw` must outlive the runs.
    Result<void> begin(std::string_view raw, std::uint32_t records);
    // The next `max` records (fewer at the end of the block) into `run`, in
    // `form`: after a successful begin nothing can fail.
    void next(std::uint32_t max, RecordRun& run, RecordForm form = RecordForm::Full);
    std::uint32_t left() const { return m_records - m_done; }
    // The block's string table, as begin() read it.
    const std::vector<std::string_view>& strings() const { return m_strings; }

    // The whole payload at once (begin, then next for every record): for a
    // caller that keeps the whole block anyway.
    Result<void> decodeAll(std::string_view raw, std::uint32_t records, RecordRun& run);

private:
    Result<void> open(std::string_view raw, std::uint32_t records);
    void rewind();
    Result<void> check();
    enum class Output { Full, Lean };
    template <Output Out>
    void decode(std::uint32_t count, RecordRun& run);
    std::optional<MemoryPurpose> customPurpose(std::uint64_t code);
    Result<void> checkEnd();

    std::array<ColumnCursor, kColumnCount> m_start{}; // each column as it begins
    std::array<ColumnCursor, kColumnCount> m_col{};
    std::vector<std::string_view> m_strings;
    std::vector<std::optional<MemoryPurpose>> m_customPurposes; // by string index, interned on first use
    const unsigned char* m_readable = nullptr; // the payload's end: bytes before it may be loaded
    std::uint32_t m_records = 0, m_done = 0;
    std::int64_t m_prevTime = 0;
    std::uint64_t m_prevSeq = ~0ull;
    std::uint64_t m_prevNumber = 0;
};

// What decodeBlockPayload reuses from block to block.
struct BlockScratch {
    BlockDecoder decoder;
    RecordRun run;
};

// Fills `out` with `records` records; their strings point into `raw` and
// `scratch`. The error says what did not decode.
Result<void> decodeBlockPayload(std::string_view raw, std::uint32_t records, std::vector<CompactRecord>& out,
                                BlockScratch& scratch);

} // namespace flight::recording
