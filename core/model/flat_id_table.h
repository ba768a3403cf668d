// SPDX-License-Identifier: MIT
#pragma once
// Open-addressing hash table from a 64-bit id key to a uint32 index into the
// caller's allocation vector. Linear probing, load kept at or below 3/4, no
// deletion (an id that is reused is re-pointed to its newest allocation).
//
// Slots come in groups of 12 that fill one 64-byte cache line: 12 tag bytes
// (0 = empty, else 0x80 | the key's top 7 bits), 4 bytes of padding and the 12
// indexes. A probe reads the tags and, only when a tag matches, the index next
// to it and asks the caller to compare its record: 127 in 128 other keys are
// passed over without touching the caller's records, and a probe that stays
// in its group costs one cache line. 5.33 bytes per slot.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace flight {

class FlatIdTable {
public:
    struct Probe {
        std::size_t slot = 0;
        bool found = false;
        std::uint32_t index = 0; // valid when found
    };

    static constexpr std::size_t kGroupSlots = 12;

    static std::uint8_t tagOf(std::uint64_t key) { return static_cast<std::uint8_t>(0x80u | (key >> 57)); }

    FlatIdTable() = default;
    FlatIdTable(FlatIdTable&&) noexcept = default;
    FlatIdTable& operator=(FlatIdTable&&) noexcept = default;
    // A copy (SessionModel::clone): the same slots, its own storage.
    FlatIdTable(const FlatIdTable& o) : m_groupCount(o.m_groupCount), m_capacity(o.m_capacity), m_count(o.m_count)
    {
        if (m_groupCount == 0)
            return;
        m_groups.reset(static_cast<Group*>(::operator new[](m_groupCount * sizeof(Group), std::align_val_t{64})));
        std::memcpy(static_cast<void*>(m_groups.get()), o.m_groups.get(), m_groupCount * sizeof(Group));
    }
    FlatIdTable& operator=(const FlatIdTable& o)
    {
        if (this != &o)
            *this = FlatIdTable(o);
        return *this;
    }

    // True when one more key would take the load above 3/4: the caller then
    // rebuilds the table with reset(capacity() * 2) and re-inserts its keys
    // (in its own order, which can be sequential in its records).
    bool needsGrowth() const { return (m_count + 1) * 4 > m_capacity * 3; }

    // Empty the table and give it at least `capacity` slots (groups: a power of two).
    void reset(std::size_t capacity)
    {
        std::size_t groups = 2;
        while (groups * kGroupSlots < capacity)
            groups *= 2;
        m_groups.reset(static_cast<Group*>(::operator new[](groups * sizeof(Group), std::align_val_t{64})));
        for (std::size_t g = 0; g < groups; ++g)
            for (auto& t : m_groups[g].tags)
                t = 0;
        m_groupCount = groups;
        m_capacity = groups * kGroupSlots;
        m_count = 0;
    }

    // Start loading the key's first slot (before work that does not need it yet).
    void prefetch(std::uint64_t key) const
    {
        if (m_capacity != 0)
            __builtin_prefetch(&m_groups[home(key) / kGroupSlots]);
    }

    // The slot holding `key` (matches(index) confirms a candidate whose tag
    // matches), else the empty slot where it would go. Requires reset() first.
    template <typename Matches>
    Probe probe(std::uint64_t key, Matches&& matches) const
    {
        if (m_capacity == 0)
            return {};
        const std::uint8_t tag = tagOf(key);
        const std::size_t h = home(key);
        std::size_t g = h / kGroupSlots;
        std::size_t l = h - g * kGroupSlots;
        while (true) {
            const Group& group = m_groups[g];
            for (; l < kGroupSlots; ++l) {
                const std::uint8_t t = group.tags[l];
                if (t == 0)
                    return {g * kGroupSlots + l, false, 0};
                if (t == tag && matches(group.index[l]))
                    return {g * kGroupSlots + l, true, group.index[l]};
            }
            l = 0;
            g = g + 1 == m_groupCount ? 0 : g + 1;
        }
    }

    // The index in the key's home group whose tag matches first (unconfirmed),
    // or -1: for prefetching the record a probe will compare.
    std::int64_t firstCandidate(std::uint64_t key) const
    {
        if (m_capacity == 0)
            return -1;
        const std::uint8_t tag = tagOf(key);
        const std::size_t h = home(key);
        const std::size_t g = h / kGroupSlots;
        const Group& group = m_groups[g];
        for (std::size_t l = h - g * kGroupSlots; l < kGroupSlots; ++l) {
            const std::uint8_t t = group.tags[l];
            if (t == 0)
                return -1;
            if (t == tag)
                return group.index[l];
        }
        return -1;
    }

    // Store index at a slot returned by probe (after needsGrowth() said no), for `key`.
    void set(const Probe& p, std::uint64_t key, std::uint32_t index)
    {
        if (!p.found)
            ++m_count;
        Group& group = m_groups[p.slot / kGroupSlots];
        group.tags[p.slot % kGroupSlots] = tagOf(key);
        group.index[p.slot % kGroupSlots] = index;
    }

    std::size_t size() const { return m_count; }
    std::size_t capacity() const { return m_capacity; }
    std::size_t footprint() const { return m_groupCount * sizeof(Group); }

private:
    struct alignas(64) Group {
        std::uint8_t tags[kGroupSlots];
        std::uint32_t pad;
        std::uint32_t index[kGroupSlots];
    };
    static_assert(sizeof(Group) == 64);
    struct GroupDelete {
        void operator()(Group* p) const { ::operator delete[](p, std::align_val_t{64}); }
    };

    // The key's first slot: its low 32 bits scaled to the capacity.
    std::size_t home(std::uint64_t key) const
    {
        return static_cast<std::size_t>(((key & 0xFFFFFFFFull) * m_capacity) >> 32);
    }

    std::unique_ptr<Group[], GroupDelete> m_groups;
    std::size_t m_groupCount = 0;
    std::size_t m_capacity = 0;
    std::size_t m_count = 0;
};

} // namespace flight
