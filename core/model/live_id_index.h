// SPDX-License-Identifier: MIT
#pragma once
// The allocations that are live (no free known), by id: 64-bit id key ->
// uint32 index into the caller's allocation records. At most one entry per
// id (the model refuses a second live allocation of an id), entries leave
// when their allocation is freed.
//
// Why a second table next to FlatIdTable: a free and the "already live?"
// check of an allocation only ever need the live allocations, which are few
// (~10,000 in a typical stream, against a million ids ever), so this table
// stays in L2 where a table of every id ever is a cache miss per lookup.
//
// Slots are 8 bytes (the key's low 32 bits + the index), 8 per cache line,
// linear probing from home = (low 32 bits * capacity) >> 32. The stored key
// bits filter candidates (the caller confirms by the id text) and give each
// entry's home without touching the records, so erase shifts the following
// entries back (no tombstones) and growth needs no record either. Up to 2^20
// slots (8 MiB) it doubles at load 1/2, so the load stays in (1/4, 1/2]
// there: fuller, the probe and erase loops ran ~3x longer, and their
// mispredicted exits cost a 2 M-event load ~15 % of its time
// (docs/performance.md, "Format 2 load, round 8"). Beyond, where memory
// counts more than a branch, it grows by half at load 3/4 (load in
// (1/2, 3/4]: 10.7-16 bytes per live allocation). Halves when the load falls
// below 1/8 (a mass free).

#include "flat_id_table.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace flight {

class LiveIdIndex {
public:
    using Probe = FlatIdTable::Probe; // a lookup's answer, as the table of every id gives it

    LiveIdIndex() = default;
    LiveIdIndex(LiveIdIndex&&) noexcept = default;
    LiveIdIndex& operator=(LiveIdIndex&&) noexcept = default;
    LiveIdIndex(const LiveIdIndex& o) : m_capacity(o.m_capacity), m_count(o.m_count)
    {
        if (m_capacity == 0)
            return;
        m_slots.reset(allocate(m_capacity));
        std::memcpy(static_cast<void*>(m_slots.get()), o.m_slots.get(), m_capacity * sizeof(Slot));
    }
    LiveIdIndex& operator=(const LiveIdIndex& o)
    {
        if (this != &o)
            *this = LiveIdIndex(o);
        return *this;
    }

    // Makes room for one more entry (call before find() when about to insert:
    // growing moves the slots find() returns).
    void reserveOne()
    {
        const std::size_t n = m_count + 1;
        if (m_capacity <= kRoomyUpTo ? n * 2 > m_capacity : n * 4 > m_capacity * 3)
            rehash(m_capacity < 64                       ? 64
                   : m_capacity * 2 <= kRoomyUpTo ? m_capacity * 2
                                                  : (m_capacity + m_capacity / 2 + 7) / 8 * 8);
    }

    // Empties the index (keeps no storage).
    void clear()
    {
        m_slots.reset();
        m_capacity = 0;
        m_count = 0;
    }

    void prefetch(std::uint64_t key) const
    {
        if (m_capacity != 0)
            __builtin_prefetch(&m_slots[home(low(key))]);
    }

    // The first index whose stored key bits match (unconfirmed), or -1: for
    // prefetching the record a find() will compare.
    std::int64_t firstCandidate(std::uint64_t key) const
    {
        if (m_capacity == 0)
            return -1;
        const std::uint32_t k = low(key);
        for (std::size_t s = home(k);; s = next(s)) {
            const Slot& slot = m_slots[s];
            if (slot.index == kEmpty)
                return -1;
            if (slot.key == k)
                return slot.index;
        }
    }

    // The slot holding `key` (matches(index) confirms a candidate), else the
    // empty slot where it would go. With no storage yet: not found, slot 0.
    // Always inline: a load asks once per allocation and free, and GCC kept
    // it out of line (a call per event; docs/performance.md, round 7).
    template <typename Matches>
    [[gnu::always_inline]] Probe find(std::uint64_t key, Matches&& matches) const
    {
        if (m_capacity == 0)
            return {};
        const std::uint32_t k = low(key);
        for (std::size_t s = home(k);; s = next(s)) {
            const Slot& slot = m_slots[s];
            if (slot.index == kEmpty)
                return {s, false, 0};
            if (slot.key == k && matches(slot.index))
                return {s, true, slot.index};
        }
    }

    // Stores `index` for `key` at the empty slot a find() returned (after reserveOne()).
    void insert(const Probe& p, std::uint64_t key, std::uint32_t index)
    {
        m_slots[p.slot] = {low(key), index};
        ++m_count;
    }

    // Removes the entry at a slot a find() found. The entries after it in its
    // run move back so that every entry stays reachable from its home.
    void erase(const Probe& p)
    {
        std::size_t hole = p.slot;
        for (std::size_t s = next(hole);; s = next(s)) {
            const Slot& slot = m_slots[s];
            if (slot.index == kEmpty)
                break;
            // The entry moves into the hole unless its home lies cyclically
            // in (hole, s]: unless it is nearer to s than the hole is. As
            // selects, not branches: which entries move is data, and a
            // mispredicted branch here cost more than the loop's work.
            const std::size_t h = home(slot.key);
            const std::size_t fromHome = s >= h ? s - h : s + m_capacity - h;
            const std::size_t fromHole = s > hole ? s - hole : s + m_capacity - hole;
            const bool moves = fromHome >= fromHole;
            const Slot entry = slot;
            Slot& to = m_slots[hole];
            to = moves ? entry : to;
            hole = moves ? s : hole;
        }
        m_slots[hole] = {0, kEmpty};
        --m_count;
        if (m_capacity > kShrinkAbove && m_count * 8 < m_capacity)
            rehash((m_capacity / 2 + 7) / 8 * 8); // after a mass free, give the memory back
    }

    std::size_t size() const { return m_count; }
    std::size_t capacity() const { return m_capacity; }
    std::size_t footprint() const { return m_capacity * sizeof(Slot); }

private:
    static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu; // never an index (the model keeps < 2^30)
    static constexpr std::size_t kShrinkAbove = 4096;    // slots: small tables are left as they are
    static constexpr std::size_t kRoomyUpTo = 1u << 20;  // slots (8 MiB): load at most 1/2 up to here, 3/4 beyond
    struct Slot {
        std::uint32_t key;
        std::uint32_t index;
    };
    struct SlotDelete {
        void operator()(Slot* p) const { ::operator delete[](p, std::align_val_t{64}); }
    };

    static std::uint32_t low(std::uint64_t key) { return static_cast<std::uint32_t>(key); }
    std::size_t home(std::uint32_t k) const { return static_cast<std::size_t>((std::uint64_t{k} * m_capacity) >> 32); }
    std::size_t next(std::size_t s) const { return s + 1 == m_capacity ? 0 : s + 1; }

    static Slot* allocate(std::size_t n)
    {
        return static_cast<Slot*>(::operator new[](n * sizeof(Slot), std::align_val_t{64}));
    }

    void rehash(std::size_t capacity)
    {
        std::unique_ptr<Slot[], SlotDelete> old(allocate(capacity));
        for (std::size_t s = 0; s < capacity; ++s)
            old[s] = {0, kEmpty};
        old.swap(m_slots);
        const std::size_t oldCapacity = m_capacity;
        m_capacity = capacity;
        for (std::size_t s = 0; s < oldCapacity; ++s) {
            const Slot& slot = old[s];
            if (slot.index == kEmpty)
                continue;
            std::size_t t = home(slot.key);
            while (m_slots[t].index != kEmpty)
                t = next(t);
            m_slots[t] = slot;
        }
    }

    std::unique_ptr<Slot[], SlotDelete> m_slots;
    std::size_t m_capacity = 0;
    std::size_t m_count = 0;
};

} // namespace flight
