// SPDX-License-Identifier: MIT
// SessionModel: what the model holds now, at any instant and over a range;
// the allocations and events it keeps.
#include "session_model.h"

#include "session_model_impl.h"

#include <algorithm>
#include <limits>

namespace flight {

// --- now ---------------------------------------------------------------------

MemoryUsageSnapshot SessionModel::snapshot() const { return d->makeSnapshot(d->lastMs, usedBytes()); }
std::uint64_t SessionModel::usedBytes() const { return d->used(); }
std::uint64_t SessionModel::trackedBytes() const
{
    const auto t = d->timeline.current().tracked;
    return t > 0 ? static_cast<std::uint64_t>(t) : 0;
}
std::uint64_t SessionModel::untrackedBytes() const { return d->timeline.current().untracked; }
std::uint64_t SessionModel::peakBytes() const { return d->peak; }
PurposeUsage SessionModel::usage() const { return d->timeline.current().usage; }
MemoryPressure SessionModel::pressure() const
{
    return computePressure(usedBytes(), d->info.totalBytes, d->info.thresholds);
}
std::optional<MemoryPressure> SessionModel::reportedPressure() const
{
    return d->samples.empty() ? std::nullopt : d->samples.back().reportedPressure;
}
std::uint64_t SessionModel::overflowErrors() const { return d->overflowRefusals; }
bool SessionModel::softLimitExceeded() const { return d->softEver; }
bool SessionModel::hardLimitExceeded() const { return d->hardEver; }
std::int64_t SessionModel::firstMs() const { return d->firstMs; }
std::int64_t SessionModel::lastMs() const { return d->lastMs; }

// --- any instant / range -----------------------------------------------------

PurposeUsage SessionModel::usageAt(std::int64_t t) const { return d->timeline.stateAt(t, d->allocs).usage; }
std::uint64_t SessionModel::usedAt(std::int64_t t) const { return d->timeline.stateAt(t, d->allocs).used(); }
MemoryPressure SessionModel::pressureAt(std::int64_t t) const
{
    return computePressure(usedAt(t), d->info.totalBytes, d->info.thresholds);
}
MemoryUsageSnapshot SessionModel::snapshotAt(std::int64_t t) const { return d->makeSnapshot(t, usedAt(t)); }

RangeSummary SessionModel::rangeSummary(std::int64_t fromMs, std::int64_t toMs) const
{
    const Impl& m = *d;
    if (toMs < fromMs)
        std::swap(fromMs, toMs);
    RangeSummary s;
    s.fromMs = fromMs;
    s.toMs = toMs;
    TimelineRange r = m.timeline.range(fromMs, toMs, m.allocs);
    s.atStart = r.start.usage;
    s.atEnd = r.end.usage;
    s.peakByPurpose = std::move(r.peakByPurpose);
    s.peakUsedBytes = r.peakUsed;
    s.peakUsedAtMs = r.peakUsedAt;
    if (toMs > fromMs) {
        const TimelineArea area = r.end.areaUntil(toMs) - r.start.areaUntil(fromMs);
        s.averageUsedBytes = static_cast<std::uint64_t>(area / (toMs - fromMs));
    } else {
        s.averageUsedBytes = r.start.used();
    }
    // Allocations are stored in time order (times are clamped to rise).
    auto byTime = [](const AllocationRecord& a, std::int64_t t) { return a.allocatedAt < t; };
    const auto lo = std::lower_bound(m.allocs.begin(), m.allocs.end(), fromMs, byTime);
    const auto hi = std::upper_bound(m.allocs.begin(), m.allocs.end(), toMs,
                                     [](std::int64_t t, const AllocationRecord& a) { return t < a.allocatedAt; });
    s.allocationsInRange = static_cast<std::uint64_t>(hi - lo);
    const std::uint64_t freesBefore =
        fromMs == std::numeric_limits<std::int64_t>::min() ? 0 : m.timeline.stateAt(fromMs - 1, m.allocs).frees;
    s.freesInRange = r.end.frees - freesBefore;
    return s;
}

// --- allocations -------------------------------------------------------------

std::vector<MemoryAllocation> SessionModel::listAllocations() const { return listAllocationsAt(d->lastMs); }

std::vector<MemoryAllocation> SessionModel::listAllocationsAt(std::int64_t t) const
{
    const Impl& m = *d;
    std::vector<MemoryAllocation> out;
    const auto end = std::upper_bound(m.allocs.begin(), m.allocs.end(), t,
                                      [](std::int64_t v, const AllocationRecord& a) { return v < a.allocatedAt; });
    for (auto it = m.allocs.begin(); it != end; ++it)
        if (it->freedAt > t)
            out.push_back(m.toAllocation(*it));
    return out;
}

std::size_t SessionModel::allocationCount() const { return d->allocs.size(); }
std::uint64_t SessionModel::freesHeld() const { return d->timeline.current().frees; }
WideUBytes SessionModel::allocatedBytesEver() const { return d->allocatedBytesEver; }

MemoryAllocation SessionModel::allocation(std::size_t index) const
{
    if (index >= d->allocs.size())
        return {};
    return d->toAllocation(d->allocs[index]);
}

const AllocationRecord& SessionModel::allocationRecord(std::size_t index) const
{
    return d->allocs[index];
}

// --- events ------------------------------------------------------------------

const std::vector<SessionEvent>& SessionModel::events() const { return d->events; }
const std::vector<Marker>& SessionModel::markers() const { return d->markers; }
const std::vector<ReportedSample>& SessionModel::samples() const { return d->samples; }
std::vector<MemoryErrorCode> SessionModel::reportedErrorCodes() const
{
    std::vector<MemoryErrorCode> out;
    for (const auto& e : d->events)
        if (e.kind == SessionEventKind::ReportedError)
            out.push_back(e.error.code);
    return out;
}

void SessionModel::forEachUsedChange(std::int64_t from, std::int64_t to,
                                     const std::function<void(std::int64_t, std::uint64_t)>& f) const
{
    d->timeline.forEachUsed(from, to, d->allocs, f);
}

void SessionModel::forEachUsageChange(std::int64_t from, std::int64_t to,
                                      const std::function<void(std::int64_t, std::uint64_t, const PurposeUsage&)>& f) const
{
    d->timeline.forEachState(from, to, d->allocs,
                             [&f](std::int64_t t, const TimelineState& s) { f(t, s.used(), s.usage); });
}

void SessionModel::forEachUsageChangeFrom(std::size_t first,
                                          const std::function<void(std::int64_t, std::uint64_t, const PurposeUsage&)>& f) const
{
    d->timeline.forEachStateFrom(first, d->allocs,
                                 [&f](std::int64_t t, const TimelineState& s) { f(t, s.used(), s.usage); });
}

std::size_t SessionModel::timelineEventCount() const
{
    return d->timeline.eventCount();
}

std::size_t SessionModel::memoryFootprint() const
{
    const Impl& m = *d;
    std::size_t bytes = sizeof(SessionModel) + sizeof(Impl);
    bytes += m.allocs.capacity() * sizeof(AllocationRecord);
    bytes += m.ids.capacity();
    bytes += m.table.footprint();
    bytes += m.live.footprint();
    bytes += m.timeline.footprint();
    bytes += m.pendingFrees.size() * sizeof(std::pair<std::int64_t, std::uint32_t>);
    bytes += m.partialIdKeys.size() * (sizeof(std::pair<const std::uint32_t, std::uint64_t>) + 2 * sizeof(void*));
    bytes += m.sampledPurposes.capacity() / 8;
    for (const auto& e : m.events)
        bytes += sizeof(SessionEvent) + e.error.message.capacity() + e.error.details.capacity();
    for (const auto& mk : m.markers)
        bytes += sizeof(Marker) + mk.label.capacity();
    bytes += m.samples.capacity() * sizeof(ReportedSample);
    return bytes;
}

} // namespace flight
