// SPDX-License-Identifier: MIT
#pragma once
// The steps of SessionModel::compactHistory that each work on one of the
// model's stores: the allocations (renumber, keepAllocations) and the
// time-ordered lists of events, markers and samples (keepNewest). What is kept
// is retention_policy.h's; compact_history.cpp runs the steps in order.

#include "model/allocation_record.h"

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace flight::compaction {

inline constexpr std::uint32_t kDropped = 0xFFFFFFFFu;

// old index -> new index, kDropped for allocations freed before `cutoff`.
std::vector<std::uint32_t> renumber(const GrowArray<AllocationRecord>& allocs, std::int64_t cutoff, std::size_t& dropped);

// Keeps the allocations renumber() kept, in order, with their id texts in a
// new arena and their partial-id keys under their new index.
void keepAllocations(const std::vector<std::uint32_t>& newIndex, GrowArray<AllocationRecord>& allocs,
                     GrowArray<char>& ids, std::unordered_map<std::uint32_t, std::uint64_t>& partialIdKeys);

// Items (time-ordered, timeOf(item) in ms) before `cutoff`: keeps the newest
// `maxOld` of them and every item from the cutoff on. Returns how many went.
template <typename T, typename TimeOf>
std::size_t keepNewest(std::vector<T>& items, std::int64_t cutoff, std::size_t maxOld, TimeOf timeOf)
{
    std::size_t old = 0;
    for (const T& item : items)
        if (timeOf(item) < cutoff)
            ++old;
    if (old <= maxOld)
        return 0;
    std::size_t toDrop = old - maxOld;
    const std::size_t dropped = toDrop;
    std::vector<T> kept;
    kept.reserve(items.size() - dropped);
    for (T& item : items) {
        if (toDrop > 0 && timeOf(item) < cutoff) {
            --toDrop;
            continue;
        }
        kept.push_back(std::move(item));
    }
    items = std::move(kept);
    return dropped;
}

// Items before `cutoff`: keeps the last of each `resolution`-ms bucket (aligned
// on multiples of it). Returns how many went.
template <typename T, typename TimeOf>
std::size_t keepLastPerBucket(std::vector<T>& items, std::int64_t cutoff, std::int64_t resolution, TimeOf timeOf)
{
    auto bucketOf = [resolution](std::int64_t t) {
        const std::int64_t q = t / resolution;
        return (t % resolution != 0 && t < 0) ? q - 1 : q;
    };
    auto lastOfBucket = [&](std::size_t i) {
        const std::int64_t t = timeOf(items[i]);
        return t >= cutoff || i + 1 == items.size() || timeOf(items[i + 1]) >= cutoff ||
               bucketOf(timeOf(items[i + 1])) != bucketOf(t);
    };
    std::size_t keptCount = 0;
    for (std::size_t i = 0; i < items.size(); ++i)
        keptCount += lastOfBucket(i) ? 1 : 0;
    const std::size_t dropped = items.size() - keptCount;
    if (dropped == 0)
        return 0;
    std::vector<T> kept;
    kept.reserve(keptCount);
    for (std::size_t i = 0; i < items.size(); ++i)
        if (lastOfBucket(i))
            kept.push_back(std::move(items[i]));
    items = std::move(kept);
    return dropped;
}

} // namespace flight::compaction
