// SPDX-License-Identifier: MIT
// A damaged format-2 file loses only what is damaged: cut at every block
// boundary and inside every block, or with a byte flipped in any block, it
// loads every whole block and says what was lost and where.
#include "compact_test_support.h"

#include "recording/compact_format.h"
#include "recording/compact_reader.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

using namespace flight;
using namespace flight::protocol;
using namespace flight::recording;
namespace fs = std::filesystem;

namespace {

struct Block {
    std::size_t offset, end;
    std::uint32_t records;
};

// The data blocks of a file, walked by their headers.
std::vector<Block> blocksOf(const std::string& bytes)
{
    std::vector<Block> out;
    std::size_t pos = kPreamble.size();
    while (pos + kBlockHeaderBytes <= bytes.size() && bytes.compare(pos, 4, kBlockMagic) == 0) {
        const auto h = parseBlockHeader(reinterpret_cast<const unsigned char*>(bytes.data() + pos));
        if (!h)
            break;
        out.push_back({pos, pos + kBlockHeaderBytes + h->payloadBytes, h->records});
        pos = out.back().end;
    }
    return out;
}

std::uint64_t recordsIn(const std::vector<Block>& blocks, std::size_t upTo)
{
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < upTo; ++i)
        n += blocks[i].records;
    return n;
}

struct Loaded {
    RecordingReadResult read;
    std::uint64_t lines = 0;
    std::uint64_t decodeErrors = 0;
    std::vector<StoreProblem> problems;
};

Loaded load(const std::string& path)
{
    SessionStore store;
    Loaded l;
    l.read = loadRecording(path, store);
    std::uint64_t delivered = 0;
    (void)readRecording(path, [&](std::string_view, std::uint64_t, bool) { ++delivered; });
    l.lines = delivered;
    l.decodeErrors = store.decodeErrors();
    l.problems = store.problems();
    return l;
}

bool mentions(const std::vector<ReadProblem>& problems, std::string_view text)
{
    for (const auto& p : problems)
        if (p.message.find(text) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST(CompactDamage, ClosedFileHasFooterAndNoProblem)
{
    test::ScratchDir dir("compact-closed");
    const auto [path, bytes] = test::writeCompactFile(dir, 4000, 500);
    EXPECT_EQ(bytes.substr(bytes.size() - 8), kTrailerMagic);
    const auto blocks = blocksOf(bytes);
    EXPECT_GE(blocks.size(), 9u);
    const auto l = load(path);
    EXPECT_TRUE(l.read.problems.empty());
    EXPECT_EQ(l.lines, recordsIn(blocks, blocks.size()));
    EXPECT_EQ(l.read.lines, l.lines);
}

TEST(CompactDamage, CutAtEveryBlockBoundaryAndInsideBlocksLoadsTheWholeBlocks)
{
    test::ScratchDir dir("compact-cut");
    const auto [path, bytes] = test::writeCompactFile(dir, 3000, 400);
    const auto blocks = blocksOf(bytes);
    ASSERT_GE(blocks.size(), 8u);
    const std::string cut = (dir / "cut.fmr").string();
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        for (const std::size_t at : {blocks[b].offset, blocks[b].offset + 3, blocks[b].offset + kBlockHeaderBytes,
                                     (blocks[b].offset + blocks[b].end) / 2, blocks[b].end - 1, blocks[b].end}) {
            SCOPED_TRACE("block " + std::to_string(b) + ", cut at byte " + std::to_string(at));
            ASSERT_TRUE(test::writeFile(cut, std::string_view(bytes).substr(0, at)));
            const auto l = load(cut);
            const std::size_t whole = at == blocks[b].end ? b + 1 : b;
            EXPECT_EQ(l.lines, recordsIn(blocks, whole));
            EXPECT_EQ(l.read.lines, recordsIn(blocks, whole));
            ASSERT_EQ(l.read.problems.size(), 1u);
            EXPECT_EQ(l.read.problems[0].kind, ReadProblemKind::CompressedCut);
            EXPECT_TRUE(mentions(l.read.problems, "file cut")) << l.read.problems[0].message;
            EXPECT_EQ(l.read.problems[0].line, recordsIn(blocks, whole) + 1);
            EXPECT_EQ(l.decodeErrors, recordsIn(blocks, whole) > 4 ? 2u : 0u) << "only the two malformed frames";
        }
    }
}

TEST(CompactDamage, AFlippedByteLosesOnlyItsBlock)
{
    test::ScratchDir dir("compact-flip");
    const auto [path, bytes] = test::writeCompactFile(dir, 3000, 400);
    const auto blocks = blocksOf(bytes);
    const std::uint64_t all = recordsIn(blocks, blocks.size());
    const std::string bad = (dir / "bad.fmr").string();
    for (std::size_t b = 1; b < blocks.size(); ++b) {
        for (const std::size_t at : {blocks[b].offset, blocks[b].offset + 5, blocks[b].offset + 20,
                                     blocks[b].offset + 41, blocks[b].offset + kBlockHeaderBytes + 2,
                                     (blocks[b].offset + blocks[b].end) / 2, blocks[b].end - 1}) {
            SCOPED_TRACE("block " + std::to_string(b) + ", byte " + std::to_string(at));
            std::string damaged = bytes;
            damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
            ASSERT_TRUE(test::writeFile(bad, damaged));
            const auto l = load(bad);
            EXPECT_EQ(l.lines, all - blocks[b].records);
            ASSERT_EQ(l.read.problems.size(), 1u);
            EXPECT_EQ(l.read.problems[0].kind, ReadProblemKind::CompressedCorrupt);
            EXPECT_EQ(l.read.problems[0].line, recordsIn(blocks, b) + 1);
            EXPECT_TRUE(mentions(l.read.problems, "format-2 block at byte " + std::to_string(blocks[b].offset)))
                << l.read.problems[0].message;
            EXPECT_EQ(l.decodeErrors, (b == 1 ? 0u : 2u) + 1u) << "the malformed frames (in block 1), and the lost block";
        }
    }
}

TEST(CompactDamage, NotAFileIsAnIoError)
{
    const auto r = readRecording("/nonexistent/dir/x.fmr", [](std::string_view, std::uint64_t, bool) {});
    EXPECT_TRUE(r.ioError.has_value());
}

// Blocks decoded ahead on a second thread (the default) reach the sink,
// problems and progress in the same order and with the same content as when
// decoded in line, damaged or not.
TEST(CompactDamage, DecodingAheadDeliversWhatDecodingInLineDoes)
{
    test::ScratchDir dir("compact-ahead");
    const auto [path, bytes] = test::writeCompactFile(dir, 3000, 400);
    const auto blocks = blocksOf(bytes);
    ASSERT_GE(blocks.size(), 4u);
    std::string damaged = bytes;
    damaged[blocks[2].offset + kBlockHeaderBytes + 2] ^= 0x5A;
    const std::string bad = (dir / "bad.fmr").string();
    ASSERT_TRUE(test::writeFile(bad, std::string_view(damaged).substr(0, (blocks[3].offset + blocks[3].end) / 2)));
    for (const std::string& file : {path, bad}) {
        std::vector<std::string> seen[2];
        RecordingReadResult results[2];
        for (const bool ahead : {false, true}) {
            auto& log = seen[ahead];
            RecordingReadOptions o;
            o.zstdThread = ahead;
            o.onProblem = [&](const ReadProblem& p) { log.push_back("problem " + p.message); };
            o.progress = [&](double share) { log.push_back("progress " + std::to_string(share)); };
            results[ahead] = readCompactRecording(file, [&](std::span<const CompactRecord> records, std::uint64_t first) {
                std::string text = "block " + std::to_string(first) + " " + std::to_string(records.size());
                for (const auto& r : records)
                    text += " " + std::to_string(static_cast<int>(r.kind)) + ":" + std::to_string(r.idKey) + ":"
                            + std::string(r.text);
                log.push_back(std::move(text));
            }, o);
        }
        EXPECT_EQ(seen[0], seen[1]) << file;
        EXPECT_EQ(results[0].lines, results[1].lines);
        EXPECT_EQ(results[0].problems.size(), results[1].problems.size());
        EXPECT_EQ(results[0].bytesRead, results[1].bytesRead);
        EXPECT_GT(seen[1].size(), blocks.size() / 2);
    }
}

// A sink that throws while blocks are decoded ahead stops the reading thread
// and the exception reaches the caller (no hang, no thread left running).
TEST(CompactDamage, ASinkThatThrowsStopsDecodingAhead)
{
    test::ScratchDir dir("compact-throw");
    const std::string path = (dir / "a.fmr").string();
    test::writeMessages(path, test::everyKind(3000), RecordingFormat::Compact, 200);
    int calls = 0;
    EXPECT_THROW((void)readCompactRecording(path, [&](std::span<const CompactRecord>, std::uint64_t) {
        if (++calls == 2)
            throw std::runtime_error("sink gave up");
    }), std::runtime_error);
    EXPECT_EQ(calls, 2);
}

// A block of more records than a run (4,096) reaches the sink in runs, in
// order and whole, decoded ahead or in line. A block whose payload fails its
// check only after its last record (its header counts one record fewer, the
// checksum made to match) reaches the sink not at all: the whole payload is
// checked before any run of it is handed over.
TEST(CompactDamage, ABigBlockArrivesInRunsOnlyOnceAllOfItChecks)
{
    test::ScratchDir dir("compact-runs");
    const auto [path, bytes] = test::writeCompactFile(dir, 20000, 30000);
    const auto blocks = blocksOf(bytes);
    const auto big = std::ranges::max_element(blocks, {}, &Block::records);
    ASSERT_NE(big, blocks.end());
    ASSERT_GT(big->records, 4u * 4096);
    const std::uint64_t all = recordsIn(blocks, blocks.size());
    const std::uint64_t bigFirst = recordsIn(blocks, static_cast<std::size_t>(big - blocks.begin())) + 1;
    std::string damaged = bytes;
    const std::size_t at = big->offset;
    std::string count;
    putU32(count, big->records - 1);
    damaged.replace(at + 12, 4, count);
    std::string crc;
    putU32(crc, crc32(std::string_view(damaged).substr(at + kBlockHeaderBytes, big->end - at - kBlockHeaderBytes),
                      crc32(std::string_view(damaged).substr(at, 40))));
    damaged.replace(at + 40, 4, crc);
    const std::string bad = (dir / "bad.fmr").string();
    ASSERT_TRUE(test::writeFile(bad, damaged));
    for (const bool ahead : {false, true}) {
        SCOPED_TRACE(ahead ? "decoded ahead" : "decoded in line");
        RecordingReadOptions o;
        o.zstdThread = ahead;
        std::vector<std::pair<std::uint64_t, std::size_t>> runs;
        auto sink = [&](std::span<const CompactRecord> r, std::uint64_t first) { runs.emplace_back(first, r.size()); };
        const auto whole = readCompactRecording(path, sink, o);
        EXPECT_TRUE(whole.problems.empty());
        EXPECT_EQ(whole.lines, all);
        std::uint64_t next = 1, inBig = 0;
        for (const auto& [first, size] : runs) {
            EXPECT_EQ(first, next);
            EXPECT_LE(size, 4096u);
            if (first >= bigFirst && first < bigFirst + big->records)
                ++inBig;
            next += size;
        }
        EXPECT_EQ(next, all + 1);
        EXPECT_EQ(inBig, (big->records + 4095) / 4096);

        runs.clear();
        const auto refused = readCompactRecording(bad, sink, o);
        std::uint64_t delivered = 0;
        for (const auto& [first, size] : runs) {
            EXPECT_TRUE(first + size <= bigFirst || first >= bigFirst + big->records)
                << "a run of the block that does not check, at line " << first;
            delivered += size;
        }
        EXPECT_EQ(delivered, all - big->records);
        ASSERT_EQ(refused.problems.size(), 1u);
        EXPECT_EQ(refused.problems[0].kind, ReadProblemKind::CompressedCorrupt);
        EXPECT_TRUE(mentions(refused.problems, "holds more than its records")) << refused.problems[0].message;
    }
}
