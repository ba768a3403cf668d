// SPDX-License-Identifier: MIT
#include "model/compaction/compaction_steps.h"

namespace flight::compaction {

std::vector<std::uint32_t> renumber(const GrowArray<AllocationRecord>& allocs, std::int64_t cutoff, std::size_t& dropped)
{
    std::vector<std::uint32_t> newIndex(allocs.size(), kDropped);
    std::uint32_t next = 0;
    dropped = 0;
    for (std::size_t i = 0; i < allocs.size(); ++i) {
        if (allocs[i].freedAt < cutoff) // freed before the window (a live one's freedAt is kLive)
            ++dropped;
        else
            newIndex[i] = next++;
    }
    return newIndex;
}

void keepAllocations(const std::vector<std::uint32_t>& newIndex, GrowArray<AllocationRecord>& allocs,
                     GrowArray<char>& ids, std::unordered_map<std::uint32_t, std::uint64_t>& partialIdKeys)
{
    std::size_t keptCount = 0, idBytes = 0;
    for (std::size_t i = 0; i < allocs.size(); ++i)
        if (newIndex[i] != kDropped) {
            ++keptCount;
            idBytes += allocs[i].idLen;
        }
    GrowArray<AllocationRecord> keptAllocs;
    GrowArray<char> keptIds;
    keptAllocs.reserve(keptCount);
    keptIds.reserve(idBytes);
    std::unordered_map<std::uint32_t, std::uint64_t> keptPartial;
    // Runs of kept allocations are copied whole, their id texts too when they sit
    // one after the other in the arena (as appended): a compaction keeps the whole
    // full-detail window, millions of records, once a minute in each store.
    std::size_t i = 0;
    while (i < allocs.size()) {
        if (newIndex[i] == kDropped) {
            ++i;
            continue;
        }
        std::size_t end = i + 1;
        while (end < allocs.size() && newIndex[end] != kDropped
               && allocs[end].idOffset == allocs[end - 1].idOffset + allocs[end - 1].idLen)
            ++end;
        const std::size_t from = keptAllocs.size();
        const std::uint32_t textFrom = allocs[i].idOffset;
        const std::uint32_t textTo = allocs[end - 1].idOffset + allocs[end - 1].idLen;
        const auto newOffset = static_cast<std::uint32_t>(keptIds.size());
        keptIds.append(ids.data() + textFrom, textTo - textFrom);
        keptAllocs.append(allocs.data() + i, end - i);
        for (std::size_t k = from; k < keptAllocs.size(); ++k)
            keptAllocs[k].idOffset = keptAllocs[k].idOffset - textFrom + newOffset;
        if (!partialIdKeys.empty())
            for (std::size_t k = i; k < end; ++k)
                if (auto it = partialIdKeys.find(static_cast<std::uint32_t>(k)); it != partialIdKeys.end())
                    keptPartial.emplace(newIndex[k], it->second);
        i = end;
    }
    allocs = std::move(keptAllocs);
    ids = std::move(keptIds);
    partialIdKeys = std::move(keptPartial);
}

} // namespace flight::compaction
