// SPDX-License-Identifier: MIT
#include "pressure_durations.h"

#include <limits>

namespace flight {

PressureDurations computePressureDurations(const SessionModel& session)
{
    PressureDurations out;
    const std::uint64_t total = session.info().totalBytes;
    const PressureThresholds thresholds = session.info().thresholds;
    bool started = false;
    std::int64_t lastT = 0;
    MemoryPressure level = MemoryPressure::Low;
    session.forEachUsedChange(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                              [&](std::int64_t t, std::uint64_t used) {
                                  if (started)
                                      out.ms[static_cast<std::size_t>(level)] += t - lastT;
                                  started = true;
                                  lastT = t;
                                  level = computePressure(used, total, thresholds);
                              });
    if (started && session.lastMs() > lastT)
        out.ms[static_cast<std::size_t>(level)] += session.lastMs() - lastT;
    return out;
}

} // namespace flight
