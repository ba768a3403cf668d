#pragma once
// SessionModel's state, shared by the files that implement SessionModel
// (session_model.cpp: recording and operations; session_model_queries.cpp;
// session_model_analytics.cpp; session_model_compaction.cpp). Private to core/model.

#include "session_model.h"

#include "allocation_record.h"
#include "flat_id_table.h"
#include "id_hash.h"
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
    FlatIdTable table;
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
    std::uint64_t allocatedBytesEver = 0;
    std::vector<bool> sampledPurposes; // purposes whose level a sample has set
    std::optional<MemoryLimits> limits;
    bool aboveSoft = false;
    bool aboveHard = false;
    bool softEver = false;
    bool hardEver = false;

    std::vector<SessionEvent> events;
    std::vector<Marker> markers;
    std::vector<ReportedSample> samples;
    RetentionState retention; // what compactHistory dropped (session_compaction.cpp)

    explicit Impl(SessionInfo i) : info(std::move(i))
    {
        if (info.startedAt != 0) {
            haveTime = true;
            firstMs = lastMs = info.startedAt;
        }
    }

    std::string_view idText(const AllocationRecord& r) const { return std::string_view(ids.data() + r.idOffset, r.idLen); }

    // Clamp a time to the timeline, flag it when it went backwards, apply due frees.
    std::int64_t advance(std::int64_t t)
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
        flushFrees(t);
        lastMs = t;
        return t;
    }

    void flushFrees(std::int64_t upTo)
    {
        while (!pendingFrees.empty() && pendingFrees.top().first <= upTo) {
            const auto index = pendingFrees.top().second;
            pendingFrees.pop();
            timeline.appendFree(index, allocs[index]);
            afterChange(allocs[index].freedAt);
        }
    }

    void afterChange(std::int64_t t)
    {
        const std::uint64_t used = timeline.current().used();
        peak = std::max(peak, used);
        if (!limits)
            return;
        const std::uint64_t soft = limits->softLimit.bytes;
        const std::uint64_t hard = limits->hardLimit.bytes;
        const bool overSoft = soft > 0 && used > soft;
        const bool overHard = hard > 0 && used > hard;
        if (overSoft && !aboveSoft) {
            softEver = true;
            events.push_back({SessionEventKind::SoftLimitCrossed, t,
                              MemoryError{MemoryErrorCode::LimitExceeded,
                                          "used " + formatBytes(used) + " went above the soft limit " + formatBytes(soft),
                                          {}, t}});
        }
        if (overHard && !aboveHard) {
            hardEver = true;
            events.push_back({SessionEventKind::HardLimitCrossed, t,
                              MemoryError{MemoryErrorCode::LimitExceeded,
                                          "used " + formatBytes(used) + " went above the hard limit " + formatBytes(hard),
                                          {}, t}});
        }
        aboveSoft = overSoft;
        aboveHard = overHard;
    }

    std::unexpected<MemoryError> fail(MemoryErrorCode code, std::string message, std::string_view id, std::int64_t t)
    {
        MemoryError e{code, std::move(message), std::string(id), t};
        events.push_back({SessionEventKind::OperationError, t, e});
        return std::unexpected(std::move(e));
    }

    // Grow the id table (load above 3/4) by re-inserting every allocation in
    // creation order: records and id texts are read sequentially, and a reused
    // id ends up pointing at its newest allocation, as before the growth.
    void growTable() { rebuildTable(table.capacity() * 2); }

    void rebuildTable(std::size_t capacity)
    {
        table.reset(capacity);
        constexpr std::uint32_t kAhead = 8; // prefetch the slot of the id 8 records on
        const auto n = static_cast<std::uint32_t>(allocs.size());
        for (std::uint32_t i = 0; i < n; ++i) {
            if (i + kAhead < n)
                table.prefetch(hashId(idText(allocs[i + kAhead])));
            const AllocationRecord& r = allocs[i];
            FlatIdTable::Probe p;
            std::uint64_t key = 0;
            auto partial = partialIdKeys.empty() ? partialIdKeys.end() : partialIdKeys.find(i);
            if (partial != partialIdKeys.end()) {
                key = partial->second;
                p = table.probe(key, [&](std::uint32_t j) {
                    auto it = partialIdKeys.find(j);
                    return it != partialIdKeys.end() && it->second == key;
                });
            } else {
                const std::string_view id = idText(r);
                key = hashId(id);
                p = find(key, id);
            }
            table.set(p, key, i);
        }
    }

    // The table compares 7 bits of the hash first; a candidate is confirmed by
    // its text (ids kept whole) or by its full key (the others).
    FlatIdTable::Probe find(std::uint64_t key, std::string_view id) const
    {
        return table.probe(key, [&](std::uint32_t index) {
            const auto& r = allocs[index];
            if (!partialIdKeys.empty())
                if (auto it = partialIdKeys.find(index); it != partialIdKeys.end())
                    return it->second == key;
            return r.idLen == id.size() && (id.empty() || std::memcmp(ids.data() + r.idOffset, id.data(), id.size()) == 0);
        });
    }

    const AllocationRecord* findRecord(std::string_view id) const
    {
        const auto p = find(hashId(id), id);
        return p.found ? &allocs[p.index] : nullptr;
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
