// SPDX-License-Identifier: MIT
#include "live/trace_ledger.h"

namespace flight::live {

namespace {
// Early frees of blocks allocated before tracing (a forked child freeing its
// parent's blocks) never find their allocation: past this many the oldest
// lookups are dropped so the agent's memory stays bounded.
constexpr std::size_t kMaxEarlyFrees = 1'000'000;
} // namespace

bool TraceLedger::allocate(std::uint64_t address, const Block& block)
{
    if (!m_earlyFrees.empty()) {
        // The first free after this allocation, if it came already, ends it.
        auto [first, last] = m_earlyFrees.equal_range(address);
        auto match = last;
        for (auto it = first; it != last; ++it)
            if (it->second > block.seq && (match == last || it->second < match->second))
                match = it;
        if (match != last) {
            m_earlyFrees.erase(match);
            return false;
        }
    }
    auto [it, inserted] = m_live.try_emplace(address, block);
    if (!inserted) {
        // Two live blocks at one address: the older one's free is in flight.
        if (it->second.seq < block.seq) {
            m_shadowed.emplace(address, it->second);
            it->second = block;
        } else {
            m_shadowed.emplace(address, block);
        }
    }
    return true;
}

std::optional<TraceLedger::Block> TraceLedger::release(std::uint64_t address, std::uint64_t seq)
{
    const auto it = m_live.find(address);
    if (m_shadowed.empty()) {
        if (it != m_live.end() && it->second.seq < seq) {
            const Block b = it->second;
            m_live.erase(it);
            return b;
        }
    } else {
        // The latest allocation of this address before the free.
        auto [first, last] = m_shadowed.equal_range(address);
        auto best = last;
        for (auto s = first; s != last; ++s)
            if (s->second.seq < seq && (best == last || s->second.seq > best->second.seq))
                best = s;
        if (it != m_live.end() && it->second.seq < seq && (best == last || it->second.seq > best->second.seq)) {
            const Block b = it->second;
            if (first != last) {
                // The newest shadowed block takes the address back.
                auto newest = first;
                for (auto s = first; s != last; ++s)
                    if (s->second.seq > newest->second.seq)
                        newest = s;
                it->second = newest->second;
                m_shadowed.erase(newest);
            } else {
                m_live.erase(it);
            }
            return b;
        }
        if (best != last) {
            const Block b = best->second;
            m_shadowed.erase(best);
            return b;
        }
    }
    if (m_earlyFrees.size() >= kMaxEarlyFrees)
        m_earlyFrees.erase(m_earlyFrees.begin());
    m_earlyFrees.emplace(address, seq);
    return std::nullopt;
}

} // namespace flight::live
