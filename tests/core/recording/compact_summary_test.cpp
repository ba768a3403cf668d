// SPDX-License-Identifier: MIT
// The usage summary of a format-2 file (docs/recordings.md, "Summary"): it
// round-trips, agrees with the loaded model's figures, a cut file gives its
// last periodic checkpoint's summary, and a damaged or absent one gives none
// (the window then loads the whole file) while the full read is unchanged.
#include "compact_test_support.h"

#include "generator/workload_recording.h"
#include "recording/compact_format.h"
#include "recording/compact_index.h"
#include "recording/usage_summary.h"
#include "recording/usage_summary_builder.h"

#include "fuzz_checks.h"
#include "scratch_files.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace flight;
using namespace flight::protocol;
using namespace flight::recording;

namespace {

const SessionSummary* find(const RecordingSummary& s, std::string_view id)
{
    for (const auto& x : s.sessions)
        if (x.sessionId == id)
            return &x;
    return nullptr;
}

// Every session's peak, used at the end, total and platform as the full load gives them.
void expectAgreesWithTheModel(const RecordingSummary& summary, const std::string& path)
{
    SessionStore store;
    (void)loadRecording(path, store);
    ASSERT_EQ(summary.sessions.size(), store.sessionCount());
    for (std::size_t i = 0; i < store.sessionCount(); ++i) {
        const SessionModel& m = store.session(i);
        SCOPED_TRACE(m.info().sessionId);
        const SessionSummary* s = find(summary, m.info().sessionId);
        ASSERT_NE(s, nullptr);
        EXPECT_EQ(s->peakBytes, m.peakBytes());
        ASSERT_FALSE(s->points.empty());
        EXPECT_EQ(s->points.back().usedBytes, m.usedBytes());
        EXPECT_LE(s->points.back().timeMs, m.lastMs()); // the last change of used, not the last message
        EXPECT_EQ(s->platform, m.info().platform);
        EXPECT_LE(s->points.size(), kMaxSummaryPoints);
        std::uint64_t highest = 0;
        for (const auto& p : s->points)
            highest = std::max(highest, p.usedBytes);
        EXPECT_EQ(highest, s->peakBytes); // the peak is one of the points: the timeline draws it
    }
}

} // namespace

TEST(CompactSummary, PayloadRoundTrips)
{
    RecordingSummary s;
    s.records = 123456789;
    s.notSummarised = 2;
    s.sessions.push_back({"vm-7", "v6r-small", 536870912, 99, 4096, -5, {}});
    s.sessions.push_back({"", "", 0, 0, 0, 0, {}});
    for (int i = 0; i < 100; ++i)
        s.sessions[0].points.push_back({1764000000000 + i * (i % 2 ? -3 : 7), std::uint64_t(i) << 40,
                                        {i, -i, 1ll << 62, 0, 5, 6, 7, std::numeric_limits<std::int64_t>::min()}});
    std::string section;
    ASSERT_TRUE(appendSummarySection(section, s));
    const auto back = parseSummarySection(section);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
    // Any flipped byte: refused whole, never a wrong summary.
    for (std::size_t at = 0; at < section.size(); ++at) {
        std::string damaged = section;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
        EXPECT_FALSE(parseSummarySection(damaged).has_value()) << "byte " << at;
    }
    EXPECT_FALSE(decodeSummaryPayload(encodeSummaryPayload(s) + "x").has_value());
    EXPECT_FALSE(decodeSummaryPayload(encodeSummaryPayload(s).substr(0, 50)).has_value());
}

TEST(CompactSummary, FooterSummaryAgreesWithTheLoadedModel)
{
    test::ScratchDir dir("compact-summary");
    generator::WorkloadOptions o;
    o.events = 300'000; // > kMaxSummaryColumns columns of one change: the coarse levels merge
    o.platform = "v6r-medium";
    const std::string path = (dir / "w.fmr").string();
    generator::WorkloadRecordingOptions ro;
    ro.compact = true;
    const auto written = generator::writeWorkloadRecording(o, path, ro);
    ASSERT_TRUE(written.has_value()) << written.error().message;
    const auto summary = readCompactSummary(path);
    ASSERT_TRUE(summary.has_value()) << summary.error().message;
    ASSERT_TRUE(summary->has_value());
    EXPECT_EQ((*summary)->records, written->messages + 1);
    EXPECT_EQ((*summary)->notSummarised, 0u);
    expectAgreesWithTheModel(**summary, path);
    EXPECT_GT((*summary)->sessions[0].points.size(), kMaxSummaryColumns);
    EXPECT_GT((*summary)->sessions[0].changes, 250'000u);

    // Messages of every kind (samples with purposes, an allocation with freedAt, a custom purpose).
    const std::string every = (dir / "every.fmr").string();
    test::writeMessages(every, test::everyKind(3000), RecordingFormat::Compact, 400);
    const auto s2 = readCompactSummary(every);
    ASSERT_TRUE(s2.has_value() && s2->has_value());
    EXPECT_EQ((*s2)->notSummarised, 2u); // the two malformed frames
    expectAgreesWithTheModel(**s2, every);
}

TEST(CompactSummary, CutFileGivesItsLastCheckpointsSummaryAndDamageGivesNone)
{
    test::ScratchDir dir("compact-summary-cut");
    const std::string path = (dir / "a.fmr").string();
    const auto messages = test::everyKind(14000);
    test::writeMessages(path, messages, RecordingFormat::Compact, 50); // ~280 blocks: four periodic checkpoints
    const std::string bytes = test::readFile(path);
    const auto whole = readCompactIndex(path);
    ASSERT_TRUE(whole.has_value() && whole->fromFooter);
    const auto footer = readCompactSummary(path, *whole);
    ASSERT_TRUE(footer.has_value());

    // The periodic summaries: each "FMS2" section that ends where a checkpoint starts.
    const std::string cut = (dir / "cut.fmr").string();
    std::vector<std::uint64_t> checkpoints, summarised;
    for (std::size_t at = bytes.find("FMX2"); at != std::string::npos; at = bytes.find("FMX2", at + 1)) {
        checkpoints.push_back(at);
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at - 4);
        const std::uint64_t length = getU32(p);
        if (length < at && bytes.compare(at - length, 4, "FMS2") == 0)
            summarised.push_back(at);
    }
    ASSERT_GE(checkpoints.size(), 4u);
    ASSERT_GE(summarised.size(), 2u);           // the first periodic one and the footer's at least
    ASSERT_LT(summarised.size(), checkpoints.size()); // later periodic ones only once the file grew 8 times a summary
    const auto recordsBefore = [&](const CompactIndex& index, std::uint64_t offset) {
        std::uint64_t n = 0;
        for (const auto& b : index.blocks)
            if (b.offset < offset)
                n = b.firstRecord + b.records;
        return n;
    };
    const auto expectBuilderGave = [&](const RecordingSummary& s, std::uint64_t records) {
        UsageSummaryBuilder b;
        b.add(Message{RecordingHeaderMsg{kFormat2, 1764000000000, "ws://127.0.0.1:8765", ""}, std::nullopt, std::nullopt});
        std::uint64_t fed = 1;
        for (std::size_t i = 0; i < messages.size() && fed < records; ++i) {
            b.add(messages[i]);
            ++fed;
            if ((i == 3 || i == 5) && fed < records) {
                b.addRaw();
                ++fed;
            }
        }
        EXPECT_EQ(b.summary(), s);
    };
    // Cut after the checkpoints that follow the first periodic summary, with or without their own:
    // the latest summary before the cut, exactly what the writer had then.
    for (std::size_t c = 0; c + 1 < checkpoints.size(); ++c) {
        if (checkpoints[c] < summarised[0])
            continue;
        const std::uint64_t after = checkpoints[c] + 16 + std::uint64_t(kBlocksPerCheckpoint) * kCheckpointEntryBytes + 4;
        for (const std::uint64_t at : {after, after + 100}) {
            SCOPED_TRACE("cut at " + std::to_string(at));
            ASSERT_TRUE(test::writeFile(cut, std::string_view(bytes).substr(0, at)));
            const auto index = readCompactIndex(cut);
            ASSERT_TRUE(index.has_value());
            EXPECT_FALSE(index->fromFooter);
            EXPECT_EQ(index->lastCheckpoint, checkpoints[c]);
            const auto s = readCompactSummary(cut, *index);
            ASSERT_TRUE(s.has_value());
            const std::uint64_t latest = *std::prev(std::upper_bound(summarised.begin(), summarised.end(), checkpoints[c]));
            EXPECT_EQ(s->records, recordsBefore(*index, latest));
            expectBuilderGave(*s, s->records);
        }
    }
    // Cut before the first summary: none (the window loads the file whole).
    ASSERT_TRUE(test::writeFile(cut, std::string_view(bytes).substr(0, summarised[0] - 1)));
    EXPECT_FALSE(readCompactSummary(cut)->has_value());

    // A flipped byte in the footer's summary: none, and the full read loads as before.
    const std::uint64_t footerAt = whole->lastCheckpoint;
    const std::string loaded = test::loadedSummary(path);
    for (std::uint64_t at : {footerAt - 4, footerAt - 30, footerAt - 300}) {
        SCOPED_TRACE("byte " + std::to_string(at) + " flipped");
        ASSERT_TRUE(test::writeFlipped(cut, bytes, at));
        const auto s = readCompactSummary(cut);
        ASSERT_TRUE(s.has_value());
        EXPECT_FALSE(s->has_value());
        if (at != footerAt - 4) { // the section's length is what the full read steps over it by
            EXPECT_EQ(test::loadedSummary(cut), loaded);
        }
    }
}

// The fuzz target's check (tests/fuzz/checks) on files with summaries, whole,
// cut inside and after a summary, and with a byte of one flipped: it passes
// (its seeds were written before summaries, so this is where the path is run).
TEST(CompactSummary, TheFuzzCheckPassesOnFilesWithSummaries)
{
    test::ScratchDir dir("compact-summary-fuzz");
    const auto [path, bytes] = test::writeCompactFile(dir, 14000, 50);
    const std::string_view input = std::string_view(bytes).substr(kPreamble.size());
    EXPECT_EQ(fuzz::checkCompactReader(input), "");
    std::size_t summaries = 0;
    for (std::size_t at = bytes.find("FMS2"); at != std::string::npos; at = bytes.find("FMS2", at + 1), ++summaries) {
        SCOPED_TRACE("summary at " + std::to_string(at));
        EXPECT_EQ(fuzz::checkCompactReader(input.substr(0, at + 20 - kPreamble.size())), "");
        EXPECT_EQ(fuzz::checkCompactReader(input.substr(0, at + 300 - kPreamble.size())), "");
        std::string flipped(input);
        flipped[at + 30 - kPreamble.size()] ^= 0x40;
        EXPECT_EQ(fuzz::checkCompactReader(flipped), "");
    }
    EXPECT_GE(summaries, 2u);
}

// Sizes whose sums pass 2^63-1 are refused by the model; the summary counts them the same way.
TEST(CompactSummary, SizesPastTheModelsBoundAreLeftOutAsTheModelLeavesThem)
{
    const std::uint64_t big = std::uint64_t{1} << 62;
    std::vector<Message> ms;
    ms.push_back({SessionStartedMsg{"s", "v6r-small", "", std::nullopt, std::nullopt, 1000}, std::nullopt, std::nullopt});
    ms.push_back({AllocationMsg{"a", "s", big, MemoryPurpose(StandardPurpose::VmHeap), 1001, std::nullopt}, std::nullopt, std::nullopt});
    ms.push_back({AllocationMsg{"b", "s", big, MemoryPurpose(StandardPurpose::AssetCache), 1002, std::nullopt}, std::nullopt, std::nullopt});
    ms.push_back({AllocationMsg{"c", "s", big - 1, MemoryPurpose(StandardPurpose::AssetCache), 1003, std::nullopt}, std::nullopt, std::nullopt});
    ms.push_back({AllocationMsg{"d", "s", 5, MemoryPurpose(StandardPurpose::Temporary), 1004, 1010}, std::nullopt, std::nullopt});
    MemoryUpdateMsg u;
    u.sessionId = "s";
    u.timestamp = 1005;
    u.usedBytes = std::numeric_limits<std::uint64_t>::max();
    ms.push_back({u, std::nullopt, std::nullopt});
    ms.push_back({FreeMsg{"s", "a", 1020}, std::nullopt, std::nullopt});
    test::ScratchDir dir("compact-summary-big");
    const std::string path = (dir / "big.fmr").string();
    test::writeMessages(path, ms, RecordingFormat::Compact);
    const auto s = readCompactSummary(path);
    ASSERT_TRUE(s.has_value() && s->has_value());
    expectAgreesWithTheModel(**s, path);
}
