// SPDX-License-Identifier: MIT
// Loading a format-2 file applies its allocations and frees from their lean
// decoded form (SessionStore::applyCommonRun): the store must end exactly as
// loading the same messages as JSON Lines leaves it, problems included, where
// the run's shortcuts (the session resolved once per run of the same session
// text, seq one above the newest) meet their edge cases.
#include "compact_test_support.h"

#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include "scratch_files.h"

#include <gtest/gtest.h>

#include <deque>

using namespace flight;
using namespace flight::protocol;

namespace {

Message alloc(std::string_view session, std::string_view id, std::int64_t at, std::optional<std::uint64_t> seq,
              std::optional<std::int64_t> freedAt = std::nullopt)
{
    return {AllocationMsg{id, session, 64, MemoryPurpose::fromStandardName("vm-heap").value(), at, freedAt}, seq,
            std::nullopt};
}

Message release(std::string_view session, std::string_view id, std::int64_t at, std::optional<std::uint64_t> seq)
{
    return {FreeMsg{session, id, at}, seq, std::nullopt};
}

struct Loaded {
    std::string summary;
    std::vector<StoreProblem> problems;
    std::vector<std::uint64_t> counters;
};

Loaded load(const std::string& path, std::string_view before = {})
{
    SessionStore store;
    store.setLimits({2, 12}); // a third session is refused; the 13th problem on is only counted
    if (!before.empty())
        store.ingest(before, 1);
    (void)loadRecording(path, store);
    return {summaryJson(store), store.problems(),
            {store.decodeErrors(), store.sessionErrors(), store.warnings(), store.messagesApplied(),
             store.duplicatesDropped(), store.seqGaps(), store.seqOutOfOrder(), store.sessionsRefused(),
             store.problemsNotListed()}};
}

// The problems of the format-2 load `f` are those of the JSON Lines load `j`, in order.
void expectSameProblems(const Loaded& f, const Loaded& j)
{
    ASSERT_EQ(f.problems.size(), j.problems.size());
    for (std::size_t i = 0; i < j.problems.size(); ++i) {
        SCOPED_TRACE(j.problems[i].message);
        EXPECT_EQ(f.problems[i].line, j.problems[i].line);
        EXPECT_EQ(f.problems[i].kind, j.problems[i].kind);
        EXPECT_EQ(f.problems[i].message, j.problems[i].message);
        EXPECT_EQ(f.problems[i].code, j.problems[i].code);
        EXPECT_EQ(f.problems[i].sessionId, j.problems[i].sessionId);
        EXPECT_EQ(f.problems[i].timeMs, j.problems[i].timeMs);
    }
}

} // namespace

TEST(CompactLoad, RunsOfAllocationsAndFreesLoadAsTheirJsonLinesDo)
{
    std::vector<Message> m;
    std::deque<std::string> ids; // the messages' views point into it
    const std::int64_t t0 = 1764000000000;
    m.push_back({SessionStartedMsg{"s1", "v8", "", 1u << 30, std::nullopt, t0}, 1, std::nullopt});
    for (std::uint64_t i = 0; i < 40; ++i) { // two sessions interleaved: the session changes every record
        ids.push_back("a-" + std::to_string(i));
        // s1: seqs 2..21 after its session_started, s2: 1..20
        m.push_back(alloc(i % 2 ? "s2" : "s1", ids.back(), t0 + static_cast<std::int64_t>(i), i / 2 + (i % 2 ? 1 : 2)));
    }
    m.push_back(alloc("s3", "x", t0 + 50, 1));       // refused: two sessions held
    m.push_back(alloc("s1", "a-0", t0 + 51, 22));    // a live id allocated again: session error
    m.push_back(release("s1", "nope", t0 + 52, 23)); // never allocated
    m.push_back(release("s1", "a-0", t0 + 53, 24));
    m.push_back(release("s1", "a-0", t0 + 54, 25));  // freed already
    m.push_back(release("s1", "a-2", t0 + 55, 24));  // a duplicate seq: dropped
    m.push_back(release("s1", "a-2", t0 + 56, 30));  // a gap (26..29)
    m.push_back(release("s1", "a-4", t0 + 57, 27));  // late, fills one of the gap
    m.push_back(alloc("", "implicit", t0 + 58, std::nullopt)); // no session named: the one started last
    m.push_back(alloc("s2", "b", t0 + 59, std::nullopt, t0 + 70)); // freed at a later time
    MemoryUpdateMsg update;
    update.sessionId = "s2";
    update.timestamp = t0 + 60;
    update.usedBytes = 4096;
    m.push_back({update, std::nullopt, std::nullopt});
    m.push_back(release("s2", "a-1", t0 + 61, std::nullopt)); // after a text record: a new run
    for (std::uint64_t i = 0; i < 6; ++i)
        m.push_back(release("s1", "nope", t0 + 62, std::nullopt)); // past the problems listed

    test::ScratchDir dir("compact-load");
    const std::string jsonl = (dir / "a.jsonl").string(), fmr = (dir / "a.fmr").string();
    test::writeMessages(jsonl, m, RecordingFormat::Jsonl, 7); // blocks of 7: runs end mid-stream
    test::writeMessages(fmr, m, RecordingFormat::Compact, 7);
    const Loaded j = load(jsonl), f = load(fmr);
    EXPECT_EQ(f.summary, j.summary);
    EXPECT_EQ(f.counters, j.counters);
    // applied, duplicates, gaps, late, refused, not listed: every edge case above was met
    EXPECT_EQ(j.counters[3], 57u);
    EXPECT_EQ(j.counters[4], 1u);
    EXPECT_EQ(j.counters[5], 3u);
    EXPECT_EQ(j.counters[6], 1u);
    EXPECT_EQ(j.counters[7], 1u);
    EXPECT_GT(j.counters[8], 0u);
    expectSameProblems(f, j);
}

// memory_update records are decoded on the decoding thread, ahead of applying
// (load_recording.cpp, TextsAhead): the store must end as the JSON Lines load
// leaves it, whatever the decoder's state says about a line (a time unit
// declared in the file or before it, a warning given once, a line it
// refuses), and with every other text record between them.
TEST(CompactLoad, MemoryUpdatesDecodedAheadLoadAsTheirJsonLinesDo)
{
    std::vector<std::string> lines = {
        // s1's times are declared in ms: 5000 is 5 s after the epoch, not 5000 s
        R"({"type":"session_started","sessionId":"s1","platform":"psp","timeUnit":"ms","timestamp":4000,"seq":1})",
        R"({"type":"memory_update","sessionId":"s1","timestamp":5000,"usage":4096,"seq":2})",
        // a custom purpose: the first line naming it warns, the second does not
        R"({"type":"memory_update","sessionId":"s1","timestamp":5001,"usage":8192,"byPurpose":{"vm-heap":1024,"my-pool":512},"seq":3})",
        R"({"type":"memory_update","sessionId":"s1","timestamp":5002,"usage":8192,"byPurpose":{"vm-heap":2048,"my-pool":256},"seq":4})",
        R"({"type":"memory_update","sessionId":"s1","timestamp":5003,"usage":"not a size","seq":5})", // refused
        R"({"type":"memory_update","sessionId":"s1","timestamp":5004,"usage":1024,"seq":4})",          // duplicate seq
        R"({"type":"memory_update","sessionId":"s1","timestamp":5005,"usage":2048,"seq":9})",          // gap 6..8
        R"({"type":"teleport","sessionId":"s1","timestamp":5006})",                                     // unknown type
        R"({"type":"teleport","sessionId":"s1","timestamp":5007})",
        R"({"type":"marker","sessionId":"s1","timestamp":5008,"label":"between"})",
        // s0's unit (us) was declared before the file: the store's decoder holds it, and so must the fork
        R"({"type":"memory_update","sessionId":"s0","timestamp":7000000,"usage":512})",
        R"({"type":"memory_update","sessionId":"s0","timestamp":8000000,"snapshot":{"timestamp":8000000,"sessionId":"s0","platform":"v6r-small","total":{"bytes":536870912},"used":{"bytes":1048576},"available":{"bytes":535822336},"fragmentationRatio":0.25},"pressure":"low"})",
        R"({"type":"memory_update","sessionId":"s3","timestamp":1764000000200,"usage":1})", // a third session: refused
    };
    for (int i = 0; i < 30; ++i) // more runs and blocks of them, allocations between
        lines.push_back(R"({"type":"memory_update","sessionId":"s1","timestamp":)" + std::to_string(6000 + i)
                        + R"(,"usage":)" + std::to_string(4096 + i) + R"(,"pressure":"medium"})");
    const std::string before = R"({"type":"session_started","sessionId":"s0","platform":"psp","timeUnit":"us","timestamp":1000000})";

    test::ScratchDir dir("compact-load-texts");
    const std::string jsonl = (dir / "t.jsonl").string(), fmr = (dir / "t.fmr").string();
    for (const auto format : {RecordingFormat::Jsonl, RecordingFormat::Compact}) {
        RecordingWriterOptions o;
        o.format = format;
        o.createdAt = 1764000000000;
        o.flushEveryMessages = 5;
        o.flushInterval = std::chrono::hours(1);
        auto w = RecordingWriter::create(format == RecordingFormat::Jsonl ? jsonl : fmr, o);
        ASSERT_TRUE(w) << w.error().message;
        std::deque<std::string> ids;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            ASSERT_TRUE(w->appendLine(lines[i]));
            ids.push_back("t-" + std::to_string(i));
            ASSERT_TRUE(w->appendKept(alloc("s1", ids.back(), 6000, std::nullopt)));
        }
        ASSERT_TRUE(w->close());
    }
    const Loaded j = load(jsonl, before), f = load(fmr, before);
    EXPECT_EQ(f.summary, j.summary);
    EXPECT_EQ(f.counters, j.counters);
    // decode errors, warnings (the custom purpose, the unknown type), duplicates, gaps, refused sessions
    EXPECT_EQ(j.counters[0], 1u);
    EXPECT_EQ(j.counters[2], 2u);
    EXPECT_EQ(j.counters[4], 1u);
    EXPECT_EQ(j.counters[5], 4u); // 5..8: the line of seq 5 did not decode
    EXPECT_EQ(j.counters[7], 1u);
    // the declared units applied: s1's samples 5-6 s after the epoch (ms), s0's 7-8 s (us)
    EXPECT_NE(j.summary.find(R"("samples":2,"firstMs":1000,"lastMs":8000})"), std::string::npos) << j.summary;
    EXPECT_NE(j.summary.find(R"("samples":34,"firstMs":4000,"lastMs":6029})"), std::string::npos) << j.summary;
    expectSameProblems(f, j);
}
