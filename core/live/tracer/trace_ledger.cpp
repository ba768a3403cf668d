// SPDX-License-Identifier: MIT
#include "live/tracer/trace_ledger.h"

namespace flight::live {

namespace {
// Early frees of blocks allocated before tracing (a forked child freeing its
// parent's blocks) never find their allocation: past this many the oldest
// lookups are dropped so the agent's memory stays bounded.
constexpr std::size_t kMaxEarlyFrees = 1'000'000;
std::size_t slotOf(std::uint64_t address, std::size_t mask)
{
    return static_cast<std::size_t>((address >> 4) * 0x9E3779B97F4A7C15ull >> 20) & mask;
}
} // namespace

TraceLedger::Slot* TraceLedger::find(std::uint64_t address)
{
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = slotOf(address, mask);; i = (i + 1) & mask) {
        if (m_slots[i].address == address)
            return &m_slots[i];
        if (m_slots[i].address == 0)
            return nullptr;
    }
}

TraceLedger::Slot& TraceLedger::insertSlot(std::uint64_t address)
{
    if ((m_count + 1) * 4 > m_slots.size() * 3)
        grow();
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = slotOf(address, mask);
    while (m_slots[i].address != 0)
        i = (i + 1) & mask;
    m_slots[i].address = address;
    ++m_count;
    return m_slots[i];
}

void TraceLedger::erase(Slot& slot)
{
    const std::size_t mask = m_slots.size() - 1;
    std::size_t hole = static_cast<std::size_t>(&slot - m_slots.data());
    for (std::size_t i = (hole + 1) & mask; m_slots[i].address != 0; i = (i + 1) & mask) {
        // Move an entry back into the hole unless its home lies cyclically in (hole, i].
        const std::size_t home = slotOf(m_slots[i].address, mask);
        const bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
        if (!stays) {
            m_slots[hole] = m_slots[i];
            hole = i;
        }
    }
    m_slots[hole].address = 0;
    --m_count;
}

void TraceLedger::grow()
{
    std::vector<Slot> old(m_slots.size() * 2);
    old.swap(m_slots);
    m_count = 0;
    for (const Slot& s : old)
        if (s.address != 0)
            insertSlot(s.address).block = s.block;
}

bool TraceLedger::allocate(std::uint64_t address, const Block& block)
{
    if (address == 0)
        return false; // never a live block (0 marks a free slot)
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
    if (Slot* held = find(address)) {
        // Two live blocks at one address: the older one's free is in flight.
        if (held->block.seq < block.seq) {
            m_shadowed.emplace(address, held->block);
            held->block = block;
        } else {
            m_shadowed.emplace(address, block);
        }
    } else {
        insertSlot(address).block = block;
    }
    return true;
}

std::optional<TraceLedger::Block> TraceLedger::release(std::uint64_t address, std::uint64_t seq)
{
    Slot* held = address ? find(address) : nullptr;
    if (m_shadowed.empty()) {
        if (held && held->block.seq < seq) {
            const Block b = held->block;
            erase(*held);
            return b;
        }
    } else {
        // The latest allocation of this address before the free.
        auto [first, last] = m_shadowed.equal_range(address);
        auto best = last;
        for (auto s = first; s != last; ++s)
            if (s->second.seq < seq && (best == last || s->second.seq > best->second.seq))
                best = s;
        if (held && held->block.seq < seq && (best == last || held->block.seq > best->second.seq)) {
            const Block b = held->block;
            if (first != last) {
                // The newest shadowed block takes the address back.
                auto newest = first;
                for (auto s = first; s != last; ++s)
                    if (s->second.seq > newest->second.seq)
                        newest = s;
                held->block = newest->second;
                m_shadowed.erase(newest);
            } else {
                erase(*held);
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
