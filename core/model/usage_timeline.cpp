// SPDX-License-Identifier: MIT
#include "usage_timeline.h"

#include <algorithm>

namespace flight {

UsageTimeline::Decoded UsageTimeline::decode(std::uint32_t code, const Allocations& allocs) const
{
    const std::uint32_t kind = code >> 30;
    const std::uint32_t i = code & kMaxIndex;
    switch (kind) {
    case kAlloc: {
        const auto& r = allocs[i];
        return {r.allocatedAt, static_cast<std::int64_t>(r.bytes), 0, r.purpose, kAlloc};
    }
    case kFree: {
        const auto& r = allocs[i];
        return {r.freedAt, -static_cast<std::int64_t>(r.bytes), 0, r.purpose, kFree};
    }
    case kLevel: {
        const auto& l = m_levels[i];
        return {l.t, l.delta, 0, l.purpose, kLevel};
    }
    default: {
        const auto& u = m_untracked[i];
        return {u.t, 0, u.value, 0, kUntracked};
    }
    }
}

void UsageTimeline::appendLevel(std::int64_t t, std::uint16_t purpose, std::int64_t delta)
{
    const auto i = static_cast<std::uint32_t>(m_levels.size());
    m_levels.push_back({t, delta, purpose});
    append((static_cast<std::uint32_t>(kLevel) << 30) | i, {t, delta, 0, purpose, kLevel});
}

void UsageTimeline::appendUntracked(std::int64_t t, std::uint64_t value)
{
    const auto i = static_cast<std::uint32_t>(m_untracked.size());
    m_untracked.push_back({t, value});
    append((static_cast<std::uint32_t>(kUntracked) << 30) | i, {t, 0, value, 0, kUntracked});
}

TimelineState UsageTimeline::stateAt(std::int64_t t, const Allocations& allocs) const
{
    if (m_checkpoints.empty() || t < m_checkpoints.front().firstTime)
        return TimelineState{};
    // Last checkpoint whose first event is at or before t.
    auto it = std::upper_bound(m_checkpoints.begin(), m_checkpoints.end(), t,
                               [](std::int64_t v, const Checkpoint& c) { return v < c.firstTime; });
    const Checkpoint& cp = *(it - 1);
    if (it == m_checkpoints.end() && !m_log.empty() && m_cur.lastTime <= t)
        return m_cur; // at or after the last event: no scan
    TimelineState s = cp.start;
    while (s.index < m_log.size()) {
        const Decoded d = decode(m_log[s.index], allocs);
        if (d.t > t)
            break;
        step(s, d);
    }
    return s;
}

TimelineRange UsageTimeline::range(std::int64_t from, std::int64_t to, const Allocations& allocs) const
{
    TimelineRange r;
    TimelineState s = stateAt(from, allocs);
    r.start = s;
    r.peakUsed = s.used();
    r.peakUsedAt = from;
    r.peakByPurpose = s.usage;
    const std::size_t n = m_log.size();
    while (s.index < n) {
        if (s.index % kBlock == 0) {
            // Whole blocks in range are taken from their checkpoints, and the state is
            // copied once after the last of them: a live window asks for the whole
            // session at every refresh (millions of events, on the UI thread).
            std::size_t b = s.index / kBlock;
            const std::size_t first = b;
            for (; b < m_checkpoints.size(); ++b) {
                // The block's last event is at or before the next block's first (times
                // rise): that one is read only when the next block's first is past `to`.
                const std::size_t end = std::min((b + 1) * kBlock, n);
                const bool whole = b + 1 < m_checkpoints.size() && m_checkpoints[b + 1].firstTime <= to;
                if (!whole && decode(m_log[end - 1], allocs).t > to)
                    break;
                const Checkpoint& cp = m_checkpoints[b];
                if (cp.maxUsed > r.peakUsed) {
                    r.peakUsed = cp.maxUsed;
                    r.peakUsedAt = cp.maxUsedAt;
                }
                for (std::size_t p = 0; p < cp.maxByPurpose.size(); ++p) {
                    const auto purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(p));
                    auto& m = r.peakByPurpose.at(purpose);
                    m = std::max(m, cp.maxByPurpose[purpose]);
                }
            }
            if (b > first) {
                s = b < m_checkpoints.size() ? m_checkpoints[b].start : m_cur;
                continue;
            }
        }
        const Decoded d = decode(m_log[s.index], allocs);
        if (d.t > to)
            break;
        step(s, d);
        raisePeaks(s, d, r.peakUsed, r.peakUsedAt, r.peakByPurpose);
    }
    r.end = std::move(s);
    return r;
}

std::size_t UsageTimeline::footprint() const
{
    std::size_t bytes = m_log.capacity() * sizeof(std::uint32_t) + m_levels.capacity() * sizeof(Level) +
                        m_untracked.capacity() * sizeof(Untracked) +
                        m_checkpoints.capacity() * sizeof(Checkpoint);
    const std::size_t customs = m_cur.usage.size() - kStandardPurposeCount;
    // Each checkpoint holds two PurposeUsage whose custom purposes spill to the heap.
    bytes += m_checkpoints.size() * 2 * customs * sizeof(std::int64_t);
    return bytes;
}

} // namespace flight
