// SPDX-License-Identifier: MIT
// The sample recordings in resources/recordings: present for every platform,
// small, load cleanly, and still what the generator makes (scripts/make-samples).

#include "generator/workload_profile.h"
#include "generator/workload_recording.h"
#include "generator_test_support.h"

#include "protocol/recording_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace flight;
using namespace flight::generator;
using namespace flight::generator::test;

namespace {

const std::filesystem::path kSamples = std::filesystem::path(FLIGHT_SOURCE_DIR) / "resources" / "recordings";
constexpr std::uint64_t kSampleEvents = 10'000; // as in scripts/make-samples
constexpr std::uint64_t kSampleSeed = 1;

std::vector<std::string> lines(const std::filesystem::path& p)
{
    std::vector<std::string> out;
    protocol::readRecording(p.string(), [&](std::string_view line, std::uint64_t, bool) { out.emplace_back(line); });
    return out;
}

} // namespace

class SampleRecording : public ::testing::TestWithParam<std::string> {};

TEST_P(SampleRecording, LoadsCleanly)
{
    const auto path = kSamples / (GetParam() + ".jsonl.zst");
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    EXPECT_LT(std::filesystem::file_size(path), 150u * 1024u) << path;
    auto l = load(path);
    EXPECT_TRUE(l.read.compressed);
    EXPECT_FALSE(l.read.ioError.has_value());
    EXPECT_TRUE(l.read.problems.empty());
    EXPECT_EQ(l.store->decodeErrors(), 0u);
    EXPECT_EQ(l.store->sessionErrors(), 0u);
    EXPECT_EQ(l.store->warnings(), 0u);
    EXPECT_EQ(l.store->seqGaps(), 0u);
    EXPECT_GE(l.store->messagesApplied(), 10'000u);
    ASSERT_EQ(l.store->sessionCount(), 1u);
    EXPECT_EQ(l.store->session(0).info().platform, GetParam());
    ASSERT_TRUE(l.store->recordingInfo().has_value());
    EXPECT_EQ(l.store->recordingInfo()->format, "flight-memory-recording/1");
}

TEST_P(SampleRecording, IsWhatTheGeneratorMakes)
{
    WorkloadOptions o;
    o.platform = GetParam();
    o.events = kSampleEvents;
    o.seed = kSampleSeed;
    const auto fresh = scratchPath("flight-gen-test", "fresh-" + GetParam() + ".jsonl");
    ASSERT_TRUE(writeWorkloadRecording(o, fresh.string()));
    const auto want = lines(fresh);
    const auto got = lines(kSamples / (GetParam() + ".jsonl.zst"));
    ASSERT_EQ(got.size(), want.size()) << "regenerate with scripts/make-samples";
    for (std::size_t i = 0; i < got.size(); ++i)
        ASSERT_EQ(got[i], want[i]) << "line " << i + 1 << ": regenerate with scripts/make-samples";
}

INSTANTIATE_TEST_SUITE_P(Generator, SampleRecording, ::testing::ValuesIn(WorkloadProfile::platforms()),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::ranges::replace(n, '-', '_');
                             return n;
                         });
