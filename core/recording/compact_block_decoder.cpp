// SPDX-License-Identifier: MIT
#include "recording/compact_block_decoder.h"

#include "model/id_hash.h"
#include "protocol/string_caps.h"

#include <algorithm>

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
    auto checked = decode<false, true>(records, nullptr);
    if (checked)
        checked = checkEnd();
    if (!checked) {
        m_done = m_records; // nothing to hand over
        return checked;
    }
    rewind();
    return {};
}

Result<void> BlockDecoder::next(std::uint32_t max, RecordRun& run)
{
    const std::uint32_t n = std::min(max, left());
    auto r = decode<true, false>(n, &run);
    if (!r)
        m_done = m_records;
    return r;
}

Result<void> BlockDecoder::decodeAll(std::string_view raw, std::uint32_t records, RecordRun& run)
{
    if (auto r = open(raw, records); !r)
        return r;
    auto r = decode<true, true>(records, &run);
    if (r)
        r = checkEnd();
    return r;
}

// The next `count` records. Keep: into `run`; otherwise only checked (the
// numbered ids are not composed, nothing is written). Check: the texts are
// searched for newlines too (next() runs on a payload begin() has checked).
template <bool Keep, bool Check>
Result<void> BlockDecoder::decode(std::uint32_t count, RecordRun* run)
{
    auto& col = m_col;
    auto str = [&](Column c) -> std::string_view {
        const std::uint64_t i = col[c].varint();
        if (i >= m_strings.size()) {
            col[c].failed = true;
            return {};
        }
        return m_strings[i];
    };
    // A custom purpose: kStandardPurposeCount + the string index of its name,
    // interned once a block per name (fromName takes the process-wide lock).
    auto customPurpose = [&](std::uint64_t code) -> std::optional<MemoryPurpose> {
        const std::uint64_t i = code - kStandardPurposeCount;
        if (i >= m_strings.size())
            return std::nullopt;
        auto& cached = m_customPurposes[i];
        if (!cached) {
            const std::string_view name = m_strings[i];
            // What the JSON decoder refuses or reads as a standard purpose is never written so.
            if (name.empty() || name.size() > kMaxIdBytes || MemoryPurpose::fromStandardName(name))
                return std::nullopt;
            cached = MemoryPurpose::fromName(name);
        }
        return cached;
    };
    if constexpr (Keep) {
        if (run->records.size() < count)
            run->records.resize(count);
        if (run->common.size() < count)
            run->common.resize(count);
        run->count = count;
        run->ids.clear();
        run->idsAt.clear();
    }
    std::int64_t prevTime = m_prevTime;
    std::uint64_t prevSeq = m_prevSeq;
    std::uint64_t prevNumber = m_prevNumber;
    const std::uint32_t base = m_done;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t r = base + i; // within the block, for the errors
        CompactRecord* rec = nullptr;
        DecodedCommon* lean = nullptr;
        if constexpr (Keep) {
            rec = &run->records[i];
            lean = &run->common[i];
        }
        const std::uint8_t kind = col[ColKinds].byte();
        if (col[ColKinds].failed)
            return fail("column kinds ends early (record " + std::to_string(r) + ")");
        const auto recordKind = static_cast<RecordKind>(kind & kKindMask);
        if constexpr (Keep) {
            rec->kind = recordKind;
            lean->kind = DecodedCommon::Other;
        }
        if (recordKind == RecordKind::Text || recordKind == RecordKind::Raw) {
            if (kind & ~kKindMask)
                return fail("record " + std::to_string(r) + ": flags on a text record");
            const std::string_view text = col[ColTexts].bytes(col[ColTexts].varint());
            if (col[ColTexts].failed)
                return fail("column texts ends early (record " + std::to_string(r) + ")");
            if constexpr (Check)
                if (text.find('\n') != std::string_view::npos)
                    return fail("record " + std::to_string(r) + ": a line holds a newline");
            if constexpr (Keep)
                rec->text = text;
            continue;
        }
        if (recordKind != RecordKind::Allocation && recordKind != RecordKind::Free)
            return fail("record " + std::to_string(r) + ": kind " + std::to_string(kind & kKindMask) + " is reserved");
        const bool alloc = recordKind == RecordKind::Allocation;
        if (!alloc && (kind & kHasFreedAt))
            return fail("record " + std::to_string(r) + ": freedAt flag on a free");
        const std::string_view session = str(ColSessions);
        std::string_view id = str(ColIdTexts);
        if (kind & kNumberedId) {
            const std::uint64_t number = prevNumber + static_cast<std::uint64_t>(col[ColIdNumbers].svarint());
            if (number > 999'999'999'999'999'999ull)
                return fail("record " + std::to_string(r) + ": id number over 18 digits");
            if (alloc)
                prevNumber = number;
            if (!id.empty() && id.back() >= '0' && id.back() <= '9')
                return fail("record " + std::to_string(r) + ": id prefix ends in a digit");
            if constexpr (Keep) {
                // Composed in run->ids (which may grow): the views are set after the loop.
                std::string& ids = run->ids;
                const std::size_t at = ids.size();
                ids.append(id);
                char digits[20];
                int n = 0;
                std::uint64_t v = number;
                do {
                    digits[n++] = static_cast<char>('0' + v % 10);
                    v /= 10;
                } while (v);
                while (n)
                    ids.push_back(digits[--n]);
                run->idsAt.push_back({i, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(ids.size() - at)});
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
        if constexpr (Keep) {
            rec->message.seq = seq;
            rec->message.receivedAt = receivedAt;
            lean->kind = alloc ? DecodedCommon::Allocation : DecodedCommon::Free;
            lean->flags = seq ? DecodedCommon::HasSeq : 0;
            lean->seq = seq.value_or(0);
            lean->time = time;
            lean->session = session.data();
            lean->sessionLen = static_cast<std::uint32_t>(session.size());
            lean->id.text = id; // a numbered id's is set after the loop
        }
        if (alloc) {
            const std::uint64_t bytes = col[ColSizes].varint();
            const std::uint64_t code = col[ColPurposes].varint();
            MemoryPurpose purpose;
            if (code < kStandardPurposeCount) {
                purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(code));
            } else if (const auto custom = customPurpose(code)) {
                purpose = *custom;
            } else {
                return fail("record " + std::to_string(r) + ": purpose code " + std::to_string(code)
                            + " names no custom purpose");
            }
            std::optional<std::int64_t> freedAt;
            if (kind & kHasFreedAt)
                freedAt = static_cast<std::int64_t>(static_cast<std::uint64_t>(time)
                                                    + static_cast<std::uint64_t>(col[ColFreedAt].svarint()));
            if constexpr (Keep) {
                AllocationMsg a;
                a.id = id;
                a.sessionId = session;
                a.bytes = bytes;
                a.purpose = purpose;
                a.allocatedAt = time;
                a.freedAt = freedAt;
                rec->message.payload = a;
                lean->bytes = bytes;
                lean->purpose = purpose.id();
                lean->freedAt = freedAt;
            }
        } else if constexpr (Keep) {
            rec->message.payload = FreeMsg{session, id, time};
        }
    }
    m_prevTime = prevTime;
    m_prevSeq = prevSeq;
    m_prevNumber = prevNumber;
    m_done += count;
    if constexpr (Keep) {
        for (const auto& at : run->idsAt) {
            const std::string_view id(run->ids.data() + at.offset, at.size);
            run->common[at.record].id.text = id;
            Message& m = run->records[at.record].message;
            if (auto* a = std::get_if<AllocationMsg>(&m.payload))
                a->id = id;
            else
                std::get<FreeMsg>(m.payload).allocationId = id;
        }
        // Hashed here, on the decoding thread, so that applying (the loader's
        // one serial stage) does not pay for it.
        // (Records are reused from run to run: text is reset here too.)
        for (std::uint32_t i = 0; i < count; ++i) {
            CompactRecord& rec = run->records[i];
            DecodedCommon& lean = run->common[i];
            if (lean.kind != DecodedCommon::Other) {
                rec.text = {};
                lean.id.key = hashId(lean.id.text); // the message's id, as set above
                rec.idKey = lean.id.key;
            } else {
                rec.idKey = 0;
            }
        }
    }
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
