// SPDX-License-Identifier: MIT
// MemoryAnalytics: memory-stats and memory-trend over a SessionModel.
#include "memory_analytics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace flight {

std::string_view toString(TrendDirection d)
{
    switch (d) {
    case TrendDirection::Increasing: return "increasing";
    case TrendDirection::Decreasing: return "decreasing";
    case TrendDirection::Stable: return "stable";
    case TrendDirection::Volatile: return "volatile";
    }
    return "stable";
}

namespace {

// Doubles computed from byte counts near 2^64 (usedBytes() = 2^64-1 becomes
// 2^64 as a double) or slopes of huge jumps can leave the integer range, and
// casting those is undefined behaviour (found by fuzz_message_decoder): clamp.
std::uint64_t toUint64Clamped(double v)
{
    if (!(v > 0))
        return 0;
    if (v >= 18446744073709551616.0)
        return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(v);
}

} // namespace

MemoryStats MemoryAnalytics::calculateMemoryStats() const
{
    const SessionModel& m = m_session;
    MemoryStats s;
    // Freed allocations dropped by compactHistory count as made and freed.
    s.totalAllocations = m.allocationCount() + m.retention().allocationsDropped;
    s.freedAllocations = m.freesHeld() + m.retention().allocationsDropped;
    s.activeAllocations = s.totalAllocations - s.freedAllocations;
    s.currentBytes = m.usedBytes();
    s.trackedBytes = m.trackedBytes();
    s.peakBytes = m.peakBytes();
    s.averageAllocationSize =
        s.totalAllocations == 0 ? 0 : static_cast<std::uint64_t>(m.allocatedBytesEver() / s.totalAllocations);
    s.byPurpose = m.usage();
    s.fragmentationRatio = m.samples().empty() ? 0.0 : m.samples().back().fragmentationRatio;
    s.efficiencyRatio = s.currentBytes == 0
                            ? 1.0
                            : std::min(1.0, static_cast<double>(s.trackedBytes) / static_cast<double>(s.currentBytes));
    return s;
}

MemoryTrend MemoryAnalytics::getMemoryTrends(std::int64_t windowMs) const
{
    if (windowMs <= 0)
        windowMs = 1;
    const std::int64_t last = m_session.lastMs();
    return trendOver(std::max(last - windowMs, m_session.firstMs()), last, windowMs); // nothing before the session
}

MemoryTrend MemoryAnalytics::getMemoryTrendsBetween(std::int64_t fromMs, std::int64_t toMs) const
{
    if (toMs < fromMs)
        std::swap(fromMs, toMs);
    fromMs = std::max(fromMs, m_session.firstMs());
    toMs = std::max(toMs, fromMs);
    return trendOver(fromMs, toMs, std::max<std::int64_t>(toMs - fromMs, 1));
}

MemoryTrend MemoryAnalytics::trendOver(std::int64_t start, std::int64_t end, std::int64_t windowMs) const
{
    const SessionModel& m = m_session;
    MemoryTrend trend;
    std::vector<std::pair<double, double>> points; // (seconds from start, used)
    points.emplace_back(0.0, static_cast<double>(m.usedAt(start)));
    m.forEachUsedChange(start, end, [&](std::int64_t t, std::uint64_t used) {
        const double x = static_cast<double>(t - start) / 1000.0;
        if (points.back().first == x)
            points.back().second = static_cast<double>(used); // several events at one instant: keep the last
        else
            points.emplace_back(x, static_cast<double>(used));
    });
    const double spanX = static_cast<double>(end - start) / 1000.0;
    if (points.back().first < spanX) // the level held until the window's end is part of the series
        points.emplace_back(spanX, static_cast<double>(m.usedAt(end)));
    trend.samples = points.size();
    double windowMax = 0;
    for (const auto& p : points)
        windowMax = std::max(windowMax, p.second);
    trend.predictedPeakBytes = toUint64Clamped(windowMax);

    const double total = static_cast<double>(m.info().totalBytes);
    const double critical = m.info().thresholds.critical * total;
    const double usedNow = static_cast<double>(m.usedAt(end)); // "now" is the window's end
    auto untilCritical = [&](double slope) -> std::optional<double> {
        if (m.info().totalBytes == 0)
            return std::nullopt;
        if (usedNow >= critical)
            return 0.0;
        if (slope <= 0)
            return std::nullopt;
        return (critical - usedNow) / slope;
    };
    if (points.size() < 2) {
        trend.secondsUntilCritical = untilCritical(0.0);
        return trend;
    }
    // Time-weighted least squares: each point weighs the time around it (half the
    // gap to each neighbour), so a burst of events does not outweigh a long plateau.
    const std::size_t n = points.size();
    std::vector<double> w(n, 0.0);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double half = (points[i + 1].first - points[i].first) / 2.0;
        w[i] += half;
        w[i + 1] += half;
    }
    double sw = 0, mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sw += w[i];
        mx += w[i] * points[i].first;
        my += w[i] * points[i].second;
    }
    if (sw <= 0) {
        trend.secondsUntilCritical = untilCritical(0.0);
        return trend;
    }
    mx /= sw;
    my /= sw;
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += w[i] * (points[i].first - mx) * (points[i].first - mx);
        sxy += w[i] * (points[i].first - mx) * (points[i].second - my);
    }
    const double slope = sxx > 0 ? sxy / sxx : 0.0;
    const double intercept = my - slope * mx;
    double rss = 0, variation = 0, lo = points[0].second, hi = points[0].second;
    for (std::size_t i = 0; i < n; ++i) {
        const double r = points[i].second - (intercept + slope * points[i].first);
        rss += w[i] * r * r;
        if (i > 0)
            variation += std::abs(points[i].second - points[i - 1].second);
        lo = std::min(lo, points[i].second);
        hi = std::max(hi, points[i].second);
    }
    const double residualSpread = std::sqrt(rss / sw);
    const double spanSeconds = static_cast<double>(end - start) / 1000.0;
    const double windowSeconds = static_cast<double>(windowMs) / 1000.0;
    const double change = slope * spanSeconds;
    trend.slopeBytesPerSecond = slope;
    if (my > 0 && residualSpread > kTrendVolatileResidualRatio * my && variation > kTrendVolatileSwing * (hi - lo))
        trend.direction = TrendDirection::Volatile;
    else if (std::abs(change) <= kTrendStableChangeRatio * std::max(my, 1.0))
        trend.direction = TrendDirection::Stable;
    else
        trend.direction = slope > 0 ? TrendDirection::Increasing : TrendDirection::Decreasing;
    const double predicted = intercept + slope * (spanSeconds + windowSeconds);
    if (predicted > windowMax)
        trend.predictedPeakBytes = toUint64Clamped(predicted);
    trend.secondsUntilCritical = untilCritical(slope);
    return trend;
}

} // namespace flight
