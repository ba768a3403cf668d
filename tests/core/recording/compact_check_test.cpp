// SPDX-License-Identifier: MIT
// BlockDecoder::begin() checks a block's payload column by column (counting
// most columns 64 bytes at a time) before any record is handed over. It must
// refuse exactly the payloads that decoding record by record refuses, with
// the same first problem: here against that record-by-record check, kept as
// it was written (the reference below), on a block damaged in every column
// in many ways.
#include "every_message_kind.h"

#include "model/memory_purpose.h"
#include "protocol/string_caps.h"
#include "recording/compact_block_decoder.h"
#include "recording/compact_block_encoder.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <random>

using namespace flight;
using namespace flight::protocol;
using namespace flight::recording;

namespace {

// The record-by-record check begin() replaced: "" when the payload decodes, else its first problem.
std::string referenceCheck(std::string_view raw, std::uint32_t records)
{
    static constexpr std::array<std::string_view, kColumnCount> names{
        "strings", "kinds", "times", "received", "seqs", "sessions", "idTexts", "idNumbers",
        "sizes", "purposes", "freedAt", "texts"};
    ColumnCursor head{reinterpret_cast<const unsigned char*>(raw.data()),
                      reinterpret_cast<const unsigned char*>(raw.data() + raw.size())};
    const std::uint64_t columns = head.varint();
    if (head.failed || columns < kColumnCount || columns > 4096)
        return "payload names " + std::to_string(columns) + " columns, " + std::to_string(kColumnCount)
               + " or more expected";
    std::vector<std::uint64_t> lengths;
    for (std::size_t i = 0; i < columns; ++i)
        lengths.push_back(head.varint());
    if (head.failed)
        return "the column lengths end early";
    std::array<ColumnCursor, kColumnCount> col{};
    for (std::size_t i = 0; i < columns; ++i) {
        const std::string_view bytes = head.bytes(lengths[i]);
        if (head.failed)
            return "column " + std::string(i < kColumnCount ? names[i] : std::to_string(i)) + " runs past the payload";
        if (i < kColumnCount)
            col[i] = {reinterpret_cast<const unsigned char*>(bytes.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data() + bytes.size())};
    }
    ColumnCursor& s = col[ColStrings];
    const std::uint64_t count = s.varint();
    if (s.failed || count > lengths[ColStrings])
        return "the string table's count is wrong";
    std::vector<std::string_view> strings;
    for (std::uint64_t i = 0; i < count && !s.failed; ++i)
        strings.push_back(s.bytes(s.varint()));
    if (s.failed)
        return "the string table ends early";

    auto str = [&](Column c) -> std::string_view {
        const std::uint64_t i = col[c].varint();
        if (i >= strings.size()) {
            col[c].failed = true;
            return {};
        }
        return strings[i];
    };
    auto isCustom = [&](std::uint64_t code) {
        const std::uint64_t i = code - kStandardPurposeCount;
        if (i >= strings.size())
            return false;
        const std::string_view name = strings[i];
        return !(name.empty() || name.size() > kMaxIdBytes || MemoryPurpose::fromStandardName(name));
    };
    std::uint64_t prevNumber = 0;
    for (std::uint32_t r = 0; r < records; ++r) {
        const std::string at = "record " + std::to_string(r) + ": ";
        const std::uint8_t kind = col[ColKinds].byte();
        if (col[ColKinds].failed)
            return "column kinds ends early (record " + std::to_string(r) + ")";
        const auto recordKind = static_cast<RecordKind>(kind & kKindMask);
        if (recordKind == RecordKind::Text || recordKind == RecordKind::Raw) {
            if (kind & ~kKindMask)
                return at + "flags on a text record";
            const std::string_view text = col[ColTexts].bytes(col[ColTexts].varint());
            if (col[ColTexts].failed)
                return "column texts ends early (record " + std::to_string(r) + ")";
            if (text.find('\n') != std::string_view::npos)
                return at + "a line holds a newline";
            continue;
        }
        if (recordKind != RecordKind::Allocation && recordKind != RecordKind::Free)
            return at + "kind " + std::to_string(kind & kKindMask) + " is reserved";
        const bool alloc = recordKind == RecordKind::Allocation;
        if (!alloc && (kind & kHasFreedAt))
            return at + "freedAt flag on a free";
        (void)str(ColSessions);
        const std::string_view id = str(ColIdTexts);
        if (kind & kNumberedId) {
            const std::uint64_t number = prevNumber + static_cast<std::uint64_t>(col[ColIdNumbers].svarint());
            if (number > 999'999'999'999'999'999ull)
                return at + "id number over 18 digits";
            if (alloc)
                prevNumber = number;
            if (!id.empty() && id.back() >= '0' && id.back() <= '9')
                return at + "id prefix ends in a digit";
        }
        (void)col[ColTimes].svarint();
        if (kind & kHasReceivedAt)
            (void)col[ColReceived].svarint();
        if (kind & kHasSeq)
            (void)col[ColSeqs].svarint();
        if (alloc) {
            (void)col[ColSizes].varint();
            const std::uint64_t code = col[ColPurposes].varint();
            if (code >= kStandardPurposeCount && !isCustom(code))
                return at + "purpose code " + std::to_string(code) + " names no custom purpose";
            if (kind & kHasFreedAt)
                (void)col[ColFreedAt].svarint();
        }
    }
    for (std::size_t c = 0; c < kColumnCount; ++c) {
        if (col[c].failed)
            return "column " + std::string(names[c]) + " ends early or names a missing string";
        if (!col[c].atEnd())
            return "column " + std::string(names[c]) + " holds more than its records";
    }
    return "";
}

// A block of every kind of record: numbered ids (short and long, allocated
// and freed), others, text and raw records, custom purposes (unless
// `standardOnly`: then every id text index and purpose is one byte, every
// id number small and no prefix ends in a digit, so begin() takes its fast
// path), sizes of every length, and freedAt.
SealedBlock sampleBlock(bool standardOnly = false)
{
    static std::deque<std::string> texts; // the messages' views point into it
    CompactBlockEncoder encoder;
    if (!standardOnly)
        for (const Message& m : test::everyKind(600))
            encoder.add(m);
    const std::array<MemoryPurpose, 2> custom{MemoryPurpose::fromName("check-custom-one"),
                                              MemoryPurpose::fromName("check-custom-two")};
    std::mt19937_64 random(17);
    for (std::uint64_t i = 0; i < 900; ++i) {
        const std::int64_t t = 1764000100000 + static_cast<std::int64_t>(i * (random() % 3000));
        if (i % 50 == 7) {
            encoder.addRaw("raw line " + std::to_string(i));
            continue;
        }
        texts.push_back(i % 3 ? "n-" + std::to_string(random() % 100000)
                              : "long-prefix-" + std::to_string(standardOnly ? i % 40 : i) + "x");
        if (i % 5 == 4) {
            encoder.add({FreeMsg{"vm-9", texts.back(), t}, 1000 + i, t + 1});
            continue;
        }
        const MemoryPurpose purpose = i % 7 == 0 && !standardOnly ? custom[i % 2]
                                                                  : MemoryPurpose::fromId(static_cast<std::uint16_t>(i % 8));
        encoder.add({AllocationMsg{texts.back(), i % 2 ? "vm-9" : "vm-10", random() >> (random() % 64), purpose, t,
                                   i % 4 == 1 ? std::optional(t + static_cast<std::int64_t>(random() % 100000)) : std::nullopt},
                     i % 9 ? std::optional(1000 + i) : std::nullopt,
                     i % 6 ? std::optional(t + 2) : std::nullopt});
    }
    auto block = encoder.seal();
    EXPECT_TRUE(block);
    return block ? *block : SealedBlock{};
}

// Where each column of `raw` starts and ends.
std::vector<std::pair<std::size_t, std::size_t>> columnSpans(std::string_view raw)
{
    ColumnCursor head{reinterpret_cast<const unsigned char*>(raw.data()),
                      reinterpret_cast<const unsigned char*>(raw.data() + raw.size())};
    const std::uint64_t columns = head.varint();
    std::vector<std::uint64_t> lengths;
    for (std::uint64_t i = 0; i < columns; ++i)
        lengths.push_back(head.varint());
    std::size_t at = static_cast<std::size_t>(reinterpret_cast<const char*>(head.p) - raw.data());
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    for (const std::uint64_t n : lengths) {
        spans.emplace_back(at, at + n);
        at += n;
    }
    return spans;
}

// `block` damaged in every column in many ways: begin() must refuse what
// referenceCheck refuses, with its words. The problems met, by kind.
std::map<std::string, int> compareWithReference(const SealedBlock& block)
{
    std::map<std::string, int> seen; // each problem met, without its record number
    EXPECT_EQ(referenceCheck(block.raw, block.records), "");
    const auto spans = columnSpans(block.raw);
    EXPECT_EQ(spans.size(), kColumnCount);
    if (spans.size() != kColumnCount)
        return seen;

    BlockDecoder decoder;
    std::size_t checks = 0;
    auto compare = [&](const std::string& raw, std::uint32_t records, const std::string& what) {
        const std::string expected = referenceCheck(raw, records);
        const auto r = decoder.begin(raw, records);
        ++checks;
        if (expected.empty()) {
            EXPECT_TRUE(r) << what << ": " << r.error().message;
            return;
        }
        ASSERT_FALSE(r) << what << " (" << expected << ")";
        ASSERT_EQ(r.error().message, expected) << what;
        EXPECT_EQ(decoder.left(), 0u);
        std::string kind = expected;
        if (kind.starts_with("record "))
            kind = kind.substr(kind.find(": ") + 2);
        if (const auto open = kind.find(" (record "); open != std::string::npos)
            kind = kind.substr(0, open);
        std::erase_if(kind, [](char ch) { return ch >= '0' && ch <= '9'; }); // "kind  is reserved"
        ++seen[kind];
    };

    // Every column damaged at many places, in the ways damage and hand-made files go wrong.
    const std::array<std::pair<char, const char*>, 8> edits{
        {{'^', "\x01"}, {'^', "\x80"}, {'^', "\x40"}, {'^', "\x20"}, {'=', "\x00"}, {'=', "\x0a"}, {'=', "\x7f"}, {'=', "\xff"}}};
    std::mt19937_64 random(2026);
    for (std::size_t c = 0; c < spans.size(); ++c) {
        const auto [from, to] = spans[c];
        std::vector<std::size_t> places;
        for (std::size_t at = from; at < to && at < from + 40; ++at) // its start, every byte
            places.push_back(at);
        for (int k = 0; k < 120 && to > from; ++k) // and anywhere
            places.push_back(from + random() % (to - from));
        for (const std::size_t at : places)
            for (const auto& [op, byte] : edits) {
                std::string raw = block.raw;
                raw[at] = op == '^' ? static_cast<char>(raw[at] ^ byte[0]) : byte[0];
                if (raw == block.raw)
                    continue;
                compare(raw, block.records, "column " + std::to_string(c) + " byte " + std::to_string(at) + " " + op
                                                + std::to_string(static_cast<unsigned char>(byte[0])));
            }
    }
    // Hand-made damage the flips rarely make: numbers past 18 digits, a
    // prefix ending in a digit, varints too long or running past their column.
    {
        std::string raw = block.raw;
        const auto [from, to] = spans[ColIdNumbers];
        for (std::size_t at = from; at < from + 9 && at < to; ++at)
            raw[at] = static_cast<char>(0xFF); // a delta of ~2^62
        compare(raw, block.records, "a huge id number");
        raw = block.raw;
        for (std::size_t at = from + 20; at < from + 31 && at < to; ++at)
            raw[at] = static_cast<char>(0x81); // an 11-byte varint
        compare(raw, block.records, "an over-long id number varint");
        for (const Column col : {ColTimes, ColSizes, ColSeqs, ColReceived, ColFreedAt, ColSessions}) {
            raw = block.raw;
            const auto [b, e] = spans[col];
            for (std::size_t at = b + 3; at < b + 14 && at < e; ++at)
                raw[at] = static_cast<char>(0x80); // an over-long varint
            compare(raw, block.records, "an over-long varint in column " + std::to_string(col));
            raw = block.raw;
            if (e > b) {
                raw[e - 1] = static_cast<char>(raw[e - 1] | 0x80); // the last varint runs past its column
                compare(raw, block.records, "the last varint of column " + std::to_string(col) + " goes on");
            }
        }
        // The string table's "n-" (length 2, then its bytes): the prefix of numbered ids.
        const std::string_view strings(block.raw.data() + spans[ColStrings].first,
                                       spans[ColStrings].second - spans[ColStrings].first);
        const std::size_t prefix = strings.find(std::string_view("\x02n-", 3));
        EXPECT_NE(prefix, std::string::npos);
        raw = block.raw;
        raw[spans[ColStrings].first + prefix + 2] = '5'; // "n5": now ends in a digit
        compare(raw, block.records, "a prefix ending in a digit");
        if (const std::size_t other = block.raw.find("long-prefix-"); other != std::string::npos) {
            raw = block.raw;
            raw[other + 11] = '5'; // "long-prefix5"
            compare(raw, block.records, "another prefix ending in a digit");
        }
    }
    // Fewer and more records than the block holds.
    for (const std::uint32_t records : {0u, 1u, block.records / 2, block.records - 1, block.records + 1, block.records + 100})
        compare(block.raw, records, std::to_string(records) + " records");
    // Cut short anywhere.
    for (std::size_t size = 0; size < block.raw.size(); size += 1 + block.raw.size() / 300)
        compare(block.raw.substr(0, size), block.records, "cut at " + std::to_string(size));

    EXPECT_GT(checks, 10000u);
    return seen;
}

// Each of `problems` met, and more than `columnProblems` of each column problem.
void expectMet(const std::map<std::string, int>& seen, std::initializer_list<const char*> problems, int columnProblems)
{
    for (const char* problem : problems)
        EXPECT_TRUE(seen.contains(problem)) << problem;
    int endsEarly = 0, holdsMore = 0;
    for (const auto& [problem, n] : seen) {
        endsEarly += problem.ends_with("ends early or names a missing string") ? n : 0;
        holdsMore += problem.ends_with("holds more than its records") ? n : 0;
    }
    EXPECT_GT(endsEarly, columnProblems);
    EXPECT_GT(holdsMore, columnProblems);
}

} // namespace

TEST(CompactCheck, RefusesWhatDecodingRecordByRecordRefusesWithTheSameProblem)
{
    const SealedBlock block = sampleBlock();
    ASSERT_GT(block.records, 1400u);
    // Every problem the check can find, met.
    expectMet(compareWithReference(block),
              {"column kinds ends early", "flags on a text record", "column texts ends early", "a line holds a newline",
               "kind  is reserved", "freedAt flag on a free", "id number over  digits", "id prefix ends in a digit",
               "purpose code  names no custom purpose"},
              1000);
}

// ColumnCursor::varintIn (one 8-byte load) reads what varint() reads, at the
// end of its column and of the readable bytes too.
TEST(CompactCheck, VarintInReadsWhatVarintReads)
{
    std::mt19937_64 random(5);
    for (int round = 0; round < 20000; ++round) {
        std::vector<unsigned char> bytes(1 + random() % 24);
        for (auto& b : bytes) // mostly short varints, some long, some not ending
            b = static_cast<unsigned char>(random() % 4 ? random() & 0xFF : 0x80 | (random() & 0x7F));
        const std::size_t columnEnd = random() % (bytes.size() + 1);
        const std::size_t readable = columnEnd + random() % (bytes.size() - columnEnd + 1);
        ColumnCursor a{bytes.data(), bytes.data() + columnEnd}, b = a;
        for (int k = 0; k < 6; ++k) {
            const std::uint64_t va = a.varint();
            const std::uint64_t vb = b.varintIn(bytes.data() + readable);
            ASSERT_EQ(va, vb) << round;
            ASSERT_EQ(a.p, b.p) << round;
            ASSERT_EQ(a.failed, b.failed) << round;
        }
    }
}

// A block as a writer writes it (standard purposes, string indexes of one
// byte, small id numbers) takes begin()'s fast path over ids, purposes and
// sessions; damaged anyhow, it must still be refused as record by record.
TEST(CompactCheck, TheFastPathRefusesWhatDecodingRecordByRecordRefuses)
{
    const SealedBlock block = sampleBlock(true);
    ASSERT_GT(block.records, 800u);
    const auto spans = columnSpans(block.raw);
    ASSERT_EQ(spans.size(), kColumnCount);
    for (const Column c : {ColIdTexts, ColPurposes, ColSessions}) // what makes it take the fast path
        for (std::size_t at = spans[c].first; at < spans[c].second; ++at)
            ASSERT_LT(static_cast<unsigned char>(block.raw[at]), c == ColPurposes ? kStandardPurposeCount : 0x80);
    expectMet(compareWithReference(block),
              {"kind  is reserved", "id number over  digits", "id prefix ends in a digit",
               "purpose code  names no custom purpose"},
              500);
}
