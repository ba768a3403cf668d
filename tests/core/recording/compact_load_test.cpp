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

Loaded load(const std::string& path)
{
    SessionStore store;
    store.setLimits({2, 12}); // a third session is refused; the 13th problem on is only counted
    (void)loadRecording(path, store);
    return {summaryJson(store), store.problems(),
            {store.decodeErrors(), store.sessionErrors(), store.warnings(), store.messagesApplied(),
             store.duplicatesDropped(), store.seqGaps(), store.seqOutOfOrder(), store.sessionsRefused(),
             store.problemsNotListed()}};
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
