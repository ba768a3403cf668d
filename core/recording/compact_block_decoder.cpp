// SPDX-License-Identifier: MIT
#include "recording/compact_block_decoder.h"

#include "model/id_hash.h"
#include "protocol/string_caps.h"

#include <array>

namespace flight::recording {

using namespace flight::protocol;

namespace {

constexpr std::array<std::string_view, kColumnCount> kColumnNames{
    "strings", "kinds", "times", "received", "seqs", "sessions", "idTexts", "idNumbers",
    "sizes", "purposes", "freedAt", "texts"};

Result<void> fail(std::string why) { return makeError(MemoryErrorCode::MalformedInput, std::move(why)); }

} // namespace

Result<void> decodeBlockPayload(std::string_view raw, std::uint32_t records, std::vector<CompactRecord>& out,
                                BlockScratch& scratch)
{
    ColumnCursor head{reinterpret_cast<const unsigned char*>(raw.data()),
                      reinterpret_cast<const unsigned char*>(raw.data() + raw.size())};
    const std::uint64_t columns = head.varint();
    if (head.failed || columns < kColumnCount || columns > 4096)
        return fail("payload names " + std::to_string(columns) + " columns, " + std::to_string(kColumnCount)
                    + " or more expected");
    std::array<ColumnCursor, kColumnCount> col;
    std::vector<std::uint64_t> lengths(columns);
    for (auto& n : lengths)
        n = head.varint();
    if (head.failed)
        return fail("the column lengths end early");
    for (std::size_t i = 0; i < columns; ++i) {
        const std::string_view bytes = head.bytes(lengths[i]);
        if (head.failed)
            return fail("column " + std::string(i < kColumnCount ? kColumnNames[i] : std::to_string(i))
                        + " runs past the payload");
        if (i < kColumnCount)
            col[i] = {reinterpret_cast<const unsigned char*>(bytes.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data() + bytes.size())};
    }

    auto& strings = scratch.strings;
    ColumnCursor& s = col[ColStrings];
    const std::uint64_t count = s.varint();
    if (s.failed || count > lengths[ColStrings])
        return fail("the string table's count is wrong");
    strings.clear();
    strings.reserve(count);
    for (std::uint64_t i = 0; i < count && !s.failed; ++i)
        strings.push_back(s.bytes(s.varint()));
    if (s.failed)
        return fail("the string table ends early");

    auto str = [&](Column c) -> std::string_view {
        const std::uint64_t i = col[c].varint();
        if (i >= strings.size()) {
            col[c].failed = true;
            return {};
        }
        return strings[i];
    };

    scratch.ids.clear();
    scratch.idsAt.clear();
    scratch.customPurposes.assign(strings.size(), std::nullopt);
    // A custom purpose: kStandardPurposeCount + the string index of its name,
    // interned once a block per name (fromName takes the process-wide lock).
    auto customPurpose = [&](std::uint64_t code) -> std::optional<MemoryPurpose> {
        const std::uint64_t i = code - kStandardPurposeCount;
        if (i >= strings.size())
            return std::nullopt;
        auto& cached = scratch.customPurposes[i];
        if (!cached) {
            const std::string_view name = strings[i];
            // What the JSON decoder refuses or reads as a standard purpose is never written so.
            if (name.empty() || name.size() > kMaxIdBytes || MemoryPurpose::fromStandardName(name))
                return std::nullopt;
            cached = MemoryPurpose::fromName(name);
        }
        return cached;
    };
    out.resize(records);
    std::int64_t prevTime = 0;
    std::uint64_t prevSeq = ~0ull;
    std::uint64_t prevNumber = 0;
    for (std::uint32_t r = 0; r < records; ++r) {
        CompactRecord& rec = out[r];
        const std::uint8_t kind = col[ColKinds].byte();
        if (col[ColKinds].failed)
            return fail("column kinds ends early (record " + std::to_string(r) + ")");
        rec.kind = static_cast<RecordKind>(kind & kKindMask);
        if (rec.kind == RecordKind::Text || rec.kind == RecordKind::Raw) {
            if (kind & ~kKindMask)
                return fail("record " + std::to_string(r) + ": flags on a text record");
            rec.text = col[ColTexts].bytes(col[ColTexts].varint());
            if (col[ColTexts].failed)
                return fail("column texts ends early (record " + std::to_string(r) + ")");
            if (rec.text.find('\n') != std::string_view::npos)
                return fail("record " + std::to_string(r) + ": a line holds a newline");
            continue;
        }
        if (rec.kind != RecordKind::Allocation && rec.kind != RecordKind::Free)
            return fail("record " + std::to_string(r) + ": kind " + std::to_string(kind & kKindMask) + " is reserved");
        const bool alloc = rec.kind == RecordKind::Allocation;
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
            // Composed in scratch.ids (which may grow): the views are set after the loop.
            const std::size_t at = scratch.ids.size();
            scratch.ids.append(id);
            char digits[20];
            int n = 0;
            std::uint64_t v = number;
            do {
                digits[n++] = static_cast<char>('0' + v % 10);
                v /= 10;
            } while (v);
            while (n)
                scratch.ids.push_back(digits[--n]);
            scratch.idsAt.push_back({r, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(scratch.ids.size() - at)});
        }
        prevTime = static_cast<std::int64_t>(static_cast<std::uint64_t>(prevTime)
                                             + static_cast<std::uint64_t>(col[ColTimes].svarint()));
        const std::int64_t time = prevTime;
        rec.message.seq.reset();
        rec.message.receivedAt.reset();
        if (kind & kHasReceivedAt)
            rec.message.receivedAt = static_cast<std::int64_t>(static_cast<std::uint64_t>(time)
                                                               + static_cast<std::uint64_t>(col[ColReceived].svarint()));
        if (kind & kHasSeq) {
            prevSeq = prevSeq + 1 + static_cast<std::uint64_t>(col[ColSeqs].svarint());
            rec.message.seq = prevSeq;
        }
        if (alloc) {
            AllocationMsg a;
            a.id = id;
            a.sessionId = session;
            a.bytes = col[ColSizes].varint();
            const std::uint64_t purpose = col[ColPurposes].varint();
            if (purpose < kStandardPurposeCount) {
                a.purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(purpose));
            } else if (const auto custom = customPurpose(purpose)) {
                a.purpose = *custom;
            } else {
                return fail("record " + std::to_string(r) + ": purpose code " + std::to_string(purpose)
                            + " names no custom purpose");
            }
            a.allocatedAt = time;
            if (kind & kHasFreedAt)
                a.freedAt = static_cast<std::int64_t>(static_cast<std::uint64_t>(time)
                                                      + static_cast<std::uint64_t>(col[ColFreedAt].svarint()));
            rec.message.payload = a;
        } else {
            rec.message.payload = FreeMsg{session, id, time};
        }
    }
    for (std::size_t c = 0; c < kColumnCount; ++c) {
        if (col[c].failed)
            return fail("column " + std::string(kColumnNames[c]) + " ends early or names a missing string");
        if (!col[c].atEnd())
            return fail("column " + std::string(kColumnNames[c]) + " holds more than its records");
    }
    for (const auto& at : scratch.idsAt) {
        const std::string_view id(scratch.ids.data() + at.offset, at.size);
        Message& m = out[at.record].message;
        if (auto* a = std::get_if<AllocationMsg>(&m.payload))
            a->id = id;
        else
            std::get<FreeMsg>(m.payload).allocationId = id;
    }
    // Hashed here, on the decoding thread, so that applying (the loader's
    // one serial stage) does not pay for it.
    // (Records are reused from block to block: text is reset here too.)
    for (std::uint32_t r = 0; r < records; ++r) {
        CompactRecord& rec = out[r];
        if (rec.kind == RecordKind::Allocation || rec.kind == RecordKind::Free)
            rec.text = {};
        if (const auto* a = rec.message.as<AllocationMsg>(); a && rec.kind == RecordKind::Allocation)
            rec.idKey = hashId(a->id);
        else if (const auto* f = rec.message.as<FreeMsg>(); f && rec.kind == RecordKind::Free)
            rec.idKey = hashId(f->allocationId);
        else
            rec.idKey = 0;
    }
    return {};
}

} // namespace flight::recording
