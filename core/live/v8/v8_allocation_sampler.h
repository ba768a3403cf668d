// SPDX-License-Identifier: MIT
#pragma once
// V8's sampling heap profiler (HeapProfiler.getSamplingProfile) as allocation
// records. V8 keeps one sample per ~samplingInterval bytes allocated, for as
// long as the sampled object lives; each live sample becomes one vm-heap
// allocation of the bytes it stands for (size / (1 - exp(-size / interval)),
// the scaling V8 applies to its own totals), with the allocating function and
// script in its id ("makeObjects (app.js:12) #417"). A sample missing from the
// next profile was collected: its allocation is freed. The profile is peer
// input: its node tree is walked without recursion and bounded, labels are
// escaped and capped, and at most maxLive samples are followed at once.

#include "model/memory_error.h"

#include <QJsonObject>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace flight::live {

struct V8SampledAllocation {
    std::string id;
    std::uint64_t bytes = 0;
};

struct V8AllocationChange {
    std::vector<V8SampledAllocation> allocated;
    std::vector<std::string> freed;          // ids of earlier allocations
    std::uint64_t notFollowed = 0;           // live samples over maxLive, left out
};

class V8AllocationSampler {
public:
    explicit V8AllocationSampler(std::size_t maxLive = 20000);

    // `profile` is getSamplingProfile's result.profile ({head, samples}).
    Result<V8AllocationChange> apply(const QJsonObject& profile);

    std::size_t liveCount() const { return m_live.size(); }
    std::uint64_t liveBytes() const { return m_liveBytes; }

private:
    struct Live {
        std::string id;
        std::uint64_t bytes = 0;
    };
    std::size_t m_maxLive;
    std::unordered_map<std::uint64_t, Live> m_live;   // by the sample's ordinal
    std::uint64_t m_liveBytes = 0;
};

} // namespace flight::live
