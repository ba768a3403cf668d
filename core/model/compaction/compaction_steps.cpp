// SPDX-License-Identifier: MIT
#include "model/compaction/compaction_steps.h"

#include <cstring>

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
    // In place when the kept id texts lie in the arena in allocation order (as
    // appended): each run of kept records and texts then moves down, never over
    // one not yet moved. A compaction keeps the whole full-detail window, millions
    // of records, once a minute in every store: moving them within their pages
    // costs a fraction of writing them to new ones (page faults, cache misses).
    bool inOrder = true;
    std::uint64_t textEnd = 0;
    for (std::size_t i = 0; i < allocs.size(); ++i)
        if (newIndex[i] != kDropped) {
            ++keptCount;
            idBytes += allocs[i].idLen;
            inOrder = inOrder && allocs[i].idOffset >= textEnd;
            textEnd = std::uint64_t{allocs[i].idOffset} + allocs[i].idLen;
        }
    GrowArray<AllocationRecord> keptAllocs;
    GrowArray<char> keptIds;
    if (!inOrder) {
        keptAllocs.reserve(keptCount);
        keptIds.reserve(idBytes);
    }
    std::unordered_map<std::uint32_t, std::uint64_t> keptPartial;
    std::size_t outCount = 0, outText = 0;
    // Runs of kept records whose texts follow one another are moved whole.
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
        if (!partialIdKeys.empty()) // before the records move over these indices
            for (std::size_t k = i; k < end; ++k)
                if (auto it = partialIdKeys.find(static_cast<std::uint32_t>(k)); it != partialIdKeys.end())
                    keptPartial.emplace(newIndex[k], it->second);
        const std::uint32_t textFrom = allocs[i].idOffset;
        const std::size_t textLength = std::size_t{allocs[end - 1].idOffset} + allocs[end - 1].idLen - textFrom;
        const auto newOffset = static_cast<std::uint32_t>(outText);
        AllocationRecord* to = nullptr;
        if (inOrder) {
            std::memmove(ids.data() + outText, ids.data() + textFrom, textLength);
            std::memmove(static_cast<void*>(allocs.data() + outCount), allocs.data() + i, (end - i) * sizeof(AllocationRecord));
            to = allocs.data() + outCount;
        } else {
            keptIds.append(ids.data() + textFrom, textLength);
            keptAllocs.append(allocs.data() + i, end - i);
            to = keptAllocs.data() + outCount;
        }
        for (std::size_t k = 0; k < end - i; ++k)
            to[k].idOffset = to[k].idOffset - textFrom + newOffset;
        outCount += end - i;
        outText += textLength;
        i = end;
    }
    if (inOrder) {
        allocs.truncate(outCount);
        ids.truncate(outText);
        // Capacity kept for the window to refill; a model that lost most of it
        // (a long recording compacted once) gives it back.
        if (outCount < allocs.capacity() / 2)
            allocs = GrowArray<AllocationRecord>(allocs);
        if (outText < ids.capacity() / 2)
            ids = GrowArray<char>(ids);
    } else {
        allocs = std::move(keptAllocs);
        ids = std::move(keptIds);
    }
    partialIdKeys = std::move(keptPartial);
}

} // namespace flight::compaction
