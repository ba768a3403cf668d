// SPDX-License-Identifier: MIT
#pragma once
// A one-slot, latest-wins hand-over of LiveSnapshots from the worker thread to
// the UI thread. put() replaces what the slot holds (counting the replaced one
// as coalesced) and says whether the consumer must be woken; take() empties
// the slot. Memory is bounded: at most one snapshot waits, whatever the rates.
// Thread-safe.

#include "live/client/live_snapshot.h"

#include <cstdint>
#include <mutex>
#include <optional>

namespace flight::live {

class SnapshotMailbox {
public:
    // True when the slot was empty (the consumer has no wake-up pending yet).
    bool put(LiveSnapshot snapshot);
    std::optional<LiveSnapshot> take();

    std::uint64_t coalesced() const;       // snapshots replaced before being taken
    std::uint64_t framesCoalesced() const; // frames counted only in a replaced snapshot's interval
    std::uint64_t taken() const;

private:
    mutable std::mutex m_mutex;
    std::optional<LiveSnapshot> m_slot;
    std::uint64_t m_coalesced = 0;
    std::uint64_t m_framesCoalesced = 0;
    std::uint64_t m_taken = 0;
    std::uint64_t m_lastTakenFrames = 0;
};

} // namespace flight::live
