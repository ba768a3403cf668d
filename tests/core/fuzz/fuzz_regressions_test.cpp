// SPDX-License-Identifier: MIT
// Every input the fuzzers found a problem with (tests/data/fuzz-regressions/,
// named <target>-<what>) is replayed through the same check the fuzz target
// runs (tests/fuzz/checks/), in the regular suite and under the asan preset;
// the figures each finding got wrong are asserted on their own below.

#include "decode_outcome.h"
#include "fuzz_checks.h"

#include "model/memory_size.h"
#include "model/session_model.h"
#include "protocol/message_decoder.h"
#include "protocol/session_store.h"
#include "model/memory_analytics.h"
#include "reports/text_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

using namespace flight;

namespace {

const std::filesystem::path kDir = std::filesystem::path(FLIGHT_TEST_DATA) / "fuzz-regressions";

std::string readAll(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string check(const std::string& name, std::string_view input)
{
    if (name.starts_with("message_decoder-"))
        return fuzz::checkMessageDecoder(input);
    if (name.starts_with("memory_size-"))
        return fuzz::checkMemorySize(input);
    if (name.starts_with("recording_reader-"))
        return fuzz::checkRecordingReader(input);
    if (name.starts_with("budget_parser-"))
        return fuzz::checkBudgetParser(input);
    return "no fuzz target is named by the prefix of " + name;
}

} // namespace

TEST(FuzzRegressions, EveryFindingReplaysClean)
{
    std::size_t replayed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
        const std::string name = entry.path().filename().string();
        if (name == "README.md")
            continue;
        SCOPED_TRACE(name);
        EXPECT_EQ(check(name, readAll(entry.path())), "");
        ++replayed;
    }
    EXPECT_GE(replayed, 2u);
}

// The compact reader's seeds (tests/fuzz/seeds/compact_reader: whole, cut and
// damaged files after their preamble) pass its check as they are.
TEST(FuzzRegressions, CompactReaderSeedsPassTheCheck)
{
    const auto seeds = std::filesystem::path(FLIGHT_TEST_DATA).parent_path() / "fuzz" / "seeds" / "compact_reader";
    std::size_t replayed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(seeds)) {
        SCOPED_TRACE(entry.path().filename().string());
        EXPECT_EQ(fuzz::checkCompactReader(readAll(entry.path())), "");
        ++replayed;
    }
    EXPECT_GE(replayed, 5u);
}

// memory_size-top-of-range: "18446744073709551615" was read, but its
// humanReadable() form "16777216.0TB" (2^64) could not be read back.
TEST(FuzzRegressions, LargestSizeFormatsToSomethingReadable)
{
    const std::string text = formatBytes(std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(text, "16777215.9TB");
    const auto back = MemorySize::parse(text);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->bytes, 18446743963758388838ull); // 16777215.9 TiB, floored
    // Just below the top the usual rounding stays.
    EXPECT_EQ(formatBytes(16777215ull << 40), "16777215.0TB");
}

// message_decoder-slope-out-of-range: a session whose used bytes jump by
// ~2^64 within milliseconds has a trend slope beyond the int64 range; the text
// report cast it to int64 (undefined behaviour, UBSan stopped the process).
TEST(FuzzRegressions, HugeTrendSlopeIsReportedClamped)
{
    const std::string input = readAll(kDir / "message_decoder-slope-out-of-range");
    protocol::SessionStore store;
    std::uint64_t n = 0;
    for (std::size_t start = 0; start <= input.size();) {
        std::size_t end = input.find('\n', start);
        if (end == std::string::npos)
            end = input.size();
        store.ingest(std::string_view(input).substr(start, end - start), ++n);
        start = end + 1;
    }
    bool found = false;
    for (std::size_t i = 0; i < store.sessionCount(); ++i) {
        const SessionModel& s = store.session(i);
        if (s.lastMs() <= s.firstMs())
            continue;
        const MemoryTrend trend = MemoryAnalytics(s).getMemoryTrends(s.lastMs() - s.firstMs());
        if (std::abs(trend.slopeBytesPerSecond) < 9.3e18)
            continue; // not outside the int64 range
        found = true;
        const std::string report = reports::textReport(s);
        EXPECT_NE(report.find("8388608.0TB/s"), std::string::npos) << report; // clamped to 2^63-1 B/s
    }
    EXPECT_TRUE(found) << "the input no longer makes a slope beyond int64";
}

// message_decoder-long-zero-fraction: simdjson 3.0.1 (Debian 12) reads a number
// whose integer part is 0 and whose digits overflow 64 bits modulo 2^64:
// 0.1844674407370955161605 came out as 5e-22 and 0.95000000000000000000 as
// 0.0277, while the fast path read them right. Both paths now give the number
// as written, and such a size is refused as fractional instead of taken as 0.
TEST(FuzzRegressions, LongFractionsReadAsWritten)
{
    for (const protocol::DecoderOptions& options : {protocol::DecoderOptions{}, fuzz::simdjsonPathOnly()}) {
        protocol::MessageDecoder d(options);
        auto ratio = [&](std::string_view digits) {
            const std::string line = R"({"type":"memory_update","sessionId":"s","timestamp":1,"snapshot":{"used":{"bytes":1,"humanReadable":"1B"},"fragmentationRatio":)"
                + std::string(digits) + "}}";
            auto m = d.decode(line, 1);
            EXPECT_TRUE(m.has_value() && m->has_value()) << line;
            const auto* u = m && *m ? (*m)->as<protocol::MemoryUpdateMsg>() : nullptr;
            return u && u->fragmentationRatio ? *u->fragmentationRatio : -1.0;
        };
        EXPECT_EQ(ratio("0.1844674407370955161605"), 0.1844674407370955);
        EXPECT_EQ(ratio("0.95000000000000000000"), 0.95);
        EXPECT_EQ(ratio("0.950000000000000000000000000000"), 0.95);

        auto size = d.decode(R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":{"bytes":0.18446744073709551616},"purpose":"temporary","allocatedAt":1}})", 2);
        ASSERT_FALSE(size.has_value());
        EXPECT_NE(size.error().message.find("fractional size"), std::string::npos) << size.error().message;
    }
}
