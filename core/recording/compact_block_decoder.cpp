// SPDX-License-Identifier: MIT
#include "recording/compact_block_decoder.h"

#include "model/id_hash.h"
#include "protocol/string_caps.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace flight::recording {

using namespace flight::protocol;

namespace {

constexpr std::array<std::string_view, kColumnCount> kColumnNames{
    "strings", "kinds", "times", "received", "seqs", "sessions", "idTexts", "idNumbers",
    "sizes", "purposes", "freedAt", "texts"};

Result<void> fail(std::string why) { return makeError(MemoryErrorCode::MalformedInput, std::move(why)); }

} // namespace

// The columns and the string table; every record still to decode.
Result<void> BlockDecoder::open(std::string_view raw, std::uint32_t records)
{
    m_records = records;
    m_done = records; // nothing to hand over until the payload checks
    ColumnCursor head{reinterpret_cast<const unsigned char*>(raw.data()),
                      reinterpret_cast<const unsigned char*>(raw.data() + raw.size())};
    const std::uint64_t columns = head.varint();
    if (head.failed || columns < kColumnCount || columns > 4096)
        return fail("payload names " + std::to_string(columns) + " columns, " + std::to_string(kColumnCount)
                    + " or more expected");
    std::array<std::uint64_t, kColumnCount> lengths{};
    std::vector<std::uint64_t> extra; // columns a later version adds: skipped
    for (std::size_t i = 0; i < columns; ++i) {
        const std::uint64_t n = head.varint();
        if (i < kColumnCount)
            lengths[i] = n;
        else
            extra.push_back(n);
    }
    if (head.failed)
        return fail("the column lengths end early");
    for (std::size_t i = 0; i < columns; ++i) {
        const std::string_view bytes = head.bytes(i < kColumnCount ? lengths[i] : extra[i - kColumnCount]);
        if (head.failed)
            return fail("column " + std::string(i < kColumnCount ? kColumnNames[i] : std::to_string(i))
                        + " runs past the payload");
        if (i < kColumnCount)
            m_start[i] = {reinterpret_cast<const unsigned char*>(bytes.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data() + bytes.size())};
    }

    ColumnCursor& s = m_start[ColStrings];
    const std::uint64_t count = s.varint();
    if (s.failed || count > lengths[ColStrings])
        return fail("the string table's count is wrong");
    m_strings.clear();
    m_strings.reserve(count);
    for (std::uint64_t i = 0; i < count && !s.failed; ++i)
        m_strings.push_back(s.bytes(s.varint()));
    if (s.failed)
        return fail("the string table ends early");
    m_customPurposes.assign(m_strings.size(), std::nullopt);
    rewind();
    return {};
}

void BlockDecoder::rewind()
{
    m_col = m_start;
    m_done = 0;
    m_prevTime = 0;
    m_prevSeq = ~0ull;
    m_prevNumber = 0;
}

Result<void> BlockDecoder::checkEnd()
{
    for (std::size_t c = 0; c < kColumnCount; ++c) {
        if (m_col[c].failed)
            return fail("column " + std::string(kColumnNames[c]) + " ends early or names a missing string");
        if (!m_col[c].atEnd())
            return fail("column " + std::string(kColumnNames[c]) + " holds more than its records");
    }
    return {};
}

Result<void> BlockDecoder::begin(std::string_view raw, std::uint32_t records)
{
    if (auto r = open(raw, records); !r)
        return r;
    auto checked = decode<Output::None, true>(records, nullptr);
    if (checked)
        checked = checkEnd();
    if (!checked) {
        m_done = m_records; // nothing to hand over
        return checked;
    }
    rewind();
    return {};
}

Result<void> BlockDecoder::next(std::uint32_t max, RecordRun& run, RecordForm form)
{
    const std::uint32_t n = std::min(max, left());
    auto r = form == RecordForm::Lean ? decode<Output::Lean, false>(n, &run) : decode<Output::Full, false>(n, &run);
    if (!r)
        m_done = m_records;
    return r;
}

Result<void> BlockDecoder::decodeAll(std::string_view raw, std::uint32_t records, RecordRun& run)
{
    if (auto r = open(raw, records); !r)
        return r;
    auto r = decode<Output::Full, true>(records, &run);
    if (r)
        r = checkEnd();
    return r;
}

namespace {

// Grows `run.ids` so that `need` more bytes fit after the `used` ones, and
// points the ids composed so far (the run's first `done` records) into the
// new buffer. Rare: the buffer is kept from run to run.
void growIds(RecordRun& run, std::uint32_t done, std::size_t used, std::size_t need, bool full)
{
    std::vector<char> bigger(std::max({2 * run.ids.size(), used + need, std::size_t{1} << 16}));
    if (used)
        std::memcpy(bigger.data(), run.ids.data(), used);
    const auto from = reinterpret_cast<std::uintptr_t>(run.ids.data());
    auto moved = [&](std::string_view v) {
        const auto at = reinterpret_cast<std::uintptr_t>(v.data());
        return at >= from && at < from + used ? std::string_view(bigger.data() + (at - from), v.size()) : v;
    };
    for (std::uint32_t j = 0; j < done; ++j) {
        DecodedCommon& lean = run.common[j];
        if (lean.kind == DecodedCommon::Other)
            continue;
        lean.id.text = moved(lean.id.text);
        if (full) {
            Message& m = run.records[j].message;
            if (auto* a = std::get_if<AllocationMsg>(&m.payload))
                a->id = moved(a->id);
            else
                std::get<FreeMsg>(m.payload).allocationId = moved(std::get<FreeMsg>(m.payload).allocationId);
        }
    }
    run.ids = std::move(bigger);
}

} // namespace

// The next `count` records. Out: into `run` in full or lean form, or
// nowhere (only checked: the numbered ids are not composed, nothing is
// written). Check: the texts are searched for newlines too (next() runs on a
// payload begin() has checked). Every error is found where and as it was
// when every mode built whole records.
template <BlockDecoder::Output Out, bool Check>
Result<void> BlockDecoder::decode(std::uint32_t count, RecordRun* run)
{
    constexpr bool Keep = Out != Output::None;
    constexpr bool Full = Out == Output::Full;
    // The cursors and the string table as locals: the stores into the run
    // (one-byte fields, which may alias anything) then make nothing reload.
    std::array<ColumnCursor, kColumnCount> col = m_col;
    const std::string_view* const strings = m_strings.data();
    const std::size_t stringCount = m_strings.size();
    auto str = [&](Column c) -> std::string_view {
        const std::uint64_t i = col[c].varint();
        if (i >= stringCount) [[unlikely]] {
            col[c].failed = true;
            return {};
        }
        return strings[i];
    };
    // A custom purpose: kStandardPurposeCount + the string index of its name,
    // interned once a block per name (fromName takes the process-wide lock).
    auto customPurpose = [&](std::uint64_t code) -> std::optional<MemoryPurpose> {
        const std::uint64_t i = code - kStandardPurposeCount;
        if (i >= stringCount)
            return std::nullopt;
        auto& cached = m_customPurposes[i];
        if (!cached) {
            const std::string_view name = strings[i];
            // What the JSON decoder refuses or reads as a standard purpose is never written so.
            if (name.empty() || name.size() > kMaxIdBytes || MemoryPurpose::fromStandardName(name))
                return std::nullopt;
            cached = MemoryPurpose::fromName(name);
        }
        return cached;
    };
    DecodedCommon* common = nullptr;
    std::size_t idsUsed = 0; // bytes of run->ids holding this run's composed ids
    if constexpr (Keep) {
        if (Full && run->records.size() < count)
            run->records.resize(count);
        if (run->common.size() < count)
            run->common.resize(count);
        run->count = count;
        common = run->common.data();
    }
    std::int64_t prevTime = m_prevTime;
    std::uint64_t prevSeq = m_prevSeq;
    std::uint64_t prevNumber = m_prevNumber;
    const std::uint32_t base = m_done;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t r = base + i; // within the block, for the errors
        const std::uint8_t kind = col[ColKinds].byte();
        if (col[ColKinds].failed) [[unlikely]]
            return fail("column kinds ends early (record " + std::to_string(r) + ")");
        const auto recordKind = static_cast<RecordKind>(kind & kKindMask);
        if (recordKind == RecordKind::Text || recordKind == RecordKind::Raw) [[unlikely]] {
            if (kind & ~kKindMask)
                return fail("record " + std::to_string(r) + ": flags on a text record");
            const std::string_view text = col[ColTexts].bytes(col[ColTexts].varint());
            if (col[ColTexts].failed)
                return fail("column texts ends early (record " + std::to_string(r) + ")");
            if constexpr (Check)
                if (text.find('\n') != std::string_view::npos)
                    return fail("record " + std::to_string(r) + ": a line holds a newline");
            if constexpr (Keep) {
                DecodedCommon& lean = common[i];
                lean.id = {text, 0}; // kind Other: the line
                lean.kind = DecodedCommon::Other;
                lean.flags = 0;
                lean.purpose = 0;
                lean.sessionLen = 0;
                lean.time = 0;
                lean.seq = 0;
                lean.session = nullptr;
                lean.bytes = 0;
                lean.freedAt.reset();
                if constexpr (Full) {
                    CompactRecord& rec = run->records[i];
                    rec.kind = recordKind;
                    rec.text = text;
                    rec.idKey = 0;
                }
            }
            continue;
        }
        if (recordKind != RecordKind::Allocation && recordKind != RecordKind::Free) [[unlikely]]
            return fail("record " + std::to_string(r) + ": kind " + std::to_string(kind & kKindMask) + " is reserved");
        const bool alloc = recordKind == RecordKind::Allocation;
        if (!alloc && (kind & kHasFreedAt)) [[unlikely]]
            return fail("record " + std::to_string(r) + ": freedAt flag on a free");
        const std::string_view session = str(ColSessions);
        std::string_view id = str(ColIdTexts);
        if (kind & kNumberedId) {
            const std::uint64_t number = prevNumber + static_cast<std::uint64_t>(col[ColIdNumbers].svarint());
            if (number > 999'999'999'999'999'999ull) [[unlikely]]
                return fail("record " + std::to_string(r) + ": id number over 18 digits");
            if (alloc)
                prevNumber = number;
            if (!id.empty() && id.back() >= '0' && id.back() <= '9') [[unlikely]]
                return fail("record " + std::to_string(r) + ": id prefix ends in a digit");
            if constexpr (Keep) {
                // prefix + digits, composed in run->ids (18 digits at most)
                const std::size_t need = id.size() + 20;
                if (run->ids.size() - idsUsed < need) [[unlikely]]
                    growIds(*run, i, idsUsed, need, Full);
                char* const at = run->ids.data() + idsUsed;
                std::memcpy(at, id.data(), id.size());
                char* const end = std::to_chars(at + id.size(), at + need, number).ptr;
                id = {at, static_cast<std::size_t>(end - at)};
                idsUsed += id.size();
            }
        }
        prevTime = static_cast<std::int64_t>(static_cast<std::uint64_t>(prevTime)
                                             + static_cast<std::uint64_t>(col[ColTimes].svarint()));
        const std::int64_t time = prevTime;
        std::optional<std::int64_t> receivedAt;
        if (kind & kHasReceivedAt)
            receivedAt = static_cast<std::int64_t>(static_cast<std::uint64_t>(time)
                                                   + static_cast<std::uint64_t>(col[ColReceived].svarint()));
        std::optional<std::uint64_t> seq;
        if (kind & kHasSeq) {
            prevSeq = prevSeq + 1 + static_cast<std::uint64_t>(col[ColSeqs].svarint());
            seq = prevSeq;
        }
        std::uint64_t bytes = 0;
        MemoryPurpose purpose;
        // Not an optional: one made here and copied into the record is read
        // back 16 bytes at a time before its two stores have retired (a
        // store-forwarding stall, ~20 % of this loop in perf annotate).
        bool hasFreedAt = false;
        std::int64_t freedAt = 0;
        if (alloc) {
            bytes = col[ColSizes].varint();
            const std::uint64_t code = col[ColPurposes].varint();
            if (code < kStandardPurposeCount) [[likely]] {
                purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(code));
            } else if (const auto custom = customPurpose(code)) {
                purpose = *custom;
            } else {
                return fail("record " + std::to_string(r) + ": purpose code " + std::to_string(code)
                            + " names no custom purpose");
            }
            if (kind & kHasFreedAt) {
                hasFreedAt = true;
                freedAt = static_cast<std::int64_t>(static_cast<std::uint64_t>(time)
                                                    + static_cast<std::uint64_t>(col[ColFreedAt].svarint()));
            }
        }
        if constexpr (Keep) {
            // Hashed here, on the decoding thread, so that applying (the
            // loader's one serial stage) does not pay for it.
            const std::uint64_t key = hashId(id);
            DecodedCommon& lean = common[i];
            lean.id = {id, key};
            lean.kind = alloc ? DecodedCommon::Allocation : DecodedCommon::Free;
            lean.flags = seq ? DecodedCommon::HasSeq : 0;
            lean.purpose = purpose.id();
            lean.sessionLen = static_cast<std::uint32_t>(session.size());
            lean.time = time;
            lean.seq = seq.value_or(0);
            lean.session = session.data();
            lean.bytes = bytes;
            if (hasFreedAt)
                lean.freedAt.emplace(freedAt);
            else
                lean.freedAt.reset();
            if constexpr (Full) {
                CompactRecord& rec = run->records[i];
                rec.kind = recordKind;
                rec.text = {};
                rec.idKey = key;
                rec.message.seq = seq;
                rec.message.receivedAt = receivedAt;
                if (alloc)
                    rec.message.payload = AllocationMsg{id, session, bytes, purpose, time,
                                                        hasFreedAt ? std::optional(freedAt) : std::nullopt};
                else
                    rec.message.payload = FreeMsg{session, id, time};
            }
        }
    }
    m_col = col;
    m_prevTime = prevTime;
    m_prevSeq = prevSeq;
    m_prevNumber = prevNumber;
    m_done += count;
    return {};
}

Result<void> decodeBlockPayload(std::string_view raw, std::uint32_t records, std::vector<CompactRecord>& out,
                                BlockScratch& scratch)
{
    std::swap(scratch.run.records, out);
    auto r = scratch.decoder.decodeAll(raw, records, scratch.run);
    std::swap(scratch.run.records, out);
    out.resize(records);
    return r;
}

} // namespace flight::recording
