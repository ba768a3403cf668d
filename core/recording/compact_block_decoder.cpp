// SPDX-License-Identifier: MIT
#include "recording/compact_block_decoder.h"

#include "model/id_hash.h"
#include "protocol/string_caps.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <memory>

namespace flight::recording {

using namespace flight::protocol;

namespace {

constexpr std::array<std::string_view, kColumnCount> kColumnNames{
    "strings", "kinds", "times", "received", "seqs", "sessions", "idTexts", "idNumbers",
    "sizes", "purposes", "freedAt", "texts"};

Result<void> fail(std::string why) { return makeError(MemoryErrorCode::MalformedInput, std::move(why)); }

constexpr std::uint64_t kMaxIdNumber = 999'999'999'999'999'999ull; // 18 digits

} // namespace

// The columns and the string table; every record still to decode.
Result<void> BlockDecoder::open(std::string_view raw, std::uint32_t records)
{
    m_records = records;
    m_readable = reinterpret_cast<const unsigned char*>(raw.data() + raw.size());
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
    if (auto r = check(); !r) {
        m_done = m_records; // nothing to hand over
        return r;
    }
    rewind();
    return {};
}

void BlockDecoder::next(std::uint32_t max, RecordRun& run, RecordForm form)
{
    const std::uint32_t n = std::min(max, left());
    if (form == RecordForm::Lean)
        decode<Output::Lean>(n, run);
    else
        decode<Output::Full>(n, run);
}

Result<void> BlockDecoder::decodeAll(std::string_view raw, std::uint32_t records, RecordRun& run)
{
    if (auto r = begin(raw, records); !r)
        return r;
    decode<Output::Full>(records, run);
    return {};
}

// A custom purpose: kStandardPurposeCount + the string index of its name,
// interned once a block per name (fromName takes the process-wide lock).
std::optional<MemoryPurpose> BlockDecoder::customPurpose(std::uint64_t code)
{
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
}

namespace {

// Bit i set: byte i of the 8 at `p` has its high bit (a varint goes on).
inline std::uint64_t continuationBits(const unsigned char* p)
{
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if constexpr (std::endian::native == std::endian::big)
        w = std::byteswap(w);
    return (((w & 0x8080808080808080ull) >> 7) * 0x0102040810204080ull) >> 56;
}

constexpr std::uint64_t kNotWhole = ~0ull;

// How many varints [p, end) holds when it is whole varints of at most 10
// bytes each (a varint one byte longer is an error); kNotWhole otherwise.
// Looks at 64 bytes a step (their high bits) instead of one varint.
std::uint64_t countWholeVarints(const unsigned char* p, const unsigned char* end)
{
    const std::size_t size = static_cast<std::size_t>(end - p);
    if (size == 0)
        return 0;
    if (end[-1] & 0x80)
        return kNotWhole; // the last varint goes on past the column
    std::uint64_t ends = 0;
    unsigned carry = 0; // continuation bytes at the end of the bytes before
    bool tooLong = false;
    auto step = [&](std::uint64_t m, unsigned bytes) { // m: bit i = byte i goes on
        ends += bytes - static_cast<unsigned>(std::popcount(m));
        tooLong |= carry + static_cast<unsigned>(std::countr_one(m)) >= 10;
        const std::uint64_t two = m & (m >> 1), four = two & (two >> 2), eight = four & (four >> 4);
        tooLong |= (eight & (two >> 8)) != 0; // ten in a row
        carry = m == ~0ull ? carry + 64 : static_cast<unsigned>(std::countl_one(m));
    };
    std::size_t at = 0;
    for (; at + 64 <= size; at += 64) {
        std::uint64_t m = 0;
        for (unsigned k = 0; k < 8; ++k)
            m |= continuationBits(p + at + 8 * k) << (8 * k);
        step(m, 64);
    }
    if (at < size) {
        unsigned char tail[64] = {}; // zeros: no high bit
        std::memcpy(tail, p + at, size - at);
        std::uint64_t m = 0;
        for (unsigned k = 0; k < 8; ++k)
            m |= continuationBits(tail + 8 * k) << (8 * k);
        step(m, static_cast<unsigned>(size - at));
    }
    return tooLong ? kNotWhole : ends;
}

// `n` reads of c.varint(), their values unused: c ends as they leave it.
void skipVarints(ColumnCursor& c, std::uint64_t n)
{
    if (countWholeVarints(c.p, c.end) == n) { // what a writer writes
        c.p = c.end;
        return;
    }
    for (std::uint64_t k = 0; k < n && !(c.failed && c.atEnd()); ++k) // failed at the end: every later read too
        (void)c.varint();
}

// Whether `c` holds exactly `count` varints of one byte each, every one below
// `limit`: what reading them one by one would accept. A writer's string
// indexes and standard purposes are such columns; their maximum is found 16
// bytes a step (the loop vectorises), not a varint at a time.
bool oneByteEachBelow(const ColumnCursor& c, std::uint64_t count, std::uint64_t limit)
{
    if (static_cast<std::uint64_t>(c.end - c.p) != count)
        return false;
    unsigned char most = 0;
    for (const unsigned char* p = c.p; p < c.end; ++p)
        most = std::max(most, *p);
    return most < std::min<std::uint64_t>(limit, 0x80);
}

} // namespace

// Refuses what decoding record by record would find wrong, and the first
// problem as that would meet it (record order; in a record: its kind, its
// line, its id number, its id prefix, its purpose; then the columns in
// order), column by column: the kinds say which columns each record reads,
// the columns that only need to hold the right number of varints are
// counted 64 bytes at a time, and only ids and purposes are read value by
// value (in a block as a writer writes it, only the id numbers: the rest
// checked by their maximum). Leaves m_col where decoding every record would.
Result<void> BlockDecoder::check()
{
    auto& col = m_col;
    const std::uint32_t records = m_records;
    // The kinds (and the lines of text records), up to the first record
    // whose kind or line refuses the block: `limit`.
    const unsigned char* const kinds = col[ColKinds].p;
    const std::uint32_t present = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(records, static_cast<std::uint64_t>(col[ColKinds].end - kinds)));
    std::uint32_t limit = records;
    std::string kindProblem;
    auto textOrRefused = [&](std::uint32_t r) { // a record not an allocation or a free: false when it refuses the block
        const std::uint8_t kind = kinds[r];
        const auto recordKind = static_cast<RecordKind>(kind & kKindMask);
        if (recordKind == RecordKind::Text || recordKind == RecordKind::Raw) {
            if (kind & ~kKindMask) {
                kindProblem = "record " + std::to_string(r) + ": flags on a text record";
                return false;
            }
            ColumnCursor& texts = col[ColTexts];
            const std::string_view text = texts.bytes(texts.varint());
            if (texts.failed) {
                kindProblem = "column texts ends early (record " + std::to_string(r) + ")";
                return false;
            }
            if (text.find('\n') != std::string_view::npos) {
                kindProblem = "record " + std::to_string(r) + ": a line holds a newline";
                return false;
            }
            return true;
        }
        if (recordKind != RecordKind::Allocation && recordKind != RecordKind::Free)
            kindProblem = "record " + std::to_string(r) + ": kind " + std::to_string(kind & kKindMask) + " is reserved";
        else
            kindProblem = "record " + std::to_string(r) + ": freedAt flag on a free";
        return false;
    };
    for (std::uint32_t r = 0; r < present; ++r) {
        const std::uint8_t kind = kinds[r];
        // An allocation (any flags) or a free (no freedAt): all but a few records.
        if ((kind & 0x0E) != 0 || (kind & (kKindMask | kHasFreedAt)) == (kHasFreedAt | 1)) [[unlikely]] {
            if (!textOrRefused(r)) {
                limit = r;
                break;
            }
        }
    }
    if (limit == records && present < records) {
        kindProblem = "column kinds ends early (record " + std::to_string(present) + ")";
        limit = present;
    }

    // How many records read each column: known once every kind is.
    std::uint64_t commons = 0, received = 0, seqs = 0, allocations = 0, freedAts = 0;
    if (limit == records) {
        for (std::uint32_t r = 0; r < records; ++r) {
            const std::uint8_t kind = kinds[r];
            const std::uint8_t kindOnly = kind & kKindMask;
            commons += kindOnly <= 1;
            allocations += kindOnly == 0;
            received += (kind >> 5) & 1; // a text record has no flags; a free no freedAt
            seqs += (kind >> 4) & 1;
            freedAts += (kind >> 6) & 1;
        }
    }

    // Before `limit`: the ids (number, then prefix), then the purposes, to
    // the first record they refuse (`bad`). What a writer writes takes the
    // fast path; anything it finds amiss is read again record by record, for
    // the first problem and its words.
    std::uint32_t bad = limit;
    std::string badProblem;
    // The fast path: every id text index one byte and in the table, no
    // numbered id's prefix ending in a digit (the table's strings that do,
    // against the indexes used), then the numbers alone, and every purpose
    // one standard code.
    auto idsAndPurposesPass = [&] {
        const std::size_t stringCount = m_strings.size();
        const ColumnCursor& idTexts = col[ColIdTexts];
        if (!oneByteEachBelow(idTexts, commons, stringCount)
            || !oneByteEachBelow(col[ColPurposes], allocations, kStandardPurposeCount))
            return false;
        std::array<bool, 0x80> prefixes{}; // by string index: a numbered id's prefix
        const unsigned char* text = idTexts.p; // the next allocation's or free's
        ColumnCursor idNumbers = col[ColIdNumbers];
        std::uint64_t prevNumber = 0;
        std::uint64_t most = 0; // the largest number (any over 18 digits: record by record)
        for (std::uint32_t r = 0; r < records; ++r) {
            const std::uint8_t kind = kinds[r];
            if (kind & kNumberedId) { // an allocation or a free: a text record has no flags
                prefixes[*text] = true;
                const std::uint64_t number = prevNumber + static_cast<std::uint64_t>(idNumbers.svarintIn(m_readable));
                most = std::max(most, number);
                const std::uint64_t keep = static_cast<std::uint64_t>((kind & kKindMask) != 0) - 1; // ~0 for an allocation
                prevNumber = (number & keep) | (prevNumber & ~keep);
            }
            text += (kind & kKindMask) <= static_cast<std::uint8_t>(RecordKind::Free);
        }
        if (most > kMaxIdNumber)
            return false;
        for (std::size_t i = 0; i < std::min<std::size_t>(stringCount, 0x80); ++i) {
            const std::string_view prefix = m_strings[i];
            if (prefixes[i] && !prefix.empty() && prefix.back() >= '0' && prefix.back() <= '9')
                return false;
        }
        col[ColIdNumbers] = idNumbers;
        return true;
    };
    const bool fast = limit == records && idsAndPurposesPass();
    if (fast) {
        col[ColIdTexts].p = col[ColIdTexts].end;
        col[ColPurposes].p = col[ColPurposes].end;
    } else {
        const std::string_view* const strings = m_strings.data();
        const std::size_t stringCount = m_strings.size();
        const unsigned char* const readable = m_readable;
        ColumnCursor idTexts = col[ColIdTexts], idNumbers = col[ColIdNumbers];
        std::uint64_t prevNumber = 0;
        for (std::uint32_t r = 0; r < limit; ++r) {
            const std::uint8_t kind = kinds[r];
            if ((kind & kKindMask) > static_cast<std::uint8_t>(RecordKind::Free))
                continue; // text or raw
            const std::uint64_t i = idTexts.varint();
            if (i >= stringCount) [[unlikely]]
                idTexts.failed = true;
            if (!(kind & kNumberedId))
                continue;
            const std::uint64_t number = prevNumber + static_cast<std::uint64_t>(idNumbers.svarintIn(readable));
            if (number > kMaxIdNumber) [[unlikely]] {
                bad = r;
                badProblem = "record " + std::to_string(r) + ": id number over 18 digits";
                break;
            }
            // an allocation's number is the next one's base (no branch: allocations and frees alternate at random)
            const std::uint64_t keep = static_cast<std::uint64_t>((kind & kKindMask) != 0) - 1; // ~0 for an allocation
            prevNumber = (number & keep) | (prevNumber & ~keep);
            if (i < stringCount) {
                const std::string_view prefix = strings[i];
                if (!prefix.empty() && prefix.back() >= '0' && prefix.back() <= '9') [[unlikely]] {
                    bad = r;
                    badProblem = "record " + std::to_string(r) + ": id prefix ends in a digit";
                    break;
                }
            }
        }
        col[ColIdTexts] = idTexts;
        col[ColIdNumbers] = idNumbers;
    }
    if (!fast) {
        // The purposes of the allocations before `bad`, read one after the other.
        std::uint64_t before = 0;
        for (std::uint32_t r = 0; r < bad; ++r)
            before += (kinds[r] & kKindMask) == static_cast<std::uint8_t>(RecordKind::Allocation);
        ColumnCursor purposes = col[ColPurposes];
        for (std::uint64_t k = 0; k < before; ++k) {
            const std::uint64_t code = purposes.varint();
            if (code >= kStandardPurposeCount && !customPurpose(code)) [[unlikely]] {
                std::uint32_t r = 0; // the record of allocation k
                for (std::uint64_t seen = 0;; ++r)
                    if ((kinds[r] & kKindMask) == static_cast<std::uint8_t>(RecordKind::Allocation) && seen++ == k)
                        break;
                bad = r;
                badProblem = "record " + std::to_string(r) + ": purpose code " + std::to_string(code)
                             + " names no custom purpose";
                break;
            }
        }
        col[ColPurposes] = purposes;
    }
    if (bad < limit)
        return fail(std::move(badProblem));
    if (limit < records)
        return fail(std::move(kindProblem));

    // Every record read: the other columns must hold exactly their entries.
    col[ColKinds].p = kinds + records;
    if (oneByteEachBelow(col[ColSessions], commons, m_strings.size())) {
        col[ColSessions].p = col[ColSessions].end;
    } else {
        ColumnCursor sessions = col[ColSessions];
        const std::size_t stringCount = m_strings.size();
        for (std::uint64_t k = 0; k < commons; ++k)
            if (sessions.varint() >= stringCount) [[unlikely]]
                sessions.failed = true;
        col[ColSessions] = sessions;
    }
    skipVarints(col[ColTimes], commons);
    skipVarints(col[ColReceived], received);
    skipVarints(col[ColSeqs], seqs);
    skipVarints(col[ColSizes], allocations);
    skipVarints(col[ColFreedAt], freedAts);
    return checkEnd();
}

namespace {

// `v` in decimal at `out` (no leading zero; 24 bytes writable); its length.
// Below 10^8 (the ids of any recording of less than 100 M allocations),
// its eight digits are made together in one word and stored at once.
inline std::size_t putDecimal(char* out, std::uint64_t v)
{
    if (std::endian::native != std::endian::little || v >= 100'000'000)
        return static_cast<std::size_t>(std::to_chars(out, out + 24, v).ptr - out);
    // Lanes, lowest first (= first in memory): 4 digits each, then 2, then 1.
    std::uint64_t x = (v / 10000) | ((v % 10000) << 32);
    std::uint64_t hi = ((x * 10486) >> 20) & 0x0000007F0000007Full; // / 100 in each 32-bit lane
    x = hi | ((x - hi * 100) << 16);
    hi = ((x * 103) >> 10) & 0x000F000F000F000Full; // / 10 in each 16-bit lane
    x = hi | ((x - hi * 10) << 8);                  // the eight digits, leading zeros first
    const int zeros = v ? std::countr_zero(x) / 8 : 7;
    x = (x + 0x3030303030303030ull) >> (8 * zeros);
    std::memcpy(out, &x, 8);
    return static_cast<std::size_t>(8 - zeros);
}

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

// The next `count` records of a payload check() has passed, into `run`: in
// full form (a Message each, and its lean twin) or in lean form only. The
// reads stay within their columns whatever the bytes (ColumnCursor), so a
// payload that had not checked would decode to nonsense, never past them.
template <BlockDecoder::Output Out>
void BlockDecoder::decode(std::uint32_t count, RecordRun& run)
{
    constexpr bool Full = Out == Output::Full;
    // The cursors and the string table as locals: the stores into the run
    // (one-byte fields, which may alias anything) then make nothing reload.
    std::array<ColumnCursor, kColumnCount> col = m_col;
    const std::string_view* const strings = m_strings.data();
    const std::size_t stringCount = m_strings.size();
    const unsigned char* const readable = m_readable;
    auto str = [&](Column c) -> std::string_view {
        const std::uint64_t i = col[c].varint();
        return i < stringCount ? strings[i] : std::string_view();
    };
    if (Full && run.records.size() < count)
        run.records.resize(count);
    if (run.common.size() < count)
        run.common.resize(count);
    run.count = count;
    run.textRecords.clear();
    DecodedCommon* const common = run.common.data();
    std::size_t idsUsed = 0; // bytes of run.ids holding this run's composed ids
    // Each id is hashed here, on the decoding thread, so that applying (the
    // loader's one serial stage) does not pay for it; kHashBehind records
    // later, once the stores of a composed id have left the store buffer (an
    // 8-byte load spanning its byte stores waits for them: read at once, ~8 %
    // of this loop in perf annotate).
    constexpr std::uint32_t kHashBehind = 16;
    auto hash = [&](std::uint32_t j) {
        DecodedCommon& c = common[j];
        if (c.kind == DecodedCommon::Other)
            return;
        c.id.key = hashId(c.id.text);
        if constexpr (Full)
            run.records[j].idKey = c.id.key;
    };
    std::int64_t prevTime = m_prevTime;
    std::uint64_t prevSeq = m_prevSeq;
    std::uint64_t prevNumber = m_prevNumber;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (i >= kHashBehind)
            hash(i - kHashBehind);
        const std::uint8_t kind = col[ColKinds].byte();
        const auto recordKind = static_cast<RecordKind>(kind & kKindMask);
        DecodedCommon& lean = common[i];
        if (recordKind == RecordKind::Text || recordKind == RecordKind::Raw) [[unlikely]] {
            const std::string_view text = col[ColTexts].bytes(col[ColTexts].varint());
            run.textRecords.push_back(i);
            lean.id = {text, 0}; // kind Other: the line
            lean.kind = DecodedCommon::Other;
            lean.flags = 0;
            lean.purpose = 0;
            lean.sessionLen = 0;
            lean.time = 0;
            lean.seq = 0;
            lean.session = nullptr;
            lean.bytes = 0;
            std::construct_at(&lean.freedAt);
            if constexpr (Full) {
                CompactRecord& rec = run.records[i];
                rec.kind = recordKind;
                rec.text = text;
                rec.idKey = 0;
            }
            continue;
        }
        const bool alloc = recordKind == RecordKind::Allocation;
        const std::string_view session = str(ColSessions);
        std::string_view id = str(ColIdTexts);
        if (kind & kNumberedId) {
            const std::uint64_t number = prevNumber + static_cast<std::uint64_t>(col[ColIdNumbers].svarintIn(readable));
            if (alloc)
                prevNumber = number;
            // prefix + digits (20 at most), composed in run.ids
            const std::size_t need = id.size() + 24;
            if (run.ids.size() - idsUsed < need) [[unlikely]]
                growIds(run, i, idsUsed, need, Full);
            char* const at = run.ids.data() + idsUsed;
            if (id.size() <= 16 && id.data() && readable - reinterpret_cast<const unsigned char*>(id.data()) >= 16)
                std::memcpy(at, id.data(), 16); // one copy of fixed size (the bytes past the prefix are overwritten)
            else
                std::memcpy(at, id.data(), id.size());
            const std::size_t digits = putDecimal(at + id.size(), number);
            id = {at, id.size() + digits};
            idsUsed += id.size();
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
            bytes = col[ColSizes].varintIn(readable);
            const std::uint64_t code = col[ColPurposes].varint();
            purpose = code < kStandardPurposeCount ? MemoryPurpose::fromId(static_cast<std::uint16_t>(code))
                                                   : customPurpose(code).value_or(MemoryPurpose()); // check() found it
            if (kind & kHasFreedAt) {
                hasFreedAt = true;
                freedAt = static_cast<std::int64_t>(static_cast<std::uint64_t>(time)
                                                    + static_cast<std::uint64_t>(col[ColFreedAt].svarint()));
            }
        }
        lean.id.text = id; // hashed with the next record (below)
        lean.kind = alloc ? DecodedCommon::Allocation : DecodedCommon::Free;
        lean.flags = seq ? DecodedCommon::HasSeq : 0;
        lean.purpose = purpose.id();
        lean.sessionLen = static_cast<std::uint32_t>(session.size());
        lean.time = time;
        lean.seq = seq.value_or(0);
        lean.session = session.data();
        lean.bytes = bytes;
        // Made anew rather than reset or assigned, which would read it first:
        // the record was last read by the applying thread, on another core.
        if (hasFreedAt)
            std::construct_at(&lean.freedAt, freedAt);
        else
            std::construct_at(&lean.freedAt);
        if constexpr (Full) {
            CompactRecord& rec = run.records[i];
            rec.kind = recordKind;
            rec.text = {};
            rec.message.seq = seq;
            rec.message.receivedAt = receivedAt;
            if (alloc)
                rec.message.payload = AllocationMsg{id, session, bytes, purpose, time,
                                                    hasFreedAt ? std::optional(freedAt) : std::nullopt};
            else
                rec.message.payload = FreeMsg{session, id, time};
        }
    }
    for (std::uint32_t j = count > kHashBehind ? count - kHashBehind : 0; j < count; ++j)
        hash(j);
    m_col = col;
    m_prevTime = prevTime;
    m_prevSeq = prevSeq;
    m_prevNumber = prevNumber;
    m_done += count;
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
