// SPDX-License-Identifier: MIT
// The edges of what a peer sends: printableText (control characters escaped,
// idempotent), SeqTracker (duplicates are only real repeats, bounded ranges)
// and the string caps on every decoder path.
#include "protocol/message_decoder.h"
#include "protocol/printable_text.h"
#include "protocol/seq_tracker.h"
#include "protocol/string_caps.h"

#include <gtest/gtest.h>

#include <string>

using namespace flight::protocol;

TEST(PrintableText, EscapesControlsC1AndBidiKeepsTextAndIsIdempotent)
{
    const std::string hostile = "\x1b[2J\x1b[31mred\x07\r\n\t\x7f \xc2\x9b" "1m \xe2\x80\xae" "txt \xff caf\xc3\xa9 \xe6\x97\xa5";
    const std::string shown = printableText(hostile);
    EXPECT_EQ(shown, R"(\x1b[2J\x1b[31mred\x07\r\n\t\x7f \u{009b}1m \u{202e}txt \xff café 日)");
    EXPECT_EQ(printableText(shown), shown);
    EXPECT_EQ(printableText("a\nb\tc\rd", true), "a\nb\tc\\rd");
}

TEST(SeqTracker, AJumpIsAGapWhatFollowsIsLateOnlyRepeatsAreDuplicates)
{
    SeqTracker t;
    for (std::uint64_t s = 1; s <= 5; ++s)
        EXPECT_NE(t.accept(s).kind, SeqCheck::Kind::Duplicate);
    const SeqCheck jump = t.accept(UINT64_MAX);
    EXPECT_EQ(jump.kind, SeqCheck::Kind::Gap);
    EXPECT_EQ(jump.missingFrom, 6u);
    EXPECT_EQ(jump.missingTo, UINT64_MAX - 1);
    const SeqCheck six = t.accept(6);
    EXPECT_EQ(six.kind, SeqCheck::Kind::Late);
    EXPECT_TRUE(six.lateRunStarts);
    EXPECT_FALSE(t.accept(7).lateRunStarts);
    EXPECT_EQ(t.accept(3).kind, SeqCheck::Kind::Duplicate);
    EXPECT_EQ(t.accept(UINT64_MAX).kind, SeqCheck::Kind::Duplicate);
    EXPECT_EQ(t.last(), 7u) << "a resume continues after the message received last";
    EXPECT_EQ(t.rangeCount(), 2u); // 1..7 and 2^64-1
}

TEST(SeqTracker, ScatteredSeqsKeepAtMostKMaxRangesAndOldOnesCountAsHeld)
{
    SeqTracker t;
    for (std::uint64_t s = 2; s <= 2 * 1000; s += 2)
        t.accept(s);
    EXPECT_EQ(t.rangeCount(), SeqTracker::kMaxRanges);
    EXPECT_EQ(t.accept(3).kind, SeqCheck::Kind::Duplicate) << "below the forgotten ranges: taken as held";
    EXPECT_EQ(t.accept(1999).kind, SeqCheck::Kind::Late) << "a hole among the ranges kept: never received";
}

TEST(StringCaps, LongLabelIsCutWithAWarningOnBothPathsLongIdIsRefused)
{
    const std::string label(10000, 'x');
    const std::string line = R"({"type":"marker","sessionId":"s","timestamp":1764000000000,"label":")" + label + R"("})";
    for (const bool fast : {true, false}) {
        MessageDecoder d(DecoderOptions{kDefaultMaxMessageBytes, fast});
        auto m = d.decode(line, 7);
        ASSERT_TRUE(m && *m) << fast;
        EXPECT_EQ((*m)->as<MarkerMsg>()->label.size(), kMaxTextBytes);
        ASSERT_EQ(d.warnings().size(), 1u);
        EXPECT_EQ(d.warnings()[0].message, "line 7: label of 10000 bytes cut to 4096");
    }
    const std::string id(300, 'i');
    const std::string alloc = R"({"type":"allocation","allocation":{"id":")" + id
                              + R"(","sessionId":"s","size":{"bytes":1,"humanReadable":"1B"},"purpose":"vm-heap","allocatedAt":1764000000000}})";
    MessageDecoder d;
    auto r = d.decode(alloc, 9);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "line 9: allocation id of 300 bytes is over the 256-byte limit: refused");
    std::string padded = alloc + std::string(kDecoderPadding, '\0');
    Message out;
    EXPECT_FALSE(d.decodeCommon(std::string_view(padded.data(), alloc.size()), out)) << "the loader's path too";
    EXPECT_EQ(cutText("ab\xc3\xa9", 3), "ab") << "never inside a UTF-8 character";
}
