// SPDX-License-Identifier: MIT
// A producer whose `seq` jumps (docs/reliability.md, "Trust at the edges",
// client): seq 1..5, then 2^63 (or 2^64-1), then on from 6. The jump is one
// gap, reported with its numbers; every message after it, session_ended
// included, is applied and recorded (counted out of order, not dropped as a
// duplicate); only a seq that really came before is a duplicate.
#include "fault_test_support.h"

#include "live/client/live_session.h"
#include "protocol/recording_reader.h"
#include "protocol/session_store.h"

#include <gtest/gtest.h>

#include <QTemporaryDir>

using namespace flight;
using namespace flight::faulttest;

namespace {

std::string marker(std::uint64_t seq)
{
    return R"({"type":"marker","sessionId":"vm-1","timestamp":1764000000)" + std::to_string(100 + seq % 800)
           + R"(,"label":"m)" + std::to_string(seq) + R"(","seq":)" + std::to_string(seq) + "}";
}

// session_started (1), markers 2..5, the jump, markers 6..10, a resend of 7
// (a true duplicate), session_ended (11).
livetest::Stream jumpingStream(std::uint64_t jump)
{
    livetest::Stream s;
    auto add = [&](std::string json, std::uint64_t seq) { s.items.push_back({std::move(json), "vm-1", seq}); };
    add(R"({"type":"session_started","sessionId":"vm-1","platform":"dreamcast","timestamp":1764000000000,"seq":1})", 1);
    for (std::uint64_t q = 2; q <= 5; ++q)
        add(marker(q), q);
    add(marker(jump), jump);
    for (std::uint64_t q = 6; q <= 10; ++q)
        add(marker(q), q);
    add(marker(7), 7);
    add(R"({"type":"session_ended","sessionId":"vm-1","timestamp":1764000001000,"seq":11})", 11);
    return s;
}

struct Outcome {
    live::LiveSnapshot live;
    std::uint64_t loadedApplied = 0;
    std::uint64_t loadedGaps = 0;
    std::vector<std::string> notes;
};

Outcome run(std::uint64_t jump)
{
    livetest::ensureCoreApp();
    QTemporaryDir dir;
    const livetest::TestProducer producer(jumpingStream(jump));
    live::LiveSessionOptions o;
    o.connection.url = producer.url();
    o.recordingPath = dir.filePath(QStringLiteral("jump.jsonl")).toStdString();
    live::LiveSession session(o);
    session.start();
    EXPECT_TRUE(livetest::waitUntil([&] {
        const auto s = session.snapshotNow();
        return !s.sessions.empty() && s.sessions.front().ended;
    }, 5000)) << "session_ended never applied";
    Outcome out;
    session.withStore([&](const protocol::SessionStore& st) {
        for (const auto& p : st.problems())
            out.notes.push_back(p.message);
    });
    out.live = session.stop();
    protocol::SessionStore loaded;
    protocol::loadRecording(o.recordingPath, loaded);
    out.loadedApplied = loaded.messagesApplied();
    out.loadedGaps = loaded.seqGaps();
    return out;
}

bool hasNote(const std::vector<std::string>& notes, const std::string& text)
{
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

} // namespace

TEST(SeqJump, JumpTo2Pow63IsAGapAndEverythingAfterItIsAppliedAndRecorded)
{
    const std::uint64_t jump = 1ull << 63;
    const Outcome r = run(jump);
    const live::LiveStats& st = r.live.stats;
    ASSERT_EQ(r.live.sessions.size(), 1u);
    EXPECT_TRUE(r.live.sessions.front().ended);
    EXPECT_EQ(r.live.sessions.front().markers, 10u) << "markers 2..5, the jump, 6..10";
    EXPECT_EQ(st.messagesApplied, 12u);
    EXPECT_EQ(st.duplicatesDropped, 1u) << "only the resent 7";
    EXPECT_EQ(st.seqOutOfOrder, 6u) << "6..10 and session_ended came after the jump";
    // 6..2^63-1 were missing at the jump; six of them came after all
    EXPECT_EQ(st.seqGaps, (jump - 6) - 6);
    EXPECT_EQ(st.recordedMessages, 12u);
    EXPECT_TRUE(hasNote(r.notes, "seq gap: 9223372036854775802 message(s) missing (6..9223372036854775807)"));
    EXPECT_TRUE(hasNote(r.notes, "seq 6 is below the newest seq 9223372036854775808"));
    EXPECT_EQ(r.loadedApplied, 12u) << "the recording holds all of it";
    EXPECT_EQ(r.loadedGaps, st.seqGaps);
}

TEST(SeqJump, JumpToTheLargestSeqDoesNotWrapAround)
{
    const std::uint64_t jump = UINT64_MAX;
    const Outcome r = run(jump);
    const live::LiveStats& st = r.live.stats;
    ASSERT_EQ(r.live.sessions.size(), 1u);
    EXPECT_TRUE(r.live.sessions.front().ended);
    EXPECT_EQ(st.messagesApplied, 12u);
    EXPECT_EQ(st.duplicatesDropped, 1u);
    EXPECT_EQ(st.seqOutOfOrder, 6u);
    EXPECT_TRUE(hasNote(r.notes, "seq gap: 18446744073709551609 message(s) missing (6..18446744073709551614)"));
    EXPECT_EQ(r.loadedApplied, 12u);
}
