// SPDX-License-Identifier: MIT
#pragma once
// The live blocks of one traced process, by address. Events come from many
// threads' batches, so a free may arrive before the allocation it frees: each
// event carries the process-wide sequence number, a free frees the latest
// allocation of its address before it, and a free with no such allocation
// waits (an "early free") for one that arrives later.

#include "model/memory_purpose.h"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace flight::live {

class TraceLedger {
public:
    struct Block {
        std::uint64_t bytes = 0;
        MemoryPurpose purpose;
        std::uint64_t seq = 0;   // the allocation's sequence number (its id)
    };

    // False when a free that arrived earlier already ended this block (the
    // block was allocated and freed; nothing stays live).
    bool allocate(std::uint64_t address, const Block& block);
    // The block this free ends, or nullopt when its allocation has not
    // arrived (kept as an early free) or was never traced.
    std::optional<Block> release(std::uint64_t address, std::uint64_t seq);

    std::size_t liveBlocks() const { return m_count + m_shadowed.size(); }
    std::size_t earlyFrees() const { return m_earlyFrees.size(); }

private:
    // The live blocks, one per address: open addressing, linear probing,
    // deletion by backward shift (no tombstones); address 0 marks a free slot.
    struct Slot {
        std::uint64_t address = 0;
        Block block;
    };
    Slot* find(std::uint64_t address);
    Slot& insertSlot(std::uint64_t address);
    void erase(Slot& slot);
    void grow();
    std::vector<Slot> m_slots = std::vector<Slot>(1u << 8);
    std::size_t m_count = 0;
    // Older live blocks at an address a newer allocation took (their free is
    // still in flight): rare.
    std::unordered_multimap<std::uint64_t, Block> m_shadowed;
    std::unordered_multimap<std::uint64_t, std::uint64_t> m_earlyFrees; // address -> free seq
};

} // namespace flight::live
