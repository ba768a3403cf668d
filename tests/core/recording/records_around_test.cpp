// SPDX-License-Identifier: MIT
// Seeking a format-2 recording to one time reads only the blocks whose time
// range holds it (and a neighbour for context), and the rows it gives are the
// file's own records around that time, as a full read numbers them. On a real
// generated recording.
#include "recording/compact_index.h"
#include "recording/compact_reader.h"
#include "recording/records_around.h"

#include "generated_workload.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

#include <map>

using namespace flight;
using namespace flight::recording;

namespace {

struct Generated {
    test::ScratchDir dir{"records-around"};
    std::string path = (dir / "w.fmr").string();
    Generated()
    {
        if (!test::writeGeneratedWorkload(path, "v6r-large", 400'000, 5, true))
            path.clear();
    }
};

const Generated& generated()
{
    static const Generated g;
    return g;
}

} // namespace

TEST(RecordsAround, ReadsOnlyTheBlocksHoldingTheTimeAndGivesTheRecordsAroundIt)
{
    const std::string& path = generated().path;
    ASSERT_FALSE(path.empty());
    const auto index = readCompactIndex(path);
    ASSERT_TRUE(index.has_value()) << index.error().message;
    ASSERT_GE(index->blocks.size(), 6u);

    const IndexedBlock& mid = index->blocks[index->blocks.size() / 2];
    const std::int64_t t = mid.minTime + (mid.maxTime - mid.minTime) / 2;
    const auto holding = blocksBetween(*index, t, t);
    ASSERT_FALSE(holding.empty());
    std::uint64_t holdingRecords = 0;
    for (const auto& b : holding)
        holdingRecords += b.records;

    const auto around = readRecordsAround(path, *index, t, {}, 200);
    ASSERT_TRUE(around.has_value()) << around.error().message;
    // The middle of a block holds enough on both sides: no neighbour is read.
    EXPECT_EQ(around->blocksRead, holding.size());
    EXPECT_EQ(around->recordsRead, holdingRecords);
    EXPECT_EQ(around->blocksTotal, index->blocks.size());
    EXPECT_LT(around->blocksRead * 3, around->blocksTotal);
    EXPECT_TRUE(around->problems.empty());
    ASSERT_EQ(around->rows.size(), 200u);
    EXPECT_EQ(around->rowsBefore, 100u);
    EXPECT_LT(around->rows[99].timeMs, t);
    EXPECT_GE(around->rows[100].timeMs, t);
    for (std::size_t i = 1; i < around->rows.size(); ++i)
        ASSERT_LE(around->rows[i - 1].timeMs, around->rows[i].timeMs) << "row " << i;

    // Each row is the file's record at that line, as a full read gives it.
    std::map<std::uint64_t, const RecordAround*> wanted;
    for (const auto& r : around->rows)
        wanted[r.line] = &r;
    std::size_t matched = 0, allocations = 0;
    protocol::RecordingReadOptions o;
    o.zstdThread = false;
    (void)readCompactRecording(path, [&](std::span<const CompactRecord> records, std::uint64_t firstLine) {
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto it = wanted.find(firstLine + i);
            if (it == wanted.end())
                continue;
            const CompactRecord& r = records[i];
            ASSERT_EQ(it->second->kind, r.kind) << "line " << it->first;
            if (const auto* a = std::get_if<protocol::AllocationMsg>(&r.message.payload); a && r.kind == RecordKind::Allocation) {
                EXPECT_EQ(it->second->type, "allocation");
                EXPECT_EQ(it->second->id, a->id);
                EXPECT_EQ(it->second->bytes, a->bytes);
                EXPECT_EQ(it->second->timeMs, a->allocatedAt);
                ++allocations;
            } else if (const auto* f = std::get_if<protocol::FreeMsg>(&r.message.payload); f && r.kind == RecordKind::Free) {
                EXPECT_EQ(it->second->type, "free");
                EXPECT_EQ(it->second->id, f->allocationId);
                EXPECT_EQ(it->second->timeMs, f->freedAt);
            }
            ++matched;
        }
    }, o);
    EXPECT_EQ(matched, 200u);
    EXPECT_GT(allocations, 50u);
    // Other messages are decoded: a memory update says its used figure.
    std::size_t updates = 0;
    for (const auto& r : around->rows)
        if (r.type == "memory_update") {
            ++updates;
            EXPECT_TRUE(r.text.starts_with("used ")) << r.text;
        }
    EXPECT_GE(updates, 1u);
}

TEST(RecordsAround, AtABlockEdgeTheNeighbourIsReadForContext)
{
    const std::string& path = generated().path;
    ASSERT_FALSE(path.empty());
    const auto index = readCompactIndex(path);
    ASSERT_TRUE(index.has_value());
    const std::size_t i = index->blocks.size() / 2;
    const IndexedBlock& b = index->blocks[i];
    // Before the block's first time only the block before holds it; after it, less than half the rows.
    const std::int64_t t = b.minTime;
    const auto holding = blocksBetween(*index, t, t);
    const auto around = readRecordsAround(path, *index, t, {}, 200);
    ASSERT_TRUE(around.has_value());
    EXPECT_LE(around->blocksRead, holding.size() + 2);
    EXPECT_GE(around->blocksRead, holding.size());
    EXPECT_LT(around->blocksRead, around->blocksTotal);
    ASSERT_EQ(around->rows.size(), 200u);
    EXPECT_GE(around->rowsBefore, 100u - 1);

    // Before the first record and after the last: the nearest block, one side of rows.
    const auto firstTimed = std::ranges::find_if(index->blocks, [](const IndexedBlock& x) { return x.minTime <= x.maxTime; });
    ASSERT_NE(firstTimed, index->blocks.end());
    const auto start = readRecordsAround(path, *index, firstTimed->minTime - 60'000, {}, 200);
    ASSERT_TRUE(start.has_value());
    EXPECT_EQ(start->rowsBefore, 0u);
    EXPECT_EQ(start->rows.size(), 200u);
    EXPECT_LE(start->blocksRead, 2u); // the first timed block, and the header's before it
    EXPECT_LE(start->rows.front().timeMs, firstTimed->maxTime);
    EXPECT_LE(start->rows.front().line, firstTimed->firstRecord + 2);
}

TEST(RecordsAround, AnotherSessionsRecordsAreLeftOut)
{
    const std::string& path = generated().path;
    ASSERT_FALSE(path.empty());
    const auto index = readCompactIndex(path);
    ASSERT_TRUE(index.has_value());
    const auto none = readRecordsAround(path, *index, index->blocks[1].minTime, "no-such-session", 200);
    ASSERT_TRUE(none.has_value());
    for (const auto& r : none->rows)
        EXPECT_NE(r.kind, RecordKind::Allocation) << "line " << r.line;
}
