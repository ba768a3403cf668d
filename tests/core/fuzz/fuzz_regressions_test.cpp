// Every input the fuzzers found a problem with (tests/data/fuzz-regressions/,
// named <target>-<what>) is replayed through the same check the fuzz target
// runs (tests/fuzz/checks/), in the regular suite and under the asan preset;
// the figures each finding got wrong are asserted on their own below.

#include "fuzz_checks.h"

#include "model/memory_size.h"
#include "model/session_model.h"
#include "protocol/session_store.h"

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

// memory_size-top-of-range: "18446744073709551615" was read, but its
// humanReadable() form "16777216.0TB" (2^64) could not be read back.
TEST(FuzzRegressions, LargestSizeFormatsToSomethingReadable)
{
    const std::string text = formatBytes(std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(text, "16777215.9TB");
    const auto back = MemorySize::parse(text);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->bytes, 18446633122946764800ull); // 16777215.9 TiB, floored
    // Just below the top the usual rounding stays.
    EXPECT_EQ(formatBytes(16777215ull << 40), "16777215.0TB");
}

// message_decoder-slope-out-of-range: a session whose used bytes jump by
// ~2^64 within milliseconds has a trend slope beyond the int64 range; the text
// report cast it to int64 (undefined behaviour, UBSan stopped the process).
TEST(FuzzRegressions, HugeTrendSlopeIsReportedClamped)
{
    protocol::SessionStore store;
    store.ingest(R"({"type":"session_started","sessionId":"s","platform":"custom","total":"16 TB","timestamp":1764000000000})", 1);
    store.ingest(R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":{"bytes":"18446744073709551615"},"purpose":"temporary","allocatedAt":1764000000001}})", 2);
    store.ingest(R"({"type":"free","sessionId":"s","allocationId":"a","freedAt":1764000000002})", 3);
    ASSERT_EQ(store.sessionCount(), 1u);
    const SessionModel& s = store.session(0);
    const MemoryTrend trend = s.getMemoryTrends(s.lastMs() - s.firstMs());
    EXPECT_GT(std::abs(trend.slopeBytesPerSecond), 9.3e18); // outside int64: the case in question
    const std::string report = s.generateMemoryReport();
    EXPECT_NE(report.find("slope:"), std::string::npos);
    EXPECT_NE(report.find("8388608.0TB/s"), std::string::npos) << report; // clamped to ±(2^63-1) B/s
}
