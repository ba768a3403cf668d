// SPDX-License-Identifier: MIT
// Format 2 keeps every message exactly: what a format-2 file reads back is,
// line for line, what the same messages written as JSON Lines read back, and
// converting between the formats loses nothing.
#include "compact_test_support.h"

#include "protocol/message_decoder.h"
#include "protocol/message_encoder.h"
#include "recording/compact_block_decoder.h"
#include "recording/compact_block_encoder.h"
#include "recording/compact_index.h"
#include "recording/compact_reader.h"
#include "recording/convert_recording.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

#include <zstd.h>

#include <filesystem>

using namespace flight;
using namespace flight::protocol;
using namespace flight::recording;
namespace fs = std::filesystem;

namespace {

// One block of `messages` (then the malformed frame `raw`, when given), compressed as the writer does.
std::string encodeBlock(const std::vector<Message>& messages, const char* raw = nullptr)
{
    CompactBlockEncoder encoder;
    for (const auto& m : messages)
        encoder.add(m);
    if (raw)
        encoder.addRaw(raw);
    std::string block;
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    EXPECT_TRUE(encoder.finish(block, 0, cctx));
    ZSTD_freeCCtx(cctx);
    return block;
}

} // namespace

TEST(CompactRecording, EveryMessageKindDecodesToItself)
{
    const auto messages = test::everyKind(200);
    const std::string block = encodeBlock(messages, "not json \x01 kept");

    const auto header = parseBlockHeader(reinterpret_cast<const unsigned char*>(block.data()));
    ASSERT_TRUE(header);
    EXPECT_EQ(header->records, messages.size() + 1);
    EXPECT_EQ(header->minTime, 1764000000000);
    EXPECT_EQ(header->maxTime, 1764000900001);
    std::string raw(header->rawBytes, '\0');
    ASSERT_EQ(ZSTD_decompress(raw.data(), raw.size(), block.data() + kBlockHeaderBytes, header->payloadBytes), raw.size());
    std::vector<CompactRecord> records;
    BlockScratch scratch;
    ASSERT_TRUE(decodeBlockPayload(raw, header->records, records, scratch));
    ASSERT_EQ(records.size(), messages.size() + 1);
    std::size_t columns = 0;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const CompactRecord& r = records[i];
        if (r.kind == RecordKind::Text) {
            MessageDecoder d;
            auto m = d.decode(r.text, i + 1);
            ASSERT_TRUE(m && *m) << r.text;
            EXPECT_EQ(**m, messages[i]) << r.text;
        } else {
            ++columns;
            EXPECT_EQ(r.message, messages[i]) << encode(messages[i]);
        }
    }
    EXPECT_EQ(columns, 200u + 9u) << "every allocation (a custom purpose too) and every free goes into columns";
    EXPECT_EQ(records.back().kind, RecordKind::Raw);
    EXPECT_EQ(records.back().text, "not json \x01 kept");
}

// A traced program's allocations are mostly of one custom purpose
// (`unclassified`; here `unknown`): its name is in the block's string table once, each
// record holds a one-byte code; a name the JSON decoder would refuse stays a
// text record (refused alone when loading, not the whole block).
TEST(CompactRecording, CustomPurposesGoIntoColumnsByName)
{
    const MemoryPurpose unclassified = MemoryPurpose::fromName("unknown");
    const MemoryPurpose arena = MemoryPurpose::fromName("arena");
    const std::string longName(300, 'p');
    const MemoryPurpose tooLong = MemoryPurpose::fromName(longName);
    std::vector<Message> messages;
    for (std::uint64_t i = 0; i < 1000; ++i)
        messages.push_back({AllocationMsg{"a", "trace-1", 16 + i, i % 10 == 9 ? arena : unclassified,
                                          1764000000000 + static_cast<std::int64_t>(i), std::nullopt},
                            i, std::nullopt});
    messages.push_back({AllocationMsg{"b", "trace-1", 1, tooLong, 1764000001000, std::nullopt}, 1000, std::nullopt});
    const std::string block = encodeBlock(messages);
    const auto header = parseBlockHeader(reinterpret_cast<const unsigned char*>(block.data()));
    ASSERT_TRUE(header);
    std::string raw(header->rawBytes, '\0');
    ASSERT_EQ(ZSTD_decompress(raw.data(), raw.size(), block.data() + kBlockHeaderBytes, header->payloadBytes), raw.size());
    EXPECT_LT(raw.size(), 1000u * 10) << "no JSON text (~150 bytes a record): 8 bytes a record, and the long one";
    std::vector<CompactRecord> records;
    BlockScratch scratch;
    ASSERT_TRUE(decodeBlockPayload(raw, header->records, records, scratch));
    ASSERT_EQ(records.size(), messages.size());
    for (std::size_t i = 0; i < 1000; ++i) {
        ASSERT_EQ(records[i].kind, RecordKind::Allocation) << i;
        EXPECT_EQ(records[i].message, messages[i]) << i;
    }
    EXPECT_EQ(scratch.decoder.strings(), (std::vector<std::string_view>{"trace-1", "a", "unknown", "arena"}));
    ASSERT_EQ(records.back().kind, RecordKind::Text);
    EXPECT_NE(records.back().text.find(longName), std::string_view::npos);

    // A purpose code naming a standard purpose's name is damage (the
    // encoder never writes one so): "unknown" becomes "vm-heap", same length.
    std::string bad = raw;
    bad.replace(bad.find("unknown"), 7, "vm-heap");
    std::vector<CompactRecord> out;
    const auto r = decodeBlockPayload(bad, header->records, out, scratch);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("record 0: purpose code 10 names no custom purpose"), std::string::npos)
        << r.error().message;
}

TEST(CompactRecording, ReadsBackTheLinesJsonLinesHolds)
{
    test::ScratchDir dir("compact-lines");
    const auto messages = test::everyKind(5000);
    const std::string jsonl = (dir / "a.jsonl").string(), fmr = (dir / "a.fmr").string();
    test::writeMessages(jsonl, messages, RecordingFormat::Jsonl, 700);
    test::writeMessages(fmr, messages, RecordingFormat::Compact, 700);
    RecordingReadResult rj, rf;
    auto a = test::linesOf(jsonl, &rj);
    auto b = test::linesOf(fmr, &rf);
    ASSERT_EQ(a.size(), messages.size() + 3);
    ASSERT_EQ(b.size(), a.size());
    EXPECT_NE(b[0].find("\"format\":\"flight-memory-recording/2\""), std::string::npos) << b[0];
    a[0].replace(a[0].find("recording/1"), 11, "recording/2");
    for (std::size_t i = 0; i < a.size(); ++i)
        ASSERT_EQ(a[i], b[i]) << "line " << i + 1;
    EXPECT_TRUE(rf.problems.empty()) << rf.problems.front().message;
    EXPECT_EQ(rf.lines, rj.lines);
    EXPECT_LT(fs::file_size(fmr) * 4, fs::file_size(jsonl));
    EXPECT_EQ(test::loadedSummary(fmr), test::loadedSummary(jsonl));
}

// Blocks are compressed and written on the writer's own thread: flush()
// returns once they are in the file, flushes due on append soon after, and
// the summary that thread counts is in the footer as before.
TEST(CompactRecording, FlushReturnsOnceTheBlocksAreInTheFile)
{
    test::ScratchDir dir("compact-flush");
    const auto messages = test::everyKind(2500);
    const std::string fmr = (dir / "a.fmr").string(), copy = (dir / "copy.fmr").string();
    RecordingWriterOptions o;
    o.format = RecordingFormat::Compact;
    o.flushEveryMessages = 1000;
    o.flushInterval = std::chrono::hours(1);
    auto w = RecordingWriter::create(fmr, o);
    ASSERT_TRUE(w) << w.error().message;
    for (const auto& m : messages)
        ASSERT_TRUE(w->append(m, 1764000000999));
    ASSERT_TRUE(w->flush());
    fs::copy_file(fmr, copy); // what a process killed now leaves: every message, no footer
    ASSERT_TRUE(w->close());
    RecordingReadResult cut, whole;
    const auto before = test::linesOf(copy, &cut);
    const auto after = test::linesOf(fmr, &whole);
    ASSERT_EQ(before.size(), messages.size() + 1);
    EXPECT_EQ(before, after);
    EXPECT_TRUE(whole.problems.empty()) << whole.problems.front().message;
    EXPECT_EQ(test::loadedSummary(copy), test::loadedSummary(fmr));
    const auto summary = readCompactSummary(fmr);
    ASSERT_TRUE(summary && *summary);
    EXPECT_EQ((*summary)->records, messages.size() + 1);
    ASSERT_EQ((*summary)->sessions.size(), 1u);
    EXPECT_EQ((*summary)->sessions.front().sessionId, "vm-7");
}

TEST(CompactRecording, ConvertsBothWaysLosslessly)
{
    test::ScratchDir dir("compact-convert");
    const std::string jsonl = (dir / "a.jsonl").string();
    test::writeMessages(jsonl, test::everyKind(3000), RecordingFormat::Jsonl);
    const std::string fmr = (dir / "a.fmr").string(), back = (dir / "b.jsonl").string(),
                      zst = (dir / "c.jsonl.zst").string(), back2 = (dir / "d.jsonl").string();
    auto c = convertRecording(jsonl, fmr, outputFormatFor(fmr));
    ASSERT_TRUE(c) << c.error().message;
    MessageDecoder d;
    std::uint64_t n = 0, notCanonical = 0;
    for (const auto& line : test::linesOf(jsonl)) {
        auto m = d.decode(line, ++n);
        notCanonical += !m || !*m || encode(**m) != line;
    }
    EXPECT_EQ(notCanonical, 2u) << "the two malformed frames";
    EXPECT_EQ(c->kept, notCanonical);
    ASSERT_TRUE(convertRecording(fmr, back, outputFormatFor(back)));
    EXPECT_EQ(test::readFile(back), test::readFile(jsonl));
    ASSERT_TRUE(convertRecording(fmr, zst, outputFormatFor(zst)));
    ASSERT_TRUE(convertRecording(zst, back2, outputFormatFor(back2)));
    EXPECT_EQ(test::readFile(back2), test::readFile(jsonl));
    EXPECT_EQ(test::loadedSummary(fmr), test::loadedSummary(jsonl));
}

TEST(CompactRecording, ConformanceVectorsLoadTheSameAfterConverting)
{
    test::ScratchDir dir("compact-conformance");
    for (const auto& entry : fs::directory_iterator(FLIGHT_TEST_DATA "/conformance")) {
        if (entry.path().extension() != ".jsonl")
            continue;
        SCOPED_TRACE(entry.path().string());
        const std::string fmr = (dir / (entry.path().stem().string() + ".fmr")).string();
        const std::string back = (dir / entry.path().filename().string()).string();
        auto c = convertRecording(entry.path().string(), fmr, OutputFormat::Compact);
        ASSERT_TRUE(c) << c.error().message;
        EXPECT_TRUE(isFormat2File(fmr));
        RecordingReadResult rj, rf;
        EXPECT_EQ(test::loadedSummary(fmr, &rf), test::loadedSummary(entry.path().string(), &rj));
        EXPECT_EQ(rf.lines, rj.lines);
        ASSERT_TRUE(convertRecording(fmr, back, OutputFormat::Jsonl));
        std::string original = test::readFile(entry.path());
        if (!original.empty() && original.back() != '\n')
            original.push_back('\n'); // a last line without its newline gets one
        EXPECT_EQ(test::readFile(back), original);
    }
}

// The blocks' checksum is the CRC-32 docs/recordings.md names (zlib's: the
// reflected polynomial 0xEDB88320, init and final xor ~0), continued across
// calls as the reader continues it from the header to the payload.
TEST(CompactRecording, ChecksumIsZlibsCrc32ContinuedAcrossCalls)
{
    auto reference = [](std::string_view bytes, std::uint32_t crc) { // one bit at a time, from the definition
        crc = ~crc;
        for (const char ch : bytes) {
            crc ^= static_cast<unsigned char>(ch);
            for (int k = 0; k < 8; ++k)
                crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    };
    EXPECT_EQ(crc32("123456789"), 0xCBF43926u); // the CRC-32 check value
    EXPECT_EQ(crc32(""), 0u);
    EXPECT_EQ(crc32("", 0x12345678u), 0x12345678u);
    std::string bytes;
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 100003; ++i) { // odd lengths and offsets: every tail and alignment
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        bytes.push_back(static_cast<char>(x));
    }
    for (const std::size_t n : {1u, 3u, 7u, 8u, 15u, 16u, 33u, 1000u, 65536u, 100003u}) {
        const std::string_view all = std::string_view(bytes).substr(0, n);
        const std::uint32_t whole = reference(all, 0);
        EXPECT_EQ(crc32(all), whole) << n;
        const std::size_t cut = n / 3;
        EXPECT_EQ(crc32(all.substr(cut), crc32(all.substr(0, cut))), whole) << n;
        EXPECT_EQ(crc32(all.substr(1), reference(all.substr(0, 1), 0)), whole) << n;
    }
}
