// SPDX-License-Identifier: MIT
#pragma once
// The memory-analytics functions of flight:memory@1.0.0 (calculate-memory-stats,
// get-memory-trends) over one SessionModel, which they only read. Each call is
// a pass over the events it needs; nothing is cached.

#include "purpose_usage.h"
#include "session_model.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace flight {

// memory-stats of memory-analytics.
struct MemoryStats {
    std::uint64_t totalAllocations = 0;   // ever created
    std::uint64_t activeAllocations = 0;  // live now
    std::uint64_t freedAllocations = 0;
    std::uint64_t currentBytes = 0;       // used now (tracked + untracked)
    std::uint64_t trackedBytes = 0;       // sum of live allocations
    std::uint64_t peakBytes = 0;          // highest used so far
    std::uint64_t averageAllocationSize = 0; // over every allocation ever made
    PurposeUsage byPurpose;               // tracked bytes per purpose now
    double fragmentationRatio = 0.0;      // last reported, 0 when never reported
    // efficiency-ratio: tracked / used now, in [0, 1]. 1 means every used byte is
    // accounted for by a live allocation; lower means untracked memory
    // (reported used above what the producer told us it allocated). 1 when used is 0.
    double efficiencyRatio = 1.0;
};

enum class TrendDirection : std::uint8_t { Increasing, Decreasing, Stable, Volatile };
std::string_view toString(TrendDirection d);

// memory-trend of memory-analytics over a window ending now (lastMs), starting
// no earlier than the session's first instant. The series is `used` at the window
// start, after each event in the window (one point per instant) and at the window
// end. A time-weighted least-squares line used = a + b*t is fitted (each point
// weighs half the gap to each neighbour). With m the weighted mean, s the
// weighted residual spread (root mean square) and V the total variation (sum of
// |step| between successive points) over the range R = max - min:
//   Volatile   when s > kTrendVolatileResidualRatio * m (the line explains little)
//              and V > kTrendVolatileSwing * R (it goes back and forth, not just
//              bends: a rise then a plateau is Increasing, not Volatile),
//   Stable     else when |b| * span <= kTrendStableChangeRatio * m,
//   Increasing / Decreasing otherwise, by the sign of b.
inline constexpr double kTrendVolatileResidualRatio = 0.10;
inline constexpr double kTrendVolatileSwing = 2.0;
inline constexpr double kTrendStableChangeRatio = 0.05;

struct MemoryTrend {
    TrendDirection direction = TrendDirection::Stable;
    double slopeBytesPerSecond = 0.0;    // least-squares fit of used over the window
    std::uint64_t predictedPeakBytes = 0; // fitted used at the end of the next window, at least the window's max
    // Seconds until used reaches the critical threshold at this slope; unset when
    // not rising or total unknown; 0 when already critical.
    std::optional<double> secondsUntilCritical;
    std::size_t samples = 0;
};

class MemoryAnalytics {
public:
    // `session` must outlive this object.
    explicit MemoryAnalytics(const SessionModel& session) : m_session(session) {}

    MemoryStats calculateMemoryStats() const;
    MemoryTrend getMemoryTrends(std::int64_t windowMs) const;
    // The same trend over [fromMs, toMs] as if toMs were now (a selected range):
    // the fit runs over the range, the prediction one range-length past its end,
    // "until critical" counts from used at toMs.
    MemoryTrend getMemoryTrendsBetween(std::int64_t fromMs, std::int64_t toMs) const;

private:
    MemoryTrend trendOver(std::int64_t start, std::int64_t end, std::int64_t windowMs) const;

    const SessionModel& m_session;
};

} // namespace flight
