// SPDX-License-Identifier: MIT
#include "model/platform_profile.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace flight;

TEST(PlatformCatalog, BuiltinHasTheProtocolDefaults)
{
    const auto& c = PlatformCatalog::builtin();
    struct Row { const char* id; std::uint64_t total; };
    const Row rows[] = {{"dreamcast", 16ull << 20}, {"psp", 64ull << 20}, {"psp-1000", 32ull << 20},
                        {"vita", 512ull << 20},     {"v6r-small", 512ull << 20}, {"v6r-medium", 1ull << 30},
                        {"v6r-large", 2ull << 30},  {"custom", 0}};
    for (const auto& r : rows) {
        const auto* p = c.find(r.id);
        ASSERT_NE(p, nullptr) << r.id;
        EXPECT_EQ(p->totalBytes, r.total) << r.id;
        EXPECT_DOUBLE_EQ(p->thresholds.medium, 0.70);
        EXPECT_DOUBLE_EQ(p->thresholds.high, 0.85);
        EXPECT_DOUBLE_EQ(p->thresholds.critical, 0.95);
    }
    EXPECT_EQ(c.profiles().size(), 8u);
    EXPECT_NE(c.find("V6R-Small"), nullptr);
    EXPECT_EQ(c.find("gameboy"), nullptr);
}

TEST(PlatformCatalog, BuiltinIsTheShippedFile)
{
    std::ifstream in(FLIGHT_SOURCE_DIR "/resources/platforms/platforms.json");
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = PlatformCatalog::fromJson(ss.str());
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(parsed->profiles().size(), PlatformCatalog::builtin().profiles().size());
}

TEST(PlatformCatalog, PerPlatformThresholdsAndErrors)
{
    auto c = PlatformCatalog::fromJson(R"({"profiles":[{"id":"devkit","totalBytes":1024,
        "thresholds":{"medium":0.5,"high":0.6,"critical":0.9}}]})");
    ASSERT_TRUE(c.has_value()) << c.error().message;
    EXPECT_DOUBLE_EQ(c->find("devkit")->thresholds.high, 0.6);
    EXPECT_EQ(c->find("devkit")->name, "devkit");

    auto missing = PlatformCatalog::fromJson(R"({"profiles":[{"id":"x"}]})");
    ASSERT_FALSE(missing.has_value());
    EXPECT_NE(missing.error().message.find("profiles[0]"), std::string::npos);
    EXPECT_NE(missing.error().message.find("totalBytes"), std::string::npos);

    auto badOrder = PlatformCatalog::fromJson(
        R"({"profiles":[{"id":"x","totalBytes":1,"thresholds":{"medium":0.9,"high":0.5}}]})");
    ASSERT_FALSE(badOrder.has_value());
    EXPECT_NE(badOrder.error().message.find("rise"), std::string::npos);

    EXPECT_FALSE(PlatformCatalog::fromJson("{not json").has_value());
    EXPECT_FALSE(PlatformCatalog::fromJson(R"({"profiles":3})").has_value());
}

#include "resource_paths.h"

TEST(ResourcePaths, FindsTheShippedSamplesAndHonoursTheOverride)
{
    const auto examples = flight::exampleRecordings("/nonexistent/bin");
    ASSERT_EQ(examples.size(), 8u); // one per platform profile, from the source tree here
    EXPECT_NE(examples.front().find("custom.jsonl.zst"), std::string::npos);
    ::setenv("FLIGHT_RESOURCES_DIR", "/nonexistent-resources", 1);
    EXPECT_EQ(flight::resourcesDir("/nonexistent/bin"), flight::resourcesDir("/also/nonexistent")); // falls through to the sources
    ::unsetenv("FLIGHT_RESOURCES_DIR");
}
