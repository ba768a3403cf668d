// SPDX-License-Identifier: MIT
// LiveIdIndex (the model's index of live allocations) against std::unordered_map,
// and SessionModel's id errors against a plain reference, over random
// allocate / free / reuse sequences: the live index answers frees and
// "already live", the table of every id is only filled when a free names an
// id that is not live, and both must give what one table of every id gave.
#include "model/id_hash.h"
#include "model/live_id_index.h"
#include "model/retention_policy.h"
#include "model/session_model.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

using namespace flight;

namespace {

constexpr std::int64_t T0 = 1764000000000;

// Keys whose low 32 bits (home and stored bits) are drawn from a handful of
// values near 0 and near 2^32: long runs, runs that wrap past the last slot,
// and equal stored bits for different keys (only matches() tells them apart).
std::uint64_t crowdedKey(std::mt19937_64& rng)
{
    static const std::uint32_t lows[] = {0u, 1u, 2u, 0x7FFFFFFFu, 0xFFFFFFF0u, 0xFFFFFFFEu, 0xFFFFFFFFu};
    return (rng() << 32) | lows[rng() % std::size(lows)];
}

void checkAgainstMap(bool crowded)
{
    std::mt19937_64 rng(crowded ? 7 : 8);
    LiveIdIndex index;
    std::unordered_map<std::uint64_t, std::uint32_t> ref; // key -> index
    std::vector<std::uint64_t> keyOf;                     // index -> key (the "records")
    auto matches = [&](std::uint64_t key) { return [&, key](std::uint32_t i) { return keyOf[i] == key; }; };
    for (int step = 0; step < 200000; ++step) {
        const bool add = ref.size() < 50 || rng() % 100 < (step < 100000 ? 55u : 45u);
        if (add) {
            const std::uint64_t key = crowded ? crowdedKey(rng) : rng();
            index.reserveOne();
            const auto p = index.find(key, matches(key));
            ASSERT_EQ(p.found, ref.contains(key));
            if (p.found)
                continue;
            const auto i = static_cast<std::uint32_t>(keyOf.size());
            keyOf.push_back(key);
            index.insert(p, key, i);
            ref.emplace(key, i);
        } else {
            auto it = ref.begin();
            std::advance(it, static_cast<long>(rng() % ref.size()));
            const std::uint64_t key = it->first;
            const auto p = index.find(key, matches(key));
            ASSERT_TRUE(p.found);
            ASSERT_EQ(p.index, it->second);
            index.erase(p);
            ref.erase(it);
            ASSERT_FALSE(index.find(key, matches(key)).found);
        }
        ASSERT_EQ(index.size(), ref.size());
        if (step % 20000 == 0) // every entry still reachable from its home
            for (const auto& [key, i] : ref) {
                const auto p = index.find(key, matches(key));
                ASSERT_TRUE(p.found);
                ASSERT_EQ(p.index, i);
                ASSERT_EQ(index.firstCandidate(key) >= 0, true);
            }
    }
    EXPECT_LE(index.size() * 4, index.capacity() * 3);
    const LiveIdIndex copy = index;
    for (const auto& [key, i] : ref)
        EXPECT_EQ(copy.find(key, matches(key)).index, i);
}

} // namespace

TEST(LiveIdIndex, SameAnswersAsAMapUnderRandomInsertsAndErases)
{
    checkAgainstMap(false);
}

TEST(LiveIdIndex, CrowdedHomesAndWrappingRunsStayReachableAfterErase)
{
    checkAgainstMap(true);
}

TEST(LiveIdIndex, EmptyIndexFindsNothing)
{
    LiveIdIndex index;
    EXPECT_FALSE(index.find(hashId("a"), [](std::uint32_t) { return true; }).found);
    EXPECT_EQ(index.firstCandidate(hashId("a")), -1);
    EXPECT_EQ(index.footprint(), 0u);
}

// The model's id errors against a reference that keeps every id's newest
// allocation in a std::map, with ids reused, double frees, unknown frees,
// duplicate live allocations, allocations with a known free, and a compaction
// in the middle (which drops freed allocations: their ids become unknown).
TEST(LiveIdIndex, ModelIdErrorsMatchAReferenceOverRandomStreams)
{
    for (int seed = 0; seed < 3; ++seed) {
        std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
        SessionInfo info;
        info.sessionId = "ids";
        SessionModel m(info);
        struct Ref {
            bool live = false;
            std::int64_t freedAt = 0;
        };
        std::map<std::string, Ref> ref; // newest allocation per id
        std::int64_t t = T0;
        std::uint64_t usedRef = 0;
        std::map<std::string, std::uint64_t> bytesOf;
        for (int step = 0; step < 60000; ++step) {
            t += static_cast<std::int64_t>(rng() % 3);
            const std::string id = "id-" + std::to_string(rng() % 3000);
            const auto op = rng() % 10;
            auto it = ref.find(id);
            if (op < 5) {
                const std::uint64_t bytes = 1 + rng() % 1000;
                const bool knownFree = op == 4;
                auto r = knownFree ? m.recordAllocation(id, bytes, StandardPurpose::VmHeap, t, t)
                                   : m.recordAllocation(id, bytes, StandardPurpose::VmHeap, t);
                if (it != ref.end() && it->second.live) {
                    ASSERT_FALSE(r) << step;
                    ASSERT_EQ(r.error().code, MemoryErrorCode::InvalidAllocation) << step;
                    continue;
                }
                ASSERT_TRUE(r) << step;
                ref[id] = knownFree ? Ref{false, t} : Ref{true, 0};
                if (!knownFree) {
                    usedRef += bytes;
                    bytesOf[id] = bytes;
                }
            } else {
                auto r = m.recordFree(id, t);
                if (it == ref.end()) {
                    ASSERT_FALSE(r) << step;
                    ASSERT_EQ(r.error().code, MemoryErrorCode::InvalidAllocation) << step;
                } else if (!it->second.live) {
                    ASSERT_FALSE(r) << step;
                    ASSERT_EQ(r.error().code, MemoryErrorCode::AlreadyFreed) << step;
                    ASSERT_NE(r.error().message.find(std::to_string(it->second.freedAt)), std::string::npos);
                } else {
                    ASSERT_TRUE(r) << step;
                    it->second = {false, t};
                    usedRef -= bytesOf[id];
                }
            }
            ASSERT_EQ(m.usedBytes(), usedRef) << step;
            if (step == 30000) {
                // Keep full detail only from now on: every allocation freed before is dropped.
                RetentionPolicy policy;
                policy.enabled = true;
                policy.fullDetail = std::chrono::milliseconds(0);
                ASSERT_TRUE(m.compactHistory(policy, t).compacted);
                for (auto r = ref.begin(); r != ref.end();)
                    r = (!r->second.live && r->second.freedAt < t) ? ref.erase(r) : std::next(r);
            }
        }
        EXPECT_EQ(MemoryAnalytics(m).calculateMemoryStats().activeAllocations,
                  static_cast<std::uint64_t>(std::count_if(ref.begin(), ref.end(),
                                                           [](const auto& e) { return e.second.live; })));
    }
}
