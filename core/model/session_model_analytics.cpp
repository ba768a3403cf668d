// SPDX-License-Identifier: MIT
// SessionModel: memory-analytics (stats, trends) and the text report.
#include "session_model.h"

#include "session_model_impl.h"
#include "time_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

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

std::int64_t toInt64Clamped(double v)
{
    if (!(v == v))
        return 0;
    if (v >= 9223372036854775808.0)
        return std::numeric_limits<std::int64_t>::max();
    if (v <= -9223372036854775808.0)
        return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(v);
}

std::string fmtDouble(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}
std::string percent(std::uint64_t part, std::uint64_t whole)
{
    if (whole == 0)
        return "n/a";
    return fmtDouble(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + " %";
}
} // namespace

// --- analytics ---------------------------------------------------------------

MemoryStats SessionModel::calculateMemoryStats() const
{
    const Impl& m = *d;
    MemoryStats s;
    // Freed allocations dropped by compactHistory count as made and freed.
    s.totalAllocations = m.allocs.size() + m.retention.allocationsDropped;
    s.freedAllocations = m.timeline.current().frees + m.retention.allocationsDropped;
    s.activeAllocations = s.totalAllocations - s.freedAllocations;
    s.currentBytes = usedBytes();
    s.trackedBytes = trackedBytes();
    s.peakBytes = m.peak;
    s.averageAllocationSize =
        s.totalAllocations == 0 ? 0 : static_cast<std::uint64_t>(m.allocatedBytesEver / s.totalAllocations);
    s.byPurpose = usage();
    s.fragmentationRatio = m.samples.empty() ? 0.0 : m.samples.back().fragmentationRatio;
    s.efficiencyRatio = s.currentBytes == 0
                            ? 1.0
                            : std::min(1.0, static_cast<double>(s.trackedBytes) / static_cast<double>(s.currentBytes));
    return s;
}

MemoryTrend SessionModel::getMemoryTrends(std::int64_t windowMs) const
{
    if (windowMs <= 0)
        windowMs = 1;
    return trendOver(std::max(d->lastMs - windowMs, d->firstMs), d->lastMs, windowMs); // nothing before the session
}

MemoryTrend SessionModel::getMemoryTrendsBetween(std::int64_t fromMs, std::int64_t toMs) const
{
    if (toMs < fromMs)
        std::swap(fromMs, toMs);
    fromMs = std::max(fromMs, d->firstMs);
    toMs = std::max(toMs, fromMs);
    return trendOver(fromMs, toMs, std::max<std::int64_t>(toMs - fromMs, 1));
}

MemoryTrend SessionModel::trendOver(std::int64_t start, std::int64_t end, std::int64_t windowMs) const
{
    const Impl& m = *d;
    MemoryTrend trend;
    std::vector<std::pair<double, double>> points; // (seconds from start, used)
    points.emplace_back(0.0, static_cast<double>(usedAt(start)));
    m.timeline.forEachUsed(start, end, m.allocs, [&](std::int64_t t, std::uint64_t used) {
        const double x = static_cast<double>(t - start) / 1000.0;
        if (points.back().first == x)
            points.back().second = static_cast<double>(used); // several events at one instant: keep the last
        else
            points.emplace_back(x, static_cast<double>(used));
    });
    const double spanX = static_cast<double>(end - start) / 1000.0;
    if (points.back().first < spanX) // the level held until the window's end is part of the series
        points.emplace_back(spanX, static_cast<double>(usedAt(end)));
    trend.samples = points.size();
    double windowMax = 0;
    for (const auto& p : points)
        windowMax = std::max(windowMax, p.second);
    trend.predictedPeakBytes = toUint64Clamped(windowMax);

    const double total = static_cast<double>(m.info.totalBytes);
    const double critical = m.info.thresholds.critical * total;
    const double usedNow = static_cast<double>(usedAt(end)); // "now" is the window's end
    auto untilCritical = [&](double slope) -> std::optional<double> {
        if (m.info.totalBytes == 0)
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

std::string SessionModel::generateMemoryReport() const
{
    const Impl& m = *d;
    const MemoryStats st = calculateMemoryStats();
    std::string out;
    auto line = [&](std::string_view label, const std::string& value) {
        out += "  ";
        out += label;
        if (label.size() < 22)
            out.append(22 - label.size(), ' ');
        out += value;
        out += '\n';
    };
    out += "Memory report: session " + m.info.sessionId;
    if (!m.info.label.empty())
        out += " (" + m.info.label + ")";
    out += '\n';
    line("Platform:", m.info.platform.empty() ? std::string("unknown") : m.info.platform);
    line("Time span:", formatTimeSpan(m.firstMs, m.lastMs) + (m.ended ? ", ended" : ""));
    line("Total:", m.info.totalBytes ? formatBytes(m.info.totalBytes) : std::string("unknown"));
    line("Used:", formatBytes(st.currentBytes) + " (" + percent(st.currentBytes, m.info.totalBytes) + ")");
    line("Available:",
         m.info.totalBytes ? formatBytes(m.info.totalBytes > st.currentBytes ? m.info.totalBytes - st.currentBytes : 0)
                           : std::string("unknown"));
    line("Peak:", formatBytes(st.peakBytes) + " (" + percent(st.peakBytes, m.info.totalBytes) + ")");
    line("Tracked:", formatBytes(st.trackedBytes));
    line("Untracked:", formatBytes(untrackedBytes()));
    std::string pressureText(toString(pressure()));
    if (auto rp = reportedPressure())
        pressureText += " (reported: " + std::string(toString(*rp)) + ")";
    line("Pressure:", pressureText);
    line("Allocations:", std::to_string(st.totalAllocations) + " total, " + std::to_string(st.activeAllocations) +
                             " active, " + std::to_string(st.freedAllocations) + " freed");
    line("Average allocation:", formatBytes(st.averageAllocationSize));
    line("Fragmentation:", fmtDouble(st.fragmentationRatio * 100.0, 1) + " %");
    line("Efficiency:", fmtDouble(st.efficiencyRatio * 100.0, 1) + " %");
    out += "By purpose:\n";
    bool anyPurpose = false;
    for (std::size_t i = 0; i < st.byPurpose.size(); ++i) {
        const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
        const std::int64_t v = st.byPurpose[p];
        if (v == 0)
            continue;
        anyPurpose = true;
        line(std::string(p.name()) + ":",
             formatSignedBytes(v) + " (" + percent(v > 0 ? static_cast<std::uint64_t>(v) : 0, st.currentBytes) +
                 " of used)");
    }
    if (!anyPurpose)
        out += "  (none)\n";
    if (m.limits) {
        out += "Limits:\n";
        auto lim = [&](std::string_view name, const MemorySize& s) {
            line(name, s.bytes ? formatBytes(s.bytes) : std::string("none"));
        };
        lim("heap max:", m.limits->heapMax);
        lim("stack max:", m.limits->stackMax);
        lim("cache max:", m.limits->cacheMax);
        lim("soft limit:", m.limits->softLimit);
        lim("hard limit:", m.limits->hardLimit);
        line("soft limit exceeded:", m.softEver ? "yes" : "no");
        line("hard limit exceeded:", m.hardEver ? "yes" : "no");
    }
    if (m.lastMs > m.firstMs) {
        const MemoryTrend t = getMemoryTrends(m.lastMs - m.firstMs);
        out += "Trend (whole session):\n";
        line("direction:", std::string(toString(t.direction)));
        line("slope:", formatSignedBytes(toInt64Clamped(t.slopeBytesPerSecond)) + "/s");
        line("predicted peak:", formatBytes(t.predictedPeakBytes));
        if (t.secondsUntilCritical) // as a duration, like the time span; seconds beyond what ms can hold
            line("until critical:", *t.secondsUntilCritical < 9.0e15
                                        ? formatDuration(static_cast<std::int64_t>(*t.secondsUntilCritical * 1000.0))
                                        : fmtDouble(*t.secondsUntilCritical, 1) + " s");
    }
    std::size_t opErrors = 0, reported = 0, crossings = 0, backwards = 0;
    for (const auto& e : m.events) {
        switch (e.kind) {
        case SessionEventKind::OperationError: ++opErrors; break;
        case SessionEventKind::ReportedError: ++reported; break;
        case SessionEventKind::SoftLimitCrossed:
        case SessionEventKind::HardLimitCrossed: ++crossings; break;
        case SessionEventKind::TimeWentBackwards: ++backwards; break;
        }
    }
    out += "Events:\n";
    line("operation errors:", std::to_string(opErrors));
    line("reported errors:", std::to_string(reported));
    line("limit crossings:", std::to_string(crossings));
    line("clock went back:", std::to_string(backwards));
    line("markers:", std::to_string(m.markers.size()));
    line("samples:", std::to_string(m.samples.size()));
    return out;
}

} // namespace flight
