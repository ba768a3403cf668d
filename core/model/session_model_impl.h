// SPDX-License-Identifier: MIT
#pragma once
// SessionModel's state, shared by the files that implement SessionModel
// (session_model.cpp: recording; session_model_queries.cpp;
// compaction/compact_history.cpp). Private to core/model.

#include "session_model.h"

#include "allocation_record.h"
#include "checked_bytes.h"
#include "flat_id_table.h"
#include "id_hash.h"
#include "same_bytes.h"
#include "live_id_index.h"
#include "memory_size.h"
#include "usage_timeline.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace flight {

struct SessionModel::Impl {
    SessionInfo info;
    std::optional<std::int64_t> ended;
    bool haveTime = false;
    std::int64_t firstMs = 0;
    std::int64_t lastMs = 0;

    GrowArray<AllocationRecord> allocs;
    GrowArray<char> ids; // arena of id texts (grows by 1/8)
    // Every id ever (built on demand, see ensureTable): records [0, tableBuilt) are in it.
    FlatIdTable table;
    std::size_t tableBuilt = 0;
    LiveIdIndex live; // the allocations with no free known, by id
    // Keys of the allocations whose id text is not kept whole (longer than
    // 65535 bytes, or the arena is full): resolved and rehashed by key alone.
    std::unordered_map<std::uint32_t, std::uint64_t> partialIdKeys;
    UsageTimeline timeline;
    // Frees already known at allocation time but later than the last event,
    // applied when the timeline reaches them: (freedAt, index), earliest first.
    std::priority_queue<std::pair<std::int64_t, std::uint32_t>, std::vector<std::pair<std::int64_t, std::uint32_t>>,
                        std::greater<>>
        pendingFrees;

    std::uint64_t peak = 0;
    WideUBytes allocatedBytesEver = 0; // a sum of up to 2^30 sizes of up to 2^63: 128 bits
    std::uint64_t overflowRefusals = 0;       // changes refused for taking a level past kMaxTrackedBytes
    std::vector<bool> sampledPurposes; // purposes whose level a sample has set
    std::optional<MemoryLimits> limits;
    bool aboveSoft = false;
    bool aboveHard = false;
    bool softEver = false;
    bool hardEver = false;

    std::vector<SessionEvent> events;
    std::vector<Marker> markers;
    std::vector<ReportedSample> samples;
    RetentionState retention; // what compactHistory dropped (compaction/compact_history.cpp)

    explicit Impl(SessionInfo i) : info(std::move(i))
    {
        if (info.startedAt != 0) {
            haveTime = true;
            firstMs = lastMs = info.startedAt;
        }
    }

    std::string_view idText(const AllocationRecord& r) const { return std::string_view(ids.data() + r.idOffset, r.idLen); }

    // Clamp a time to the timeline, flag it when it went backwards, apply due frees.
    // Inline, once per event: the first time and a time that went back are
    // out of line (firstOrBack).
    std::int64_t advance(std::int64_t t)
    {
        if (!haveTime || t < lastMs) [[unlikely]]
            t = firstOrBack(t);
        if (!pendingFrees.empty())
            flushFrees(t);
        lastMs = t;
        return t;
    }
    [[gnu::noinline]] std::int64_t firstOrBack(std::int64_t t)
    {
        if (!haveTime) {
            haveTime = true;
            firstMs = lastMs = t;
        } else if (t < lastMs) {
            events.push_back({SessionEventKind::TimeWentBackwards, lastMs,
                              MemoryError{MemoryErrorCode::MalformedInput,
                                          "timestamp " + std::to_string(t) + " is before " + std::to_string(lastMs) +
                                              "; kept at " + std::to_string(lastMs),
                                          {}, lastMs}});
            t = lastMs;
        }
        return t;
    }

    void flushFrees(std::int64_t upTo)
    {
        while (!pendingFrees.empty() && pendingFrees.top().first <= upTo) {
            const auto index = pendingFrees.top().second;
            pendingFrees.pop();
            AllocationRecord& r = allocs[index];
            if (!canFree(r)) [[unlikely]] {
                // Kept live rather than wrapped (see canFree); a later free of its id may still apply.
                const std::int64_t t = r.freedAt;
                r.freedAt = AllocationRecord::kLive;
                (void)failOverflow("the free of allocation \"" + std::string(idText(r)) + "\" known at " +
                                       std::to_string(t) + " is refused: " + levelBoundText(),
                                   idText(r), t);
                continue;
            }
            timeline.appendFree(index, r);
            afterChange(r.freedAt);
        }
    }

    // Whether removing allocation r keeps its purpose's level and tracked
    // within ±kMaxTrackedBytes. Only samples that set purpose levels below
    // what live allocations hold, again and again, can bring a level that low.
    bool canFree(const AllocationRecord& r) const
    {
        const TimelineState& cur = timeline.current();
        const auto bytes = static_cast<std::int64_t>(r.bytes); // at most kMaxTrackedBytes: recordAllocation checked
        std::int64_t after = 0;
        return addTrackedLevel(cur.usage[MemoryPurpose::fromId(r.purpose)], -bytes, after)
            && addTrackedLevel(cur.tracked, -bytes, after);
    }

    static std::string levelBoundText() { return kTrackedBytesBoundText; }

    // A change refused because a level would pass ±kMaxTrackedBytes: an
    // operation error like the others, also counted (SessionModel::overflowErrors).
    std::unexpected<MemoryError> failOverflow(std::string message, std::string_view id, std::int64_t t)
    {
        ++overflowRefusals;
        return fail(MemoryErrorCode::InvalidSize, std::move(message), id, t);
    }

    void afterChange(std::int64_t t)
    {
        const std::uint64_t used = timeline.current().used();
        peak = std::max(peak, used);
        if (!limits)
            return;
        // Going above a limit (0: none) is an event, once until used comes
        // back under it: only a change of side is worth more than a compare.
        const std::uint64_t soft = limits->softLimit.bytes, hard = limits->hardLimit.bytes;
        const bool overSoft = soft > 0 && used > soft;
        const bool overHard = hard > 0 && used > hard;
        if (overSoft != aboveSoft || overHard != aboveHard) [[unlikely]]
            crossLimits(t, used, overSoft, overHard);
    }

    [[gnu::noinline, gnu::cold]] void crossLimits(std::int64_t t, std::uint64_t used, bool overSoft, bool overHard)
    {
        const auto cross = [&](bool over, std::uint64_t limit, bool& above, bool& ever, SessionEventKind kind,
                               const char* name) {
            if (over && !above) {
                ever = true;
                events.push_back({kind, t,
                                  MemoryError{MemoryErrorCode::LimitExceeded,
                                              "used " + formatBytes(used) + " went above the " + name + " limit "
                                                  + formatBytes(limit),
                                              {}, t}});
            }
            above = over;
        };
        cross(overSoft, limits->softLimit.bytes, aboveSoft, softEver, SessionEventKind::SoftLimitCrossed, "soft");
        cross(overHard, limits->hardLimit.bytes, aboveHard, hardEver, SessionEventKind::HardLimitCrossed, "hard");
    }

    std::unexpected<MemoryError> fail(MemoryErrorCode code, std::string message, std::string_view id, std::int64_t t)
    {
        MemoryError e{code, std::move(message), std::string(id), t};
        events.push_back({SessionEventKind::OperationError, t, e});
        return std::unexpected(std::move(e));
    }

    // The id table holds every allocation ever made (a reused id points at
    // its newest), but only a free of an id that is not live needs it (to
    // tell "already freed" from "no such allocation"): it is filled up to
    // the newest allocation only then, in creation order, so the records and
    // id texts are read sequentially. Everything else asks `live`.
    void ensureTable()
    {
        const std::size_t n = allocs.size();
        if (tableBuilt == n)
            return;
        if (table.capacity() == 0 || (table.size() + (n - tableBuilt)) * 4 > table.capacity() * 3) {
            std::size_t capacity = std::max<std::size_t>(24, table.capacity());
            while (n * 4 > capacity * 3)
                capacity *= 2;
            table.reset(capacity);
            tableBuilt = 0;
        }
        constexpr std::size_t kAhead = 8; // prefetch the slot of the id 8 records on
        for (std::size_t i = tableBuilt; i < n; ++i) {
            if (i + kAhead < n)
                table.prefetch(keyOf(static_cast<std::uint32_t>(i + kAhead)));
            const auto index = static_cast<std::uint32_t>(i);
            const std::uint64_t key = keyOf(index);
            FlatIdTable::Probe p;
            if (isPartial(index))
                p = table.probe(key, [&](std::uint32_t j) {
                    auto it = partialIdKeys.find(j);
                    return it != partialIdKeys.end() && it->second == key;
                });
            else
                p = find(key, idText(allocs[index]));
            table.set(p, key, index);
        }
        tableBuilt = n;
    }

    // The live index again from the records (after compaction renumbered
    // them): every allocation with no free known, at most one per id.
    void rebuildLive()
    {
        live.clear();
        const auto n = static_cast<std::uint32_t>(allocs.size());
        for (std::uint32_t i = 0; i < n; ++i) {
            if (allocs[i].freedAt != AllocationRecord::kLive)
                continue;
            const std::uint64_t key = keyOf(i);
            live.reserveOne();
            live.insert(live.find(key, [](std::uint32_t) { return false; }), key, i);
        }
    }

    bool isPartial(std::uint32_t index) const { return !partialIdKeys.empty() && partialIdKeys.contains(index); }
    std::uint64_t keyOf(std::uint32_t index) const
    {
        if (!partialIdKeys.empty())
            if (auto it = partialIdKeys.find(index); it != partialIdKeys.end())
                return it->second;
        return hashId(idText(allocs[index]));
    }

    // Whether allocation `index` has the id `id` (hashed to `key`): by its
    // text for ids kept whole, by the full key for the others.
    bool sameId(std::uint32_t index, std::uint64_t key, std::string_view id) const
    {
        const auto& r = allocs[index];
        if (!partialIdKeys.empty())
            if (auto it = partialIdKeys.find(index); it != partialIdKeys.end())
                return it->second == key;
        return r.idLen == id.size() && sameBytes(ids.data() + r.idOffset, id.data(), id.size());
    }

    // The tables compare some bits of the hash first, then sameId.
    FlatIdTable::Probe find(std::uint64_t key, std::string_view id) const
    {
        return table.probe(key, [&](std::uint32_t index) { return sameId(index, key, id); });
    }
    LiveIdIndex::Probe findLive(std::uint64_t key, std::string_view id) const
    {
        return live.find(key, [&](std::uint32_t index) { return sameId(index, key, id); });
    }

    std::uint64_t used() const { return timeline.current().used(); }

    MemoryAllocation toAllocation(const AllocationRecord& r) const
    {
        MemoryAllocation a;
        a.id = std::string(idText(r));
        a.sessionId = info.sessionId;
        a.size = MemorySize{r.bytes};
        a.purpose = MemoryPurpose::fromId(r.purpose);
        a.allocatedAt = r.allocatedAt;
        if (r.freedAt != AllocationRecord::kLive)
            a.freedAt = r.freedAt;
        return a;
    }

    const ReportedSample* sampleAt(std::int64_t t) const
    {
        auto it = std::upper_bound(samples.begin(), samples.end(), t,
                                   [](std::int64_t v, const ReportedSample& s) { return v < s.timeMs; });
        return it == samples.begin() ? nullptr : &*(it - 1);
    }

    MemoryUsageSnapshot makeSnapshot(std::int64_t t, std::uint64_t usedBytes) const
    {
        MemoryUsageSnapshot s;
        s.timestamp = t;
        s.sessionId = info.sessionId;
        s.platform = info.platform;
        s.total = MemorySize{info.totalBytes};
        s.used = MemorySize{usedBytes};
        s.available = MemorySize{info.totalBytes > usedBytes ? info.totalBytes - usedBytes : 0};
        if (const auto* sample = sampleAt(t))
            s.fragmentationRatio = sample->fragmentationRatio;
        return s;
    }
};

} // namespace flight
