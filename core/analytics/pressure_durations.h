// SPDX-License-Identifier: MIT
#pragma once
// How long a session spent at each computed pressure level, from its used
// series and its total and thresholds: the gauge's "time in level" figures.

#include "model/memory_pressure.h"
#include "model/session_model.h"

#include <array>
#include <cstdint>

namespace flight {

struct PressureDurations {
    std::array<std::int64_t, kPressureLevelCount> ms{}; // indexed by MemoryPressure
    std::int64_t totalMs() const { return ms[0] + ms[1] + ms[2] + ms[3]; }
};

// Over [first event, last event] of the session; O(events), run it off the UI thread.
PressureDurations computePressureDurations(const SessionModel& session);

} // namespace flight
