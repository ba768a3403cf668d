#pragma once
// Open-addressing hash table from a 64-bit id key to a uint32 index into the
// caller's allocation vector. Linear probing, power-of-two capacity, load kept
// at or below 1/2, no deletion (an id that is reused is re-pointed to its newest
// allocation). Slots hold index+1 (0 = empty) and no key: the caller resolves a
// probe by comparing the key (and text) stored in its own record. 4 bytes per slot.

#include <cstdint>
#include <vector>

namespace flight {

class FlatIdTable {
public:
    struct Probe {
        std::size_t slot = 0;
        bool found = false;
        std::uint32_t index = 0; // valid when found
    };

    // Make room for one more key; keyOf(index) gives the key of a stored index.
    template <typename KeyOf>
    void reserveOne(KeyOf&& keyOf)
    {
        if ((m_count + 1) * 2 <= m_slots.size())
            return;
        const std::size_t capacity = m_slots.empty() ? 16 : m_slots.size() * 2;
        std::vector<std::uint32_t> old;
        old.swap(m_slots);
        m_slots.assign(capacity, 0);
        m_mask = capacity - 1;
        for (std::uint32_t v : old) {
            if (v == 0)
                continue;
            std::size_t s = static_cast<std::size_t>(keyOf(v - 1)) & m_mask;
            while (m_slots[s] != 0)
                s = (s + 1) & m_mask;
            m_slots[s] = v;
        }
    }

    // The slot holding `key` (matches(index) confirms a candidate), else the
    // empty slot where it would go. Requires reserveOne or a non-empty table.
    template <typename Matches>
    Probe probe(std::uint64_t key, Matches&& matches) const
    {
        if (m_slots.empty())
            return {};
        std::size_t s = static_cast<std::size_t>(key) & m_mask;
        while (m_slots[s] != 0) {
            const std::uint32_t index = m_slots[s] - 1;
            if (matches(index))
                return {s, true, index};
            s = (s + 1) & m_mask;
        }
        return {s, false, 0};
    }

    // Store index at a slot returned by probe (after reserveOne).
    void set(const Probe& p, std::uint32_t index)
    {
        if (!p.found)
            ++m_count;
        m_slots[p.slot] = index + 1;
    }

    std::size_t size() const { return m_count; }
    std::size_t capacity() const { return m_slots.size(); }
    std::size_t footprint() const { return m_slots.capacity() * sizeof(std::uint32_t); }

private:
    std::vector<std::uint32_t> m_slots;
    std::size_t m_count = 0;
    std::size_t m_mask = 0;
};

} // namespace flight
