// SPDX-License-Identifier: MIT
#pragma once
// What looking up an id will touch in a SessionModel, asked for ahead of the
// lookup (SessionModel::lookahead): the slot of its key in the index of live
// ids, the allocation record that slot names first, that record's id text.
// Each stage needs the one before it in cache, so a bulk loader asks for
// them a few events apart (see SessionModel::prefetchIds). Inline, because
// a load asks once per event; only hints: nothing is read that the model's
// current storage does not hold, and a prefetch never faults.

#include "allocation_record.h"
#include "live_id_index.h"

#include <cstdint>

namespace flight {

class IdLookahead {
public:
    IdLookahead(const LiveIdIndex& live, const GrowArray<AllocationRecord>& allocs, const GrowArray<char>& ids)
        : m_live(&live), m_allocs(&allocs), m_ids(&ids)
    {
    }

    void slot(std::uint64_t key) const { m_live->prefetch(key); }
    void record(std::uint64_t key) const
    {
        if (const AllocationRecord* r = candidate(key))
            __builtin_prefetch(r);
    }
    void text(std::uint64_t key) const
    {
        if (const AllocationRecord* r = candidate(key); r && r->idOffset < m_ids->size())
            __builtin_prefetch(m_ids->data() + r->idOffset);
    }

private:
    const AllocationRecord* candidate(std::uint64_t key) const
    {
        const std::int64_t index = m_live->firstCandidate(key);
        if (index < 0 || static_cast<std::size_t>(index) >= m_allocs->size())
            return nullptr;
        return &(*m_allocs)[static_cast<std::size_t>(index)];
    }

    const LiveIdIndex* m_live;
    const GrowArray<AllocationRecord>* m_allocs;
    const GrowArray<char>* m_ids;
};

} // namespace flight
