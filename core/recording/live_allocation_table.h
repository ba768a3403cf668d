// SPDX-License-Identifier: MIT
#pragma once
// The live allocations of one session by hashId of their id, each record
// (size, purpose) in its own slot: a lookup touches one cache line where
// LiveIdIndex (an index into records) or a std::unordered_map (bucket, then
// node) touch two, and a free's cost is that miss (UsageSummaryBuilder,
// docs/performance.md). Linear probing from the key's low bits (hashId mixes
// them), load <= 3/4, erase shifts the run back (no tombstones); bytes == 0
// marks an empty slot, so only allocations of > 0 bytes go in. 24 bytes a
// slot, 32-48 per live allocation; never shrinks.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace flight::recording {

class LiveAllocationTable {
public:
    struct Slot {
        std::uint64_t key = 0;
        std::uint64_t bytes = 0;
        std::uint16_t purpose = 0;
    };
    // The slot of `key`, or nullptr; valid until the next insert or erase.
    Slot* find(std::uint64_t key)
    {
        if (m_slots.empty())
            return nullptr;
        for (std::size_t i = key & m_mask;; i = (i + 1) & m_mask) {
            Slot& s = m_slots[i];
            if (s.bytes == 0)
                return nullptr;
            if (s.key == key)
                return &s;
        }
    }
    // False (and nothing stored) when `key` is live already. Requires bytes > 0.
    bool insert(std::uint64_t key, std::uint64_t bytes, std::uint16_t purpose)
    {
        if ((m_count + 1) * 4 > m_slots.size() * 3)
            grow();
        std::size_t i = key & m_mask;
        for (; m_slots[i].bytes != 0; i = (i + 1) & m_mask)
            if (m_slots[i].key == key)
                return false;
        m_slots[i] = {key, bytes, purpose};
        ++m_count;
        return true;
    }
    // Removes a slot find() returned; the entries after it in its run move
    // back so that each stays reachable from its home.
    void erase(Slot* slot)
    {
        std::size_t hole = static_cast<std::size_t>(slot - m_slots.data());
        for (std::size_t j = (hole + 1) & m_mask; m_slots[j].bytes != 0; j = (j + 1) & m_mask) {
            const std::size_t home = m_slots[j].key & m_mask;
            if (((j - home) & m_mask) < ((j - hole) & m_mask))
                continue; // its home lies after the hole: it stays
            m_slots[hole] = m_slots[j];
            hole = j;
        }
        m_slots[hole].bytes = 0;
        --m_count;
    }

    std::size_t size() const { return m_count; }

private:
    void grow()
    {
        std::vector<Slot> old(m_slots.empty() ? 64 : m_slots.size() * 2);
        old.swap(m_slots);
        m_mask = m_slots.size() - 1;
        for (const Slot& s : old) {
            if (s.bytes == 0)
                continue;
            std::size_t i = s.key & m_mask;
            while (m_slots[i].bytes != 0)
                i = (i + 1) & m_mask;
            m_slots[i] = s;
        }
    }
    std::vector<Slot> m_slots; // a power of two of them, or none
    std::size_t m_mask = 0, m_count = 0;
};

} // namespace flight::recording
