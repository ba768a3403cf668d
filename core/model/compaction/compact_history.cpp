// SPDX-License-Identifier: MIT
// SessionModel::compactHistory, the whole of bounded memory: applies the
// policy (retention_policy.h: what is kept) by gluing the per-store steps
// (compaction_steps.h: allocations, events, markers, samples;
// timeline_compaction.cpp: the usage history). Also SessionModel::clone.
#include "model/session_model.h"

#include "model/compaction/compaction_steps.h"
#include "model/session_model_impl.h"

#include <algorithm>

namespace flight {

CompactionResult SessionModel::compactHistory(const RetentionPolicy& policy, std::optional<std::int64_t> nowMs)
{
    Impl& m = *d;
    CompactionResult r;
    r.timelineEventsBefore = r.timelineEventsAfter = m.timeline.eventCount();
    r.fullDetailFromMs = m.retention.fullDetailFromMs;
    r.resolutionMs = m.retention.resolutionMs;
    if (!policy.enabled || !m.haveTime)
        return r;
    const std::int64_t now = std::max(nowMs.value_or(m.lastMs), m.lastMs);
    // Past the last event everything is history: compacted once, then left alone.
    std::int64_t cutoff = std::min(now - std::max<std::int64_t>(0, policy.fullDetail.count()), m.lastMs + 1);
    // Over the cap, the window starts at the newest maxFullDetailEvents
    // changes (every change at that time is kept too).
    const std::size_t held = m.timeline.eventCount();
    if (policy.maxFullDetailEvents > 0 && held > policy.maxFullDetailEvents)
        cutoff = std::max(cutoff, m.timeline.timeOf(held - policy.maxFullDetailEvents, m.allocs));
    if (cutoff <= m.firstMs || cutoff <= m.retention.fullDetailFromMs)
        return r;
    const std::int64_t resolution = policy.resolutionFor(cutoff - m.firstMs);

    std::size_t dropped = 0;
    const std::vector<std::uint32_t> newIndex = compaction::renumber(m.allocs, cutoff, dropped);
    m.timeline = m.timeline.compacted(cutoff, resolution, m.allocs, newIndex);
    compaction::keepAllocations(newIndex, m.allocs, m.ids, m.partialIdKeys);
    m.table = FlatIdTable{}; // filled again when a lookup needs it
    m.tableBuilt = 0;
    m.rebuildLive();
    decltype(m.pendingFrees) pending;
    for (; !m.pendingFrees.empty(); m.pendingFrees.pop())
        pending.emplace(m.pendingFrees.top().first, newIndex[m.pendingFrees.top().second]);
    m.pendingFrees = std::move(pending);

    r.samplesDropped = compaction::keepLastPerBucket(m.samples, cutoff, resolution,
                                                     [](const ReportedSample& s) { return s.timeMs; });
    r.eventsDropped = compaction::keepNewest(m.events, cutoff, policy.maxHistoryEntries,
                                             [](const SessionEvent& e) { return e.timeMs; });
    r.markersDropped = compaction::keepNewest(m.markers, cutoff, policy.maxHistoryEntries,
                                              [](const Marker& mk) { return mk.timeMs; });
    r.compacted = true;
    r.allocationsDropped = dropped;
    r.fullDetailFromMs = cutoff;
    r.resolutionMs = resolution;
    r.timelineEventsAfter = m.timeline.eventCount();

    RetentionState& st = m.retention;
    st.fullDetailFromMs = cutoff;
    st.resolutionMs = resolution;
    st.allocationsDropped += dropped;
    st.samplesDropped += r.samplesDropped;
    st.eventsDropped += r.eventsDropped;
    st.markersDropped += r.markersDropped;
    ++st.compactions;
    return r;
}

const RetentionState& SessionModel::retention() const { return d->retention; }

SessionModel SessionModel::clone() const
{
    SessionModel copy(d->info);
    *copy.d = *d;
    return copy;
}

} // namespace flight
