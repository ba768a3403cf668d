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
    for (std::size_t i = 0; i < allocs.size(); ++i) {
        if (newIndex[i] == kDropped)
            continue;
        AllocationRecord r = allocs[i];
        const char* text = ids.data() + r.idOffset;
        r.idOffset = static_cast<std::uint32_t>(keptIds.size());
        keptIds.append(text, r.idLen);
        keptAllocs.push_back(r);
        if (!partialIdKeys.empty())
            if (auto it = partialIdKeys.find(static_cast<std::uint32_t>(i)); it != partialIdKeys.end())
                keptPartial.emplace(newIndex[i], it->second);
    }
    allocs = std::move(keptAllocs);
    ids = std::move(keptIds);
    partialIdKeys = std::move(keptPartial);
}

} // namespace flight::compaction
