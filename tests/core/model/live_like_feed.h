// SPDX-License-Identifier: MIT
#pragma once
// A live-like session fed to several SessionModels at once, for the retention
// and window-export tests.
#include "model/session_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace flight::test {

constexpr std::int64_t T0 = 1764000000000; // a multiple of 1 s: buckets start on it

// A live-like session fed to several models at once: allocations every
// `stepMs` (at T0 + k*step + 3, so never on a bucket boundary), each freed
// after 0..60 s except one in 100 that leaks; a sample every second (untracked
// bytes, and a sampled jit-code-cache level); a marker and a reported error
// every 10 s.
class Feed {
public:
    Feed(std::int64_t stepMs, unsigned seed) : m_step(stepMs), m_rng(seed) {}

    void run(std::vector<SessionModel*> models, std::int64_t untilMs)
    {
        for (; m_now < untilMs; m_now += m_step) {
            const std::int64_t t = T0 + m_now + 3;
            while (!m_frees.empty() && m_frees.front().first <= t) {
                for (auto* m : models)
                    ASSERT_TRUE(m->recordFree(m_frees.front().second, m_frees.front().first));
                m_frees.pop_front();
            }
            const std::string id = "a" + std::to_string(m_next++);
            const std::uint64_t bytes = 64 + m_rng() % 65536;
            const auto purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(m_rng() % 3)); // heap, stack, cache
            for (auto* m : models)
                ASSERT_TRUE(m->recordAllocation(id, bytes, purpose, t));
            if (m_rng() % 100 != 0) {
                const std::int64_t freeAt = t + static_cast<std::int64_t>(m_rng() % 60'000);
                auto it = std::upper_bound(m_frees.begin(), m_frees.end(), freeAt,
                                           [](std::int64_t v, const auto& f) { return v < f.first; });
                m_frees.insert(it, {freeAt, id});
            }
            if ((m_now / m_step) % (1000 / m_step) == 0) { // every second
                ReportedSample s;
                s.timeMs = t;
                s.usedBytes = models.front()->trackedBytes() + m_rng() % (8 << 20);
                PurposeUsage jit;
                jit.add(MemoryPurpose(StandardPurpose::JitCodeCache), static_cast<std::int64_t>(m_rng() % (4 << 20)));
                s.usedBytes += static_cast<std::uint64_t>(jit[MemoryPurpose(StandardPurpose::JitCodeCache)]);
                for (auto* m : models)
                    m->recordSample(s, &jit);
            }
            if ((m_now / m_step) % (10'000 / m_step) == 0) {
                for (auto* m : models) {
                    m->addMarker(t, "tick " + std::to_string(m_now / 1000));
                    m->recordReportedError({MemoryErrorCode::AllocationFailed, "reported", {}, t});
                }
            }
        }
    }

private:
    std::int64_t m_step;
    std::mt19937_64 m_rng;
    std::int64_t m_now = 0;
    std::uint64_t m_next = 0;
    std::deque<std::pair<std::int64_t, std::string>> m_frees; // by time
};

} // namespace flight::test
