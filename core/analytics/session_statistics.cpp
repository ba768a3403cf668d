// SPDX-License-Identifier: MIT
#include "session_statistics.h"

#include "model/checked_bytes.h"
#include "model/memory_analytics.h"

#include <algorithm>
#include <map>

namespace flight {
namespace {

// The same figures MemoryAnalytics::calculateMemoryStats() gives for now, at the range's end.
MemoryStats statsAt(const SessionModel& session, const RangeSummary& r)
{
    MemoryStats s;
    WideUBytes sizes = 0; // up to 2^30 sizes of up to 2^63: 128 bits cannot wrap
    for (std::size_t i = 0; i < session.allocationCount(); ++i) {
        const AllocationRecord& a = session.allocationRecord(i);
        if (a.allocatedAt > r.toMs)
            break; // allocations are kept in time order
        ++s.totalAllocations;
        sizes += a.bytes;
        if (a.freedAt <= r.toMs)
            ++s.freedAllocations;
    }
    s.averageAllocationSize = s.totalAllocations == 0 ? 0 : static_cast<std::uint64_t>(sizes / s.totalAllocations);
    s.activeAllocations = s.totalAllocations - s.freedAllocations;
    s.currentBytes = session.usedAt(r.toMs);
    s.byPurpose = r.atEnd;
    s.trackedBytes = static_cast<std::uint64_t>(std::max<std::int64_t>(0, r.atEnd.total()));
    s.peakBytes = r.peakUsedBytes;
    for (const auto& sample : session.samples())
        if (sample.timeMs <= r.toMs)
            s.fragmentationRatio = sample.fragmentationRatio;
    s.efficiencyRatio = s.currentBytes == 0
                            ? 1.0
                            : std::min(1.0, static_cast<double>(s.trackedBytes) / static_cast<double>(s.currentBytes));
    return s;
}

void rank(const SessionModel& session, std::int64_t from, std::int64_t to, std::size_t topN, SessionStatistics& out)
{
    // Positions of the allocations live at some instant of [from, to]; the
    // records are only turned into RankedAllocation for the few kept.
    std::vector<std::uint32_t> live;
    for (std::size_t i = 0; i < session.allocationCount(); ++i) {
        const AllocationRecord& a = session.allocationRecord(i);
        if (a.allocatedAt > to)
            break;
        if (a.freedAt > from)
            live.push_back(static_cast<std::uint32_t>(i));
    }
    const auto toRanked = [&](std::uint32_t i) {
        const AllocationRecord& a = session.allocationRecord(i);
        const bool freed = a.freedAt != AllocationRecord::kLive;
        return RankedAllocation{i, a.bytes, a.allocatedAt, freed ? std::optional<std::int64_t>(a.freedAt) : std::nullopt,
                                (freed ? a.freedAt : session.lastMs()) - a.allocatedAt};
    };
    const auto top = [&](auto better) {
        std::vector<std::uint32_t> v = live;
        const auto n = static_cast<std::ptrdiff_t>(std::min(topN, v.size()));
        std::partial_sort(v.begin(), v.begin() + n, v.end(),
                          [&](std::uint32_t a, std::uint32_t b) { return better(toRanked(a), toRanked(b)); });
        std::vector<RankedAllocation> out;
        for (std::ptrdiff_t k = 0; k < n; ++k)
            out.push_back(toRanked(v[static_cast<std::size_t>(k)]));
        return out;
    };
    // Ties go to the earlier allocation, so the order is the same on every run.
    out.largest = top([](const RankedAllocation& a, const RankedAllocation& b) {
        return a.bytes != b.bytes ? a.bytes > b.bytes : a.index < b.index;
    });
    out.longestLived = top([](const RankedAllocation& a, const RankedAllocation& b) {
        return a.lifetimeMs != b.lifetimeMs ? a.lifetimeMs > b.lifetimeMs : a.index < b.index;
    });
}

} // namespace

SessionStatistics computeSessionStatistics(const SessionModel& session, const std::vector<EventLogEntry>& events,
                                           std::optional<std::pair<std::int64_t, std::int64_t>> range, std::size_t topN)
{
    SessionStatistics out;
    out.wholeSession = !range.has_value();
    out.fromMs = range ? std::min(range->first, range->second) : session.firstMs();
    out.toMs = range ? std::max(range->first, range->second) : session.lastMs();
    out.range = session.rangeSummary(out.fromMs, out.toMs);
    if (out.wholeSession) {
        out.stats = MemoryAnalytics(session).calculateMemoryStats();
        out.trend = MemoryAnalytics(session).getMemoryTrends(session.lastMs() - session.firstMs());
        out.untrackedBytes = session.untrackedBytes();
    } else {
        out.stats = statsAt(session, out.range);
        out.trend = MemoryAnalytics(session).getMemoryTrendsBetween(out.fromMs, out.toMs);
        out.untrackedBytes = out.stats.currentBytes - std::min(out.stats.currentBytes, out.stats.trackedBytes);
    }
    rank(session, out.fromMs, out.toMs, topN, out);

    std::map<MemoryErrorCode, std::uint64_t> byCode;
    for (const auto& e : events)
        if (e.code && (e.kind == EventLogKind::Error || e.kind == EventLogKind::DecodeError) && e.timeMs >= out.fromMs
            && e.timeMs <= out.toMs)
            ++byCode[*e.code];
    for (const auto& [code, count] : byCode)
        out.errorsByCode.push_back({code, count});
    std::stable_sort(out.errorsByCode.begin(), out.errorsByCode.end(),
                     [](const ErrorCount& a, const ErrorCount& b) { return a.count > b.count; });
    return out;
}

} // namespace flight
