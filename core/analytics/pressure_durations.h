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

// The same, fed one used change at a time (a live session's new changes as they
// come): durations(lastMs) after the same changes equals computePressureDurations.
class PressureDurationsAccumulator {
public:
    PressureDurationsAccumulator(std::uint64_t totalBytes, PressureThresholds thresholds)
        : m_total(totalBytes), m_thresholds(thresholds) {}
    void add(std::int64_t t, std::uint64_t used);
    // Up to the session's last time `lastMs` (the last level counts until then).
    PressureDurations durations(std::int64_t lastMs) const;

private:
    PressureDurations m_sofar;
    std::uint64_t m_total;
    PressureThresholds m_thresholds;
    bool m_started = false;
    std::int64_t m_lastT = 0;
    MemoryPressure m_level = MemoryPressure::Low;
};

} // namespace flight
