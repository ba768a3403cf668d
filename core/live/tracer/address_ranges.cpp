// SPDX-License-Identifier: MIT
#include "live/tracer/address_ranges.h"

#include <algorithm>

namespace flight::live {

void AddressRanges::add(std::uint64_t start, std::uint64_t end)
{
    if (start >= end)
        return;
    // Merge with every range that overlaps or touches [start, end).
    auto it = m_ranges.upper_bound(start);
    if (it != m_ranges.begin() && std::prev(it)->second >= start)
        --it;
    while (it != m_ranges.end() && it->first <= end) {
        start = std::min(start, it->first);
        end = std::max(end, it->second);
        it = m_ranges.erase(it);
    }
    m_ranges.emplace(start, end);
}

void AddressRanges::remove(std::uint64_t start, std::uint64_t end)
{
    if (start >= end)
        return;
    auto it = m_ranges.upper_bound(start);
    if (it != m_ranges.begin())
        --it;
    while (it != m_ranges.end() && it->first < end) {
        const auto [rs, re] = *it;
        if (re <= start) {
            ++it;
            continue;
        }
        it = m_ranges.erase(it);
        if (rs < start)
            m_ranges.emplace(rs, start);
        if (re > end) {
            m_ranges.emplace(end, re);
            break;
        }
    }
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> AddressRanges::overlap(std::uint64_t start, std::uint64_t end) const
{
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    auto it = m_ranges.upper_bound(start);
    if (it != m_ranges.begin())
        --it;
    for (; it != m_ranges.end() && it->first < end; ++it)
        if (it->second > start)
            out.emplace_back(std::max(start, it->first), std::min(end, it->second));
    return out;
}

std::uint64_t AddressRanges::bytes() const
{
    std::uint64_t n = 0;
    for (const auto& [s, e] : m_ranges)
        n += e - s;
    return n;
}

} // namespace flight::live
