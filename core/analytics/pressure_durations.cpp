// SPDX-License-Identifier: MIT
#include "pressure_durations.h"

#include <limits>

namespace flight {

void PressureDurationsAccumulator::add(std::int64_t t, std::uint64_t used)
{
    if (m_started)
        m_sofar.ms[static_cast<std::size_t>(m_level)] += t - m_lastT;
    m_started = true;
    m_lastT = t;
    m_level = computePressure(used, m_total, m_thresholds);
}

PressureDurations PressureDurationsAccumulator::durations(std::int64_t lastMs) const
{
    PressureDurations out = m_sofar;
    if (m_started && lastMs > m_lastT)
        out.ms[static_cast<std::size_t>(m_level)] += lastMs - m_lastT;
    return out;
}

PressureDurations computePressureDurations(const SessionModel& session)
{
    PressureDurationsAccumulator acc(session.info().totalBytes, session.info().thresholds);
    session.forEachUsedChange(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                              [&](std::int64_t t, std::uint64_t used) { acc.add(t, used); });
    return acc.durations(session.lastMs());
}

} // namespace flight
