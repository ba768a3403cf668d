// SPDX-License-Identifier: MIT
#pragma once
// Which `seq`s of one session have been received (protocol.md, "`seq` and
// `since`"), so that a duplicate is only a seq that really came before.
//
// The seqs held are kept as sorted, disjoint ranges [first, last]. A message's
// seq is then
//   - First:     the session's first seq;
//   - Next:      one above the newest seq held (the usual case);
//   - Gap:       above the newest + 1: the seqs in between are missing
//                (missingFrom..missingTo), the message is applied;
//   - Late:      below the newest but never received (a producer that jumped
//                ahead and went on from where it was, or one that reorders):
//                applied, not a duplicate;
//   - Duplicate: held already (a server resending after a reconnect): dropped.
// So a jump (1..5, then 2^63, then 6, 7, ...) costs one gap, and everything
// after it is applied; nothing is dropped for having a smaller number than a
// stray one.
//
// Bounded: at most kMaxRanges ranges per session. Beyond that, the lowest
// range is forgotten and every seq up to its end is taken as held from then
// on (a resend that old is dropped as a duplicate, counted) -- a peer that
// scatters seqs thus costs at most kMaxRanges * 16 bytes per session.
//
// last() is the seq of the message accepted last: what a resume (`since`)
// continues after, whatever stray number came before it.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace flight::protocol {

struct SeqCheck {
    enum class Kind { First, Next, Gap, Late, Duplicate };
    Kind kind = Kind::First;
    std::uint64_t missingFrom = 0; // Gap: the seqs skipped, inclusive
    std::uint64_t missingTo = 0;
    std::uint64_t newest = 0;      // Late: the newest seq held when it came
    bool lateRunStarts = false;    // Late, and the message before it was not seq - 1
    bool fillsGap = false;         // Late, inside a range counted as missing before
};

class SeqTracker {
public:
    static constexpr std::size_t kMaxRanges = 32;

    // What `seq` is, without taking it.
    SeqCheck check(std::uint64_t seq) const;
    // check(), and holds `seq` from now on unless it is a Duplicate.
    SeqCheck accept(std::uint64_t seq)
    {
        // The usual case inline, without the two searches of check() and
        // insert(): one above the newest range's end (never held: every seq
        // held is at or below it) extends that range.
        if (!m_ranges.empty() && m_ranges.back().second != UINT64_MAX && seq == m_ranges.back().second + 1) {
            m_ranges.back().second = seq;
            m_last = seq;
            return {SeqCheck::Kind::Next};
        }
        return acceptOther(seq);
    }
    bool holds(std::uint64_t seq) const;
    bool empty() const { return !m_any; }
    std::uint64_t last() const { return m_last; }
    std::uint64_t newest() const { return m_ranges.empty() ? m_floor : m_ranges.back().second; }
    std::size_t rangeCount() const { return m_ranges.size(); }

private:
    SeqCheck acceptOther(std::uint64_t seq);
    void insert(std::uint64_t seq);

    std::vector<std::pair<std::uint64_t, std::uint64_t>> m_ranges; // sorted, disjoint, not adjacent
    std::uint64_t m_floor = 0;    // with m_hasFloor: every seq <= it is taken as held
    bool m_hasFloor = false;
    std::uint64_t m_first = 0;    // the first seq received
    std::uint64_t m_last = 0;     // the seq accepted last
    bool m_any = false;
};

} // namespace flight::protocol
