// SPDX-License-Identifier: MIT
// The block index of a format-2 file: read from the footer when the file was
// closed, walked from the block headers when it was cut or its footer is
// damaged (cut at every byte of the footer, flipped bytes in it), and seeking
// by time reads only the blocks it needs.
#include "compact_test_support.h"

#include "recording/compact_format.h"
#include "recording/compact_index.h"
#include "recording/compact_reader.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

using namespace flight;
using namespace flight::protocol;
using namespace flight::recording;

namespace {

struct Delivered {
    std::uint64_t firstLine;
    std::size_t records;
    bool operator==(const Delivered&) const = default;
};

// What a full read delivers, block by block.
std::vector<Delivered> fullRead(const std::string& path)
{
    std::vector<Delivered> out;
    RecordingReadOptions o;
    o.zstdThread = false;
    (void)readCompactRecording(path, [&](std::span<const CompactRecord> r, std::uint64_t first) {
        out.push_back({first, r.size()});
    }, o);
    return out;
}

std::vector<Delivered> asDelivered(const std::vector<IndexedBlock>& blocks)
{
    std::vector<Delivered> out;
    for (const auto& b : blocks)
        out.push_back({b.firstRecord + 1, b.records});
    return out;
}

} // namespace

TEST(CompactIndex, ClosedFileIndexComesFromTheFooterAndMatchesItsBlocks)
{
    test::ScratchDir dir("compact-index");
    const std::string path = (dir / "a.fmr").string();
    test::writeMessages(path, test::everyKind(6000), RecordingFormat::Compact, 50); // > 64 blocks: two checkpoints
    const auto index = readCompactIndex(path);
    ASSERT_TRUE(index.has_value()) << index.error().message;
    EXPECT_TRUE(index->fromFooter);
    EXPECT_GT(index->blocks.size(), 64u);
    EXPECT_EQ(asDelivered(index->blocks), fullRead(path));
    std::size_t timed = 0;
    for (const auto& b : index->blocks)
        timed += b.minTime <= b.maxTime;
    EXPECT_GT(timed, index->blocks.size() / 2) << "blocks hold their records' time range";
}

TEST(CompactIndex, CutOrDamagedFooterFallsBackToTheBlockHeaders)
{
    test::ScratchDir dir("compact-index-cut");
    const auto [path, bytes] = test::writeCompactFile(dir, 3000, 400);
    const auto whole = readCompactIndex(path);
    ASSERT_TRUE(whole.has_value());
    ASSERT_TRUE(whole->fromFooter);
    const IndexedBlock& last = whole->blocks.back();
    const std::string cut = (dir / "cut.fmr").string();
    // Cut at every byte from the last block's header to the end: every whole block is still indexed.
    for (std::size_t at = last.offset; at < bytes.size(); ++at) {
        SCOPED_TRACE("cut at byte " + std::to_string(at));
        ASSERT_TRUE(test::writeFile(cut, std::string_view(bytes).substr(0, at)));
        const auto index = readCompactIndex(cut);
        ASSERT_TRUE(index.has_value());
        EXPECT_FALSE(index->fromFooter);
        EXPECT_EQ(asDelivered(index->blocks), fullRead(cut));
    }
    // A flipped byte anywhere in the footer checkpoint or trailer: walked, all blocks there.
    for (std::size_t at = bytes.size() - 60; at < bytes.size(); ++at) {
        SCOPED_TRACE("byte " + std::to_string(at) + " flipped");
        ASSERT_TRUE(test::writeFlipped(cut, bytes, at));
        const auto index = readCompactIndex(cut);
        ASSERT_TRUE(index.has_value());
        EXPECT_EQ(asDelivered(index->blocks), asDelivered(whole->blocks));
    }
    ASSERT_TRUE(test::writeFile(cut, "not a recording"));
    EXPECT_FALSE(readCompactIndex(cut).has_value());
}

TEST(CompactIndex, SeekingReadsOnlyTheBlocksOfTheTimeAsked)
{
    test::ScratchDir dir("compact-index-seek");
    const std::string path = (dir / "a.fmr").string();
    test::writeMessages(path, test::everyKind(4000), RecordingFormat::Compact, 200);
    const auto index = readCompactIndex(path);
    ASSERT_TRUE(index.has_value());
    ASSERT_GE(index->blocks.size(), 10u);
    const IndexedBlock& mid = index->blocks[index->blocks.size() / 2];
    const auto wanted = blocksBetween(*index, mid.minTime, mid.maxTime);
    ASSERT_FALSE(wanted.empty());
    EXPECT_LT(wanted.size(), index->blocks.size() / 2);
    std::vector<Delivered> got;
    const auto r = readCompactBlocks(path, wanted, [&](std::span<const CompactRecord> records, std::uint64_t first) {
        got.push_back({first, records.size()});
    });
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(got, asDelivered(wanted));
    // A block index that points at nothing is reported, not trusted.
    std::vector<IndexedBlock> wrong{{mid.offset + 1, mid.firstRecord, mid.records, mid.minTime, mid.maxTime}};
    const auto bad = readCompactBlocks(path, wrong, [](std::span<const CompactRecord>, std::uint64_t) {});
    ASSERT_EQ(bad.problems.size(), 1u);
    EXPECT_EQ(bad.problems[0].kind, ReadProblemKind::CompressedCorrupt);
}
