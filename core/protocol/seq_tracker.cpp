// SPDX-License-Identifier: MIT
#include "protocol/seq_tracker.h"

#include <algorithm>

namespace flight::protocol {

bool SeqTracker::holds(std::uint64_t seq) const
{
    if (m_hasFloor && seq <= m_floor)
        return true;
    // the first range whose end is >= seq
    const auto it = std::lower_bound(m_ranges.begin(), m_ranges.end(), seq,
                                     [](const auto& r, std::uint64_t s) { return r.second < s; });
    return it != m_ranges.end() && it->first <= seq;
}

SeqCheck SeqTracker::check(std::uint64_t seq) const
{
    SeqCheck c;
    if (!m_any)
        return c; // First
    if (holds(seq)) {
        c.kind = SeqCheck::Kind::Duplicate;
        return c;
    }
    const std::uint64_t top = newest();
    if (seq > top) {
        // top < seq <= UINT64_MAX, so top + 1 does not overflow
        if (seq == top + 1) {
            c.kind = SeqCheck::Kind::Next;
        } else {
            c.kind = SeqCheck::Kind::Gap;
            c.missingFrom = top + 1;
            c.missingTo = seq - 1;
        }
        return c;
    }
    c.kind = SeqCheck::Kind::Late;
    c.newest = top;
    c.lateRunStarts = m_last == UINT64_MAX || seq != m_last + 1;
    c.fillsGap = seq > m_first; // everything between the first seq and the newest was counted missing once
    return c;
}

SeqCheck SeqTracker::acceptOther(std::uint64_t seq)
{
    const SeqCheck c = check(seq);
    if (c.kind == SeqCheck::Kind::Duplicate)
        return c;
    if (!m_any)
        m_first = seq;
    m_any = true;
    m_last = seq;
    insert(seq);
    return c;
}

void SeqTracker::insert(std::uint64_t seq)
{
    auto it = std::lower_bound(m_ranges.begin(), m_ranges.end(), seq,
                               [](const auto& r, std::uint64_t s) { return r.second < s; });
    // `it` is the first range ending at or after seq (seq is not inside it: not held)
    const bool joinsBefore = it != m_ranges.begin() && std::prev(it)->second + 1 == seq;
    const bool joinsAfter = it != m_ranges.end() && seq + 1 == it->first;
    if (joinsBefore && joinsAfter) {
        std::prev(it)->second = it->second;
        m_ranges.erase(it);
    } else if (joinsBefore) {
        std::prev(it)->second = seq;
    } else if (joinsAfter) {
        it->first = seq;
    } else {
        m_ranges.insert(it, {seq, seq});
    }
    if (m_ranges.size() > kMaxRanges) {
        m_floor = std::max(m_hasFloor ? m_floor : 0, m_ranges.front().second);
        m_hasFloor = true;
        m_ranges.erase(m_ranges.begin());
    }
}

} // namespace flight::protocol
