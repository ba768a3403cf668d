// SPDX-License-Identifier: MIT
#include "budgets/budget.h"
#include "budgets/budget_verdict.h"

#include "test_sessions.h"

#include <gtest/gtest.h>

using namespace flight;

TEST(Budgets, BuiltinOnePerPlatformWithinItsTotal)
{
    const auto& all = builtinBudgets();
    ASSERT_EQ(all.size(), 7u);
    for (const Budget& b : all) {
        const PlatformProfile* p = PlatformCatalog::builtin().find(b.platform);
        ASSERT_NE(p, nullptr) << b.platform;
        EXPECT_EQ(b.totalBytes, p->totalBytes);
        EXPECT_EQ(b.purposes.size(), 8u) << b.platform;
        std::uint64_t sum = 0;
        for (const auto& pb : b.purposes)
            sum += pb.bytes;
        EXPECT_LE(sum, b.totalBytes) << b.platform;
        EXPECT_EQ(b.source.rfind("builtin:", 0), 0u);
    }
    const Budget* psp = nullptr;
    for (const Budget& b : all)
        if (b.platform == "psp")
            psp = &b;
    ASSERT_NE(psp, nullptr);
    EXPECT_EQ(psp->budgetFor(MemoryPurpose(StandardPurpose::AssetCache)), 24ull << 20);
}

TEST(Budgets, ParseFormsAndErrors)
{
    auto r = parseBudgets(R"({"budgets":[{"name":"mine","platform":"devkit","total":"96 MiB",
        "purposes":{"asset-cache":"40MB","VmHeap":1048576,"shader-cache-b":"2MB"}}]})", "test.json");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_EQ(r->size(), 1u);
    const Budget& b = r->front();
    EXPECT_EQ(b.totalBytes, 96ull << 20);
    EXPECT_EQ(b.budgetFor(MemoryPurpose(StandardPurpose::VmHeap)), 1048576u);
    EXPECT_EQ(b.budgetFor(MemoryPurpose::fromName("shader-cache-b")), 2ull << 20);
    EXPECT_FALSE(b.budgetFor(MemoryPurpose(StandardPurpose::Temporary)).has_value());

    // Round trip through the canonical writer.
    auto again = parseBudgets(budgetToJson(b), "again.json");
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(again->front().totalBytes, b.totalBytes);
    EXPECT_EQ(again->front().purposes.size(), 3u);
    EXPECT_EQ(again->front().budgetFor(MemoryPurpose(StandardPurpose::AssetCache)), 40ull << 20);

    struct Bad { const char* json; const char* mentions; };
    const Bad bad[] = {
        {"{nope", "not valid JSON"},
        {R"({"name":"x"})", "budget.platform"},
        {R"({"platform":"devkit"})", "give \"total\""},
        {R"({"platform":"psp","purposes":{"asset-cache":"lots"}})", "budget.purposes.asset-cache"},
        {R"({"platform":"psp","purposes":{"asset-cache":-4}})", "budget.purposes.asset-cache"},
        {R"({"platform":"psp","purposes":[1]})", "budget.purposes"},
    };
    for (const auto& c : bad) {
        auto e = parseBudgets(c.json, "file.json");
        ASSERT_FALSE(e.has_value()) << c.json;
        EXPECT_EQ(e.error().code, MemoryErrorCode::MalformedInput);
        EXPECT_NE(e.error().message.find("file.json"), std::string::npos) << e.error().message;
        EXPECT_NE(e.error().message.find(c.mentions), std::string::npos) << e.error().message;
    }
    auto missing = loadBudgetFile("/nonexistent/budget.json");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, MemoryErrorCode::IoError);
}

TEST(BudgetVerdict, WouldNotFitOnAPspAssetCacheNineMegabytesOver)
{
    SessionModel m(SessionInfo{"title", "vita", "", 512ull << 20, {}, 0});
    const auto asset = MemoryPurpose(StandardPurpose::AssetCache);
    const auto wasm = MemoryPurpose(StandardPurpose::WasmLinear);
    ASSERT_TRUE(m.recordAllocation("tex", 33ull << 20, asset, 0).has_value());
    ASSERT_TRUE(m.recordAllocation("wasm", 8ull << 20, wasm, 10).has_value());
    ASSERT_TRUE(m.recordFree("tex", 1000).has_value());
    ASSERT_TRUE(m.recordAllocation("tex2", 1ull << 20, asset, 1000).has_value());

    const Budget* psp = nullptr;
    for (const Budget& b : builtinBudgets())
        if (b.platform == "psp")
            psp = &b;
    ASSERT_NE(psp, nullptr);

    const BudgetVerdict atPeak = evaluateBudget(sessionUsage(m, UsagePoint::Peak), *psp);
    EXPECT_FALSE(atPeak.fits);
    EXPECT_TRUE(atPeak.totalFits); // 41 MB of 64 MB overall
    EXPECT_EQ(atPeak.usedBytes, 41ull << 20);
    const PurposeVerdict* assets = nullptr;
    for (const auto& pv : atPeak.purposes)
        if (pv.purpose == asset)
            assets = &pv;
    ASSERT_NE(assets, nullptr);
    EXPECT_FALSE(assets->fits);
    EXPECT_EQ(assets->headroomBytes, -(9ll << 20)); // 33 MB against 24 MB

    const BudgetVerdict atEnd = evaluateBudget(sessionUsage(m, UsagePoint::End), *psp);
    EXPECT_TRUE(atEnd.fits);
    EXPECT_EQ(atEnd.usedBytes, 9ull << 20);

    const Budget* dc = nullptr;
    for (const Budget& b : builtinBudgets())
        if (b.platform == "dreamcast")
            dc = &b;
    const BudgetVerdict onDreamcast = evaluateBudget(sessionUsage(m, UsagePoint::Peak), *dc);
    EXPECT_FALSE(onDreamcast.totalFits);
    EXPECT_EQ(onDreamcast.headroomBytes, (16ll << 20) - (41ll << 20));
}

TEST(BudgetVerdict, P95IsTimeWeighted)
{
    // 10 MB for 96 % of the time, a 100 MB spike for the last 4 %: p95 is 10 MB, peak 100 MB.
    const SessionModel m = flight::test::spikeSession(10ull << 20, 90ull << 20, 9600, 10000);
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    const SessionUsage p95 = sessionUsage(m, UsagePoint::P95);
    EXPECT_EQ(p95.totalBytes, 10ull << 20);
    EXPECT_EQ(p95.byPurpose[heap], 10ll << 20);
    EXPECT_EQ(sessionUsage(m, UsagePoint::Peak).totalBytes, 100ull << 20);
    EXPECT_EQ(usagePointFromString("p95"), UsagePoint::P95);
    EXPECT_EQ(usagePointFromString("peak"), UsagePoint::Peak);
    EXPECT_EQ(usagePointFromString("end"), UsagePoint::End);
    EXPECT_EQ(usagePointFromString("now"), UsagePoint::End); // while live, the end is now
    EXPECT_EQ(usagePointFromString("max"), std::nullopt);
    EXPECT_FALSE(usagePointFromString("median").has_value());
}

TEST(BudgetVerdict, P95IsTheNearestRankOfTwoThousandMidpointSamples)
{
    // [0, 20000] ms sampled at 2000 midpoints t = 5, 15, ..., 19995. A spike from
    // 19000 covers t >= 19005: exactly 100 samples (5 %). Sorted, 1900 samples of
    // 10 MB then 100 of 100 MB: the nearest rank 1900 (index 1899) is 10 MB.
    // From 18990 it covers 101 samples, and index 1899 is inside the spike.
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    const auto sessionWithSpikeFrom = [](std::int64_t spikeMs) {
        return flight::test::spikeSession(10ull << 20, 90ull << 20, spikeMs, 20000);
    };
    const SessionModel fivePercent = sessionWithSpikeFrom(19000);
    EXPECT_EQ(sessionUsage(fivePercent, UsagePoint::P95).totalBytes, 10ull << 20);
    EXPECT_EQ(sessionUsage(fivePercent, UsagePoint::P95).byPurpose[heap], 10ll << 20);
    const SessionModel oneSampleMore = sessionWithSpikeFrom(18990);
    EXPECT_EQ(sessionUsage(oneSampleMore, UsagePoint::P95).totalBytes, 100ull << 20);
    EXPECT_EQ(sessionUsage(oneSampleMore, UsagePoint::P95).byPurpose[heap], 100ll << 20);
}
