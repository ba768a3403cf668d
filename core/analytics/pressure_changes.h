// SPDX-License-Identifier: MIT
#pragma once
// The computed pressure level's changes over a session, as the Events view and
// every report list them. A burst of flapping between two levels (at least
// kPressureBurstMinChanges changes between the same two levels, each less than
// kPressureBurstGapMs after the one before) is folded into one change that
// counts them: "low ↔ medium ×11 in 646 ms, ending medium". Folding only merges
// rows: time per level (pressure_durations.h) is still computed from every change.

#include "model/memory_pressure.h"
#include "model/session_model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flight {

inline constexpr std::int64_t kPressureBurstGapMs = 1000;
inline constexpr std::uint32_t kPressureBurstMinChanges = 3;

struct PressureChange {
    std::int64_t timeMs = 0;     // the (first) change
    std::int64_t lastMs = 0;     // the burst's last change; timeMs for a single change
    MemoryPressure from = MemoryPressure::Low;  // the level before
    MemoryPressure to = MemoryPressure::Low;    // the level after (the burst's last)
    MemoryPressure other = MemoryPressure::Low; // a burst: the level it flapped with (from's partner)
    std::uint32_t changes = 1;   // 1, or the burst's count

    bool burst() const { return changes > 1; }
    friend bool operator==(const PressureChange&, const PressureChange&) = default;
};

// Every change, in time order, bursts folded; several changes within one
// millisecond are one step (only the level after the instant counts).
// O(used changes); run it off the UI thread.
std::vector<PressureChange> collectPressureChanges(const SessionModel& session);

// "pressure low → medium", or "pressure low ↔ medium ×11 in 646 ms, ending medium".
std::string pressureChangeText(const PressureChange& change);

} // namespace flight
