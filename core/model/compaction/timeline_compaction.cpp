// SPDX-License-Identifier: MIT
// UsageTimeline::compacted, the usage-history step of SessionModel::compactHistory:
// before the cutoff, the timeline becomes downsampled buckets (retention_policy.h).

#include "model/usage_timeline.h"

#include <algorithm>
#include <array>

namespace flight {

namespace {
std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// A state of the old timeline kept for the history: when, which event, and its usage.
struct HistoryPoint {
    std::int64_t t = 0;
    std::size_t event = 0;
    PurposeUsage usage;
    std::uint64_t untracked = 0;
    std::uint64_t used = 0;
};
} // namespace

UsageTimeline UsageTimeline::compacted(std::int64_t cutoff, std::int64_t resolution, const Allocations& allocs,
                                       const std::vector<std::uint32_t>& newIndex) const
{
    UsageTimeline out;
    resolution = std::max<std::int64_t>(1, resolution);
    const std::size_t n = m_log.size();

    // Writes a kept state as the level and untracked changes that lead to it:
    // decreases first, then untracked, then increases, so that no state in
    // between has a higher used than both ends (the history's peaks stay exact).
    auto emit = [&out](const HistoryPoint& p) {
        const std::size_t purposes = std::max(p.usage.size(), out.m_cur.usage.size());
        for (int pass = 0; pass < 2; ++pass) {
            for (std::size_t i = 0; i < purposes; ++i) {
                const auto purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
                const std::int64_t delta = p.usage[purpose] - out.m_cur.usage[purpose];
                if (pass == 0 ? delta < 0 : delta > 0)
                    out.appendLevel(p.t, purpose.id(), delta);
            }
            if (pass == 0 && p.untracked != out.m_cur.untracked)
                out.appendUntracked(p.t, p.untracked);
        }
    };

    TimelineState s;
    bool open = false;
    HistoryPoint lo, hi, last;
    auto capture = [&s](HistoryPoint& p, std::int64_t t) {
        p.t = t;
        p.event = s.index;
        p.usage = s.usage;
        p.untracked = s.untracked;
        p.used = s.used();
    };
    auto flush = [&] {
        std::array<const HistoryPoint*, 3> points{&lo, &hi, &last};
        std::sort(points.begin(), points.end(),
                  [](const HistoryPoint* a, const HistoryPoint* b) { return a->event < b->event; });
        std::size_t written = 0;
        for (const HistoryPoint* p : points) {
            if (p->event == written)
                continue; // the same state as the one before
            emit(*p);
            written = p->event;
        }
        open = false;
    };

    std::size_t i = 0;
    Decoded d{};
    if (n > 0)
        d = decode(m_log[0], allocs);
    for (; i < n && d.t < cutoff; ++i) {
        const std::int64_t b = floorDiv(d.t, resolution);
        step(s, d);
        const std::uint64_t used = s.used();
        if (!open) {
            open = true;
            capture(lo, d.t);
            capture(hi, d.t);
        } else if (used > hi.used) {
            capture(hi, d.t);
        } else if (used < lo.used) {
            capture(lo, d.t);
        }
        const std::int64_t t = d.t;
        if (i + 1 < n)
            d = decode(m_log[i + 1], allocs);
        if (i + 1 == n || d.t >= cutoff || floorDiv(d.t, resolution) != b) {
            capture(last, t); // the bucket's end: the state after its last event
            flush();
        }
    }

    for (; i < n; ++i) {
        const std::uint32_t code = m_log[i];
        const std::uint32_t index = code & kMaxIndex;
        switch (code >> 30) {
        case kAlloc: out.appendAllocation(newIndex[index], allocs[index]); break;
        case kFree: out.appendFree(newIndex[index], allocs[index]); break;
        case kLevel: {
            const Level& l = m_levels[index];
            out.appendLevel(l.t, l.purpose, l.delta);
            break;
        }
        default: {
            const Untracked& u = m_untracked[index];
            out.appendUntracked(u.t, u.value);
            break;
        }
        }
    }
    return out;
}

} // namespace flight
