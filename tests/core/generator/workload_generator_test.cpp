// SPDX-License-Identifier: MIT
#include "generator/workload_generator.h"
#include "generator/workload_profile.h"
#include "generator/workload_recording.h"
#include "generator/xoshiro256.h"
#include "generator_test_support.h"

#include "protocol/session_store.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

using namespace flight;
using namespace flight::generator;
using namespace flight::generator::test;

namespace {

WorkloadOptions opts(std::string platform, std::uint64_t events, std::uint64_t seed)
{
    WorkloadOptions o;
    o.platform = std::move(platform);
    o.events = events;
    o.seed = seed;
    return o;
}

std::filesystem::path write(const WorkloadOptions& o, const std::string& name, bool compress = false)
{
    const auto path = scratchPath("flight-gen-test", name);
    WorkloadRecordingOptions ro;
    ro.compress = compress;
    auto r = writeWorkloadRecording(o, path.string(), ro);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return path;
}

// FNV-1a over the values the generator chose (not their JSON text): pins the
// generator's output across machines and standard libraries.
std::uint64_t fingerprint(const WorkloadOptions& o)
{
    auto g = WorkloadGenerator::create(o);
    std::uint64_t h = 0xcbf29ce484222325ull;
    auto mix = [&](std::uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xff;
            h *= 0x100000001b3ull;
        }
    };
    while (const auto* m = g->next()) {
        mix(m->payload.index());
        if (const auto* a = m->as<protocol::AllocationMsg>()) {
            mix(a->bytes);
            mix(a->purpose.id());
            mix(static_cast<std::uint64_t>(a->allocatedAt));
        } else if (const auto* f = m->as<protocol::FreeMsg>()) {
            for (char c : f->allocationId)
                mix(static_cast<unsigned char>(c));
            mix(static_cast<std::uint64_t>(f->freedAt));
        } else if (const auto* u = m->as<protocol::MemoryUpdateMsg>()) {
            mix(*u->usedBytes);
            mix(static_cast<std::uint64_t>(*u->fragmentationRatio * 100.0 + 0.5));
        }
    }
    return h;
}

} // namespace

TEST(Xoshiro256, KnownSequence)
{
    // splitmix64 seeding + xoshiro256**: first outputs for seed 0 (reference algorithm).
    Xoshiro256 r(0);
    std::uint64_t state = 0;
    EXPECT_EQ(Xoshiro256::splitmix64(state), 0xE220A8397B1DCDAFull);
    const std::uint64_t a = r.next(), b = r.next();
    EXPECT_NE(a, b);
    Xoshiro256 again(0);
    EXPECT_EQ(again.next(), a);
    EXPECT_EQ(again.next(), b);
    for (int i = 0; i < 1000; ++i) {
        const double u = r.unit();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        ASSERT_LT(r.below(7), 7u);
    }
}

TEST(WorkloadGenerator, SameSeedGivesByteIdenticalRecordings)
{
    for (bool zstd : {false, true}) {
        const auto o = opts("v6r-small", 6000, 42);
        const std::string ext = zstd ? ".jsonl.zst" : ".jsonl";
        const auto a = readFile(write(o, "same-a" + ext, zstd));
        const auto b = readFile(write(o, "same-b" + ext, zstd));
        ASSERT_GT(a.size(), 1000u);
        EXPECT_EQ(a, b) << (zstd ? "zstd" : "plain");
        const auto c = readFile(write(opts("v6r-small", 6000, 43), "other" + ext, zstd));
        EXPECT_NE(a, c);
        EXPECT_GT(a.size(), c.size() * 9 / 10); // similar size, different content
    }
}

TEST(WorkloadGenerator, FingerprintIsStable)
{
    // Values the generator picks for fixed options; a change here changes every
    // sample recording (regenerate them with scripts/make-samples).
    const auto a = fingerprint(opts("dreamcast", 3000, 1));
    EXPECT_EQ(a, 0x88ae33437df4264cull) << std::hex << a;
    EXPECT_NE(a, fingerprint(opts("dreamcast", 3000, 2)));
    EXPECT_NE(a, fingerprint(opts("psp", 3000, 1)));
}

TEST(WorkloadGenerator, EventCountIsExact)
{
    for (std::uint64_t n : {16ull, 17ull, 100ull, 2500ull, 10'001ull}) {
        auto g = WorkloadGenerator::create(opts("custom", n, 7));
        ASSERT_TRUE(g);
        std::uint64_t count = 0;
        const protocol::Message* last = nullptr;
        std::uint64_t expectSeq = 1;
        while (const auto* m = g->next()) {
            if (count == 0) {
                EXPECT_NE(m->as<protocol::SessionStartedMsg>(), nullptr);
            }
            EXPECT_EQ(m->seq, expectSeq++);
            last = m;
            ++count;
        }
        EXPECT_EQ(count, n);
        ASSERT_NE(last, nullptr);
        EXPECT_NE(last->as<protocol::SessionEndedMsg>(), nullptr);
        EXPECT_EQ(g->next(), nullptr);
        EXPECT_TRUE(g->finished());

        const auto path = write(opts("custom", n, 7), "count-" + std::to_string(n) + ".jsonl");
        const auto text = readFile(path);
        EXPECT_EQ(static_cast<std::uint64_t>(std::ranges::count(text, '\n')), n + 1); // + header
        auto l = load(path);
        EXPECT_EQ(l.store->messagesApplied(), n);
        EXPECT_EQ(l.store->decodeErrors(), 0u);
        EXPECT_EQ(l.store->sessionErrors(), 0u);
        ASSERT_EQ(l.store->sessionCount(), 1u);
        EXPECT_TRUE(l.store->session(0).endedAt().has_value());
    }
}

TEST(WorkloadGenerator, RefusesBadOptions)
{
    auto bad = WorkloadGenerator::create(opts("gameboy", 1000, 1));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, MemoryErrorCode::UnsupportedPlatform);
    auto few = WorkloadGenerator::create(opts("psp", 15, 1));
    ASSERT_FALSE(few);
    EXPECT_EQ(few.error().code, MemoryErrorCode::InvalidSize);
    auto path = writeWorkloadRecording(opts("psp", 100, 1), "/nonexistent-dir/x.jsonl");
    ASSERT_FALSE(path);
    EXPECT_EQ(path.error().code, MemoryErrorCode::IoError);
}

class EveryPlatform : public ::testing::TestWithParam<std::string> {};

// Loads the generated file through SessionStore and walks the model's computed
// pressure at every instant a message carries: low -> medium -> high ->
// critical in that order, then back down to low, for every platform.
TEST_P(EveryPlatform, PressureCrossesEveryLevelAndComesBack)
{
    const std::string platform = GetParam();
    for (std::uint64_t events : {2'000ull, 10'000ull}) {
        const auto o = opts(platform, events, 1);
        const auto path = write(o, "pressure-" + platform + "-" + std::to_string(events) + ".jsonl.zst", true);
        auto l = load(path);
        ASSERT_EQ(l.store->decodeErrors(), 0u);
        ASSERT_EQ(l.store->sessionErrors(), 0u);
        ASSERT_EQ(l.store->sessionCount(), 1u);
        const SessionModel& model = l.store->session(0);
        EXPECT_EQ(model.info().platform, platform);

        std::vector<std::int64_t> times;
        auto g = WorkloadGenerator::create(o);
        while (g->next())
            times.push_back(g->nowMs());
        times.erase(std::unique(times.begin(), times.end()), times.end());

        std::vector<MemoryPressure> series; // distinct consecutive levels
        std::map<MemoryPressure, int> instants;
        for (std::int64_t t : times) {
            const MemoryPressure p = model.pressureAt(t);
            ++instants[p];
            if (series.empty() || series.back() != p)
                series.push_back(p);
        }
        // the levels in order, each entered from the one below at least once
        std::size_t at = 0;
        for (MemoryPressure want : {MemoryPressure::Low, MemoryPressure::Medium, MemoryPressure::High,
                                    MemoryPressure::Critical}) {
            while (at < series.size() && series[at] != want)
                ++at;
            ASSERT_LT(at, series.size()) << platform << " " << events << ": never reached " << toString(want);
        }
        // ... and back down to low after the first critical
        const auto back = std::find(series.begin() + static_cast<std::ptrdiff_t>(at), series.end(),
                                    MemoryPressure::Low);
        EXPECT_NE(back, series.end()) << platform << ": never back to low after critical";
        EXPECT_EQ(model.pressure(), MemoryPressure::Low) << platform << ": ends low";
        // critical is held for a while, not one instant (a plateau on the curve)
        EXPECT_GE(instants[MemoryPressure::Critical], static_cast<int>(times.size() / 50)) << platform;
        // never above total
        EXPECT_LT(model.peakBytes(), model.info().totalBytes) << platform;
        EXPECT_FALSE(model.hardLimitExceeded()) << platform;
    }
}

INSTANTIATE_TEST_SUITE_P(Generator, EveryPlatform,
                         ::testing::ValuesIn(WorkloadProfile::platforms()),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::ranges::replace(n, '-', '_');
                             return n;
                         });

TEST(WorkloadGenerator, ConsoleTitleStreamsAssets)
{
    const auto path = write(opts("dreamcast", 10'000, 3), "console.jsonl");
    auto l = load(path);
    ASSERT_EQ(l.store->sessionCount(), 1u);
    const SessionModel& m = l.store->session(0);
    EXPECT_EQ(m.info().totalBytes, 16u << 20);

    std::map<StandardPurpose, std::uint64_t> count;
    for (std::size_t i = 0; i < m.allocationCount(); ++i)
        ++count[static_cast<StandardPurpose>(m.allocation(i).purpose.id())];
    EXPECT_GT(count[StandardPurpose::AssetCache], count[StandardPurpose::WasmLinear]);
    EXPECT_GT(count[StandardPurpose::WasmLinear], 0u);
    EXPECT_GT(count[StandardPurpose::ComponentStack], 0u);
    EXPECT_EQ(count[StandardPurpose::SystemReserved], 2u);
    EXPECT_EQ(count[StandardPurpose::JitCodeCache], 0u);
    EXPECT_EQ(count[StandardPurpose::NetworkBuffers], 0u);
    // system-reserved comes first and is never freed
    EXPECT_EQ(m.allocation(0).purpose, MemoryPurpose(StandardPurpose::SystemReserved));
    EXPECT_FALSE(m.allocation(0).freedAt.has_value());
    EXPECT_FALSE(m.allocation(1).freedAt.has_value());
    ASSERT_FALSE(m.markers().empty());
    EXPECT_EQ(m.markers().front().label, "boot");
    EXPECT_GE(m.markers().size(), 10u);
    EXPECT_GE(m.samples().size(), 200u);
    EXPECT_FALSE(m.limits().has_value());
    // realistic spacing: a few minutes for 10,000 events, never backwards
    const auto span = m.lastMs() - m.firstMs();
    EXPECT_GT(span, 60'000);
    EXPECT_LT(span, 600'000);
    for (const auto& e : m.events())
        EXPECT_NE(e.kind, SessionEventKind::TimeWentBackwards);
}

TEST(WorkloadGenerator, VmGrowsHeapLeaksAndSetsLimits)
{
    const auto o = opts("v6r-medium", 10'000, 5);
    const auto path = write(o, "vm.jsonl");
    auto l = load(path);
    ASSERT_EQ(l.store->sessionCount(), 1u);
    const SessionModel& m = l.store->session(0);
    EXPECT_EQ(m.info().sessionId, "vm-1");
    EXPECT_EQ(m.info().totalBytes, 1u << 30);
    ASSERT_TRUE(m.limits().has_value());
    EXPECT_EQ(m.limits()->softLimit.bytes, static_cast<std::uint64_t>((1u << 30) * 0.85));
    EXPECT_TRUE(m.softLimitExceeded());

    std::map<StandardPurpose, std::uint64_t> count;
    for (std::size_t i = 0; i < m.allocationCount(); ++i)
        ++count[static_cast<StandardPurpose>(m.allocation(i).purpose.id())];
    for (auto p : {StandardPurpose::VmHeap, StandardPurpose::JitCodeCache, StandardPurpose::NetworkBuffers,
                   StandardPurpose::Temporary})
        EXPECT_GT(count[p], 100u) << MemoryPurpose(p).name();
    EXPECT_GT(count[StandardPurpose::VmHeap], count[StandardPurpose::JitCodeCache]);

    // the slow leak: 1 % of events are vm-heap allocations nobody frees
    auto g = WorkloadGenerator::create(o);
    while (g->next()) {
    }
    EXPECT_EQ(g->counts().leaked, 100u);
    const MemoryStats stats = MemoryAnalytics(m).calculateMemoryStats();
    EXPECT_EQ(stats.activeAllocations, g->liveAllocations());
    EXPECT_GE(stats.activeAllocations, 100u + 1u);
    EXPECT_EQ(stats.totalAllocations, g->counts().allocations);
    EXPECT_EQ(stats.freedAllocations, g->counts().frees);
    EXPECT_EQ(m.usedBytes(), g->usedBytes());

    // the heap grows: its share of tracked bytes rises between the two lows of the curve
    const auto early = m.usageAt(m.firstMs() + (m.lastMs() - m.firstMs()) / 10);
    const auto late = m.usageAt(m.lastMs());
    EXPECT_GT(static_cast<double>(late[StandardPurpose::VmHeap]) / static_cast<double>(std::max<std::int64_t>(1, late.total())),
              static_cast<double>(early[StandardPurpose::VmHeap]) / static_cast<double>(std::max<std::int64_t>(1, early.total())));

    std::set<std::string> labels;
    for (const auto& mk : m.markers())
        labels.insert(mk.label);
    for (const char* want : {"boot", "build started", "level 2 loaded"})
        EXPECT_TRUE(labels.contains(want)) << want;
}

TEST(WorkloadGenerator, TypicalLiveAndLeakOptionsShapeTheSession)
{
    WorkloadOptions o = opts("v6r-large", 100'000, 9);
    o.typicalLiveAllocations = 2'000;
    o.leakedAllocations = 20'000;
    auto g = WorkloadGenerator::create(o);
    std::size_t peakChurned = 0; // live, not leaked, not system-reserved
    while (g->next())
        if (g->produced() > 10) // after the system-reserved block
            peakChurned = std::max<std::size_t>(peakChurned, g->liveAllocations() - g->counts().leaked - 1);
    EXPECT_EQ(g->counts().leaked, 20'000u);
    EXPECT_GE(g->liveAllocations(), 20'000u);
    EXPECT_GT(peakChurned, 2'000u);     // ~x1.6 at the peaks of the curve
    EXPECT_LT(peakChurned, 2'000u * 3);
}
