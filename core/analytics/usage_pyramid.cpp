// SPDX-License-Identifier: MIT
#include "usage_pyramid.h"

#include <algorithm>
#include <limits>

namespace flight {

UsagePyramid::UsagePyramid(const SessionModel& session)
{
    session.forEachUsageChange(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                               [this](std::int64_t t, std::uint64_t used, const PurposeUsage& u) { append(t, used, &u); });
}

UsagePyramid::Node UsagePyramid::merge(const Node& a, const Node& b)
{
    Node n;
    n.firstMs = a.firstMs;
    n.lastMs = b.lastMs;
    n.minUsed = std::min(a.minUsed, b.minUsed);
    if (b.maxUsed > a.maxUsed) {
        n.maxUsed = b.maxUsed;
        n.maxAtMs = b.maxAtMs;
        n.maxBucket = b.maxBucket;
    } else {
        n.maxUsed = a.maxUsed;
        n.maxAtMs = a.maxAtMs;
        n.maxBucket = a.maxBucket;
    }
    return n;
}

void UsagePyramid::pushLevel(std::size_t level, const Node& n)
{
    if (m_levels.size() <= level)
        m_levels.emplace_back();
    auto& v = m_levels[level];
    v.push_back(n);
    // Every completed pair becomes one node a level up.
    if (v.size() % 2 == 0)
        pushLevel(level + 1, merge(v[v.size() - 2], v.back()));
}

void UsagePyramid::append(std::int64_t t, std::uint64_t used, const PurposeUsage* usage)
{
    ++m_events;
    const std::size_t bucket = m_levels.empty() ? 0 : m_levels[0].size();
    if (m_openCount == 0) {
        m_open = Node{t, t, used, used, t, bucket};
        m_openKnown = usage != nullptr;
        if (usage)
            m_openSnapshot = *usage;
    } else {
        m_open.lastMs = t;
        m_open.minUsed = std::min(m_open.minUsed, used);
        if (used > m_open.maxUsed) {
            m_open.maxUsed = used;
            m_open.maxAtMs = t;
            m_openKnown = m_openKnown && usage != nullptr;
            if (m_openKnown)
                m_openSnapshot = *usage;
        }
    }
    if (++m_openCount == kBucket) {
        m_snapshots.push_back(m_openKnown ? m_openSnapshot : PurposeUsage{});
        m_snapshotKnown.push_back(m_openKnown ? 1 : 0);
        pushLevel(0, m_open);
        m_openCount = 0;
    }
}

const PurposeUsage* UsagePyramid::snapshot(std::size_t bucket) const
{
    if (bucket < m_snapshotKnown.size())
        return m_snapshotKnown[bucket] ? &m_snapshots[bucket] : nullptr;
    return m_openCount > 0 && m_openKnown ? &m_openSnapshot : nullptr;
}

UsagePyramid::Node UsagePyramid::query(std::size_t first, std::size_t last) const
{
    // Greedy aligned decomposition: at each step take the largest complete node
    // that starts at `lo` and ends within the range; O(log buckets) nodes.
    std::size_t lo = first;
    const std::size_t hi = last + 1; // exclusive
    Node acc = m_levels[0][lo];
    bool have = false;
    while (lo < hi) {
        std::size_t k = 0;
        while (k + 1 < m_levels.size() && (lo & ((std::size_t{2} << k) - 1)) == 0
               && lo + (std::size_t{2} << k) <= hi)
            ++k;
        const Node& n = m_levels[k][lo >> k];
        acc = have ? merge(acc, n) : n;
        have = true;
        lo += std::size_t{1} << k;
    }
    return acc;
}

namespace {

// First index in [start, n) where pred(index) is false, pred being true then false
// along the array: gallops from `start` (1, 2, 4, ... steps) and then bisects, so
// a search near the previous answer costs O(log distance), not O(log n).
template <typename Pred>
std::size_t gallop(std::size_t start, std::size_t n, Pred pred)
{
    if (start >= n || !pred(start))
        return start;
    std::size_t lo = start; // pred(lo) holds
    std::size_t step = 1;
    std::size_t hi = start + step;
    while (hi < n && pred(hi)) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    hi = std::min(hi, n); // pred(hi) is false, or hi == n
    while (hi - lo > 1) {
        const std::size_t mid = lo + (hi - lo) / 2;
        (pred(mid) ? lo : hi) = mid;
    }
    return hi;
}

} // namespace

UsageExtent UsagePyramid::extent(std::int64_t from, std::int64_t to) const
{
    std::size_t hint = 0;
    return extent(from, to, hint);
}

UsageExtent UsagePyramid::extent(std::int64_t from, std::int64_t to, std::size_t& hint) const
{
    UsageExtent e;
    e.fromMs = from;
    e.toMs = to;
    auto take = [&](const Node& n) {
        if (e.empty) {
            e.minUsed = n.minUsed;
            e.maxUsed = n.maxUsed;
            e.maxAtMs = n.maxAtMs;
            e.usageAtMax = snapshot(n.maxBucket);
            e.empty = false;
            return;
        }
        e.minUsed = std::min(e.minUsed, n.minUsed);
        if (n.maxUsed > e.maxUsed) {
            e.maxUsed = n.maxUsed;
            e.maxAtMs = n.maxAtMs;
            e.usageAtMax = snapshot(n.maxBucket);
        }
    };
    if (!m_levels.empty()) {
        const auto& b = m_levels[0];
        const std::size_t n = b.size();
        // First bucket ending at or after `from`, last bucket starting before `to`;
        // searched from `hint` (where the previous column's search began), so a
        // left-to-right walk over the columns steps instead of bisecting every bucket.
        const std::size_t start = hint < n && (hint == 0 || b[hint - 1].lastMs < from) ? hint : 0;
        const std::size_t first = gallop(start, n, [&](std::size_t i) { return b[i].lastMs < from; });
        const std::size_t last = gallop(first, n, [&](std::size_t i) { return b[i].firstMs < to; });
        hint = first;
        if (first < last)
            take(query(first, last - 1));
    }
    if (m_openCount > 0 && m_open.lastMs >= from && m_open.firstMs < to)
        take(m_open);
    return e;
}

std::vector<UsageExtent> UsagePyramid::columns(std::int64_t from, std::int64_t to, int columns) const
{
    std::vector<UsageExtent> out;
    if (columns <= 0 || to <= from)
        return out;
    out.reserve(static_cast<std::size_t>(columns));
    std::size_t hint = 0;
    for (int c = 0; c < columns; ++c) {
        const auto a = columnStart(from, to, columns, c);
        const auto b = columnStart(from, to, columns, c + 1);
        out.push_back(extent(a, std::max(b, a + 1), hint));
    }
    return out;
}

std::int64_t UsagePyramid::columnStart(std::int64_t from, std::int64_t to, int columns, int c)
{
    if (c >= columns)
        return to;
    const long double step = static_cast<long double>(to - from) / columns;
    return from + static_cast<std::int64_t>(step * c);
}

std::size_t UsagePyramid::eventsBetween(std::int64_t from, std::int64_t to) const
{
    std::size_t n = m_openCount > 0 && m_open.lastMs >= from && m_open.firstMs < to ? m_openCount : 0;
    if (!m_levels.empty()) {
        const auto& b = m_levels[0];
        const std::size_t first = gallop(0, b.size(), [&](std::size_t i) { return b[i].lastMs < from; });
        const std::size_t last = gallop(first, b.size(), [&](std::size_t i) { return b[i].firstMs < to; });
        n += (last - first) * kBucket;
    }
    return n;
}

} // namespace flight
