// SPDX-License-Identifier: MIT
#include "pressure_changes.h"

#include "model/time_text.h"

#include <limits>
#include <utility>

namespace flight {

namespace {

// The level after each instant whose level differs from the one before.
std::vector<PressureChange> rawChanges(const SessionModel& session)
{
    std::vector<PressureChange> out;
    const std::uint64_t total = session.info().totalBytes;
    if (total == 0)
        return out; // no claim without a denominator
    const PressureThresholds thresholds = session.info().thresholds;
    std::vector<std::pair<std::int64_t, MemoryPressure>> levels;
    session.forEachUsedChange(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                              [&](std::int64_t t, std::uint64_t used) {
                                  const MemoryPressure now = computePressure(used, total, thresholds);
                                  if (!levels.empty() && levels.back().first == t)
                                      levels.back().second = now;
                                  else if (levels.empty() || levels.back().second != now)
                                      levels.emplace_back(t, now);
                              });
    MemoryPressure before = MemoryPressure::Low;
    for (const auto& [t, now] : levels) {
        if (now == before)
            continue; // an instant that came back to where it was
        out.push_back({t, t, before, now, now, 1});
        before = now;
    }
    return out;
}

bool samePair(const PressureChange& a, const PressureChange& b)
{
    return (a.from == b.from && a.to == b.to) || (a.from == b.to && a.to == b.from);
}

} // namespace

std::vector<PressureChange> collectPressureChanges(const SessionModel& session)
{
    const std::vector<PressureChange> raw = rawChanges(session);
    std::vector<PressureChange> out;
    std::size_t i = 0;
    while (i < raw.size()) {
        // The longest run from i: same two levels, each change close to the previous.
        std::size_t j = i + 1;
        while (j < raw.size() && samePair(raw[j], raw[i]) && raw[j].timeMs - raw[j - 1].timeMs < kPressureBurstGapMs)
            ++j;
        if (j - i >= kPressureBurstMinChanges) {
            out.push_back({raw[i].timeMs, raw[j - 1].timeMs, raw[i].from, raw[j - 1].to, raw[i].to,
                           static_cast<std::uint32_t>(j - i)});
            i = j;
        } else {
            out.push_back(raw[i]);
            ++i;
        }
    }
    return out;
}

std::string pressureChangeText(const PressureChange& c)
{
    std::string text = "pressure ";
    text += toString(c.from);
    if (!c.burst()) {
        text += " → ";
        text += toString(c.to);
        return text;
    }
    text += " ↔ ";
    text += toString(c.other);
    // A burst is often under a second: "in 646 ms" says more than "in 0.6 s" (or "in 0.0 s").
    const std::int64_t span = c.lastMs - c.timeMs;
    text += " ×" + std::to_string(c.changes) + " in " +
            formatDuration(span, span < 1000 ? DurationStyle::Rounded : DurationStyle::Precise) + ", ending ";
    text += toString(c.to);
    return text;
}

} // namespace flight
