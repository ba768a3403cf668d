// SPDX-License-Identifier: MIT
#include "test_sessions.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace flight::test {

SessionModel churnSession(int n)
{
    SessionModel m(SessionInfo{"s", "custom", "", 1ull << 40, {}, 0});
    std::mt19937 rng(42);
    for (int i = 0; i < n; ++i) {
        const auto purpose = MemoryPurpose::fromIndex(i % 4).value();
        EXPECT_TRUE(m.recordAllocation("id-" + std::to_string(i), 1 + rng() % 100000, purpose, i).has_value());
        if (i >= 500 && (i - 500) % 3 == 0) {
            EXPECT_TRUE(m.recordFree("id-" + std::to_string(i - 500), i).has_value());
        }
    }
    return m;
}

SessionModel spikeSession(std::uint64_t baseBytes, std::uint64_t spikeBytes, std::int64_t spikeFromMs, std::int64_t endMs)
{
    SessionModel m(SessionInfo{"s", "custom", "", 1ull << 30, {}, 0});
    const auto heap = MemoryPurpose(StandardPurpose::VmHeap);
    EXPECT_TRUE(m.recordAllocation("base", baseBytes, heap, 0).has_value());
    EXPECT_TRUE(m.recordAllocation("spike", spikeBytes, heap, spikeFromMs).has_value());
    m.addMarker(endMs, "end");
    return m;
}

} // namespace flight::test
