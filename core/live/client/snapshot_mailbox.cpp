// SPDX-License-Identifier: MIT
#include "live/client/snapshot_mailbox.h"

namespace flight::live {

bool SnapshotMailbox::put(LiveSnapshot snapshot)
{
    std::lock_guard lock(m_mutex);
    const bool wasEmpty = !m_slot.has_value();
    if (!wasEmpty) {
        ++m_coalesced;
        // the frames between the last taken snapshot and the replaced one only
        // reach the consumer through the newer snapshot
        m_framesCoalesced += m_slot->stats.framesReceived - std::min(m_slot->stats.framesReceived, m_lastTakenFrames);
        m_lastTakenFrames = m_slot->stats.framesReceived;
    }
    snapshot.stats.snapshotsCoalesced = m_coalesced;
    snapshot.stats.framesCoalesced = m_framesCoalesced;
    m_slot = std::move(snapshot);
    return wasEmpty;
}

std::optional<LiveSnapshot> SnapshotMailbox::take()
{
    std::lock_guard lock(m_mutex);
    std::optional<LiveSnapshot> out;
    out.swap(m_slot);
    if (out) {
        ++m_taken;
        m_lastTakenFrames = out->stats.framesReceived;
    }
    return out;
}

std::uint64_t SnapshotMailbox::coalesced() const
{
    std::lock_guard lock(m_mutex);
    return m_coalesced;
}

std::uint64_t SnapshotMailbox::framesCoalesced() const
{
    std::lock_guard lock(m_mutex);
    return m_framesCoalesced;
}

std::uint64_t SnapshotMailbox::taken() const
{
    std::lock_guard lock(m_mutex);
    return m_taken;
}

} // namespace flight::live
