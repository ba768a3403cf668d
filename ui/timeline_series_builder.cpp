#include "timeline_series_builder.h"

#include "analytics/usage_pyramid.h"

#include <algorithm>
#include <cmath>

namespace flight::ui {

double niceStep(double span, double ticks)
{
    const double rough = std::max(1e-6, span / ticks);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    const double r = rough / magnitude;
    return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * magnitude;
}

TimelineSeries buildTimelineSeries(const SessionModel& session, const UsagePyramid& pyramid, std::int64_t originMs,
                                   std::int64_t fromMs, std::int64_t toMs, int columns, double unitBytes,
                                   const std::vector<MemoryPurpose>& purposes)
{
    TimelineSeries out;
    out.unitBytes = unitBytes;
    if (toMs <= fromMs || columns <= 0)
        return out;
    const auto extents = pyramid.columns(fromMs, toMs, columns);
    out.fromX = toSeconds(fromMs, originMs);
    out.toX = toSeconds(toMs, originMs);

    // Which purposes ever hold bytes in view: only those get a band.
    const std::size_t purposeCount = MemoryPurpose::count();
    std::vector<std::vector<double>> levels(purposeCount);
    for (auto& l : levels)
        l.reserve(extents.size());
    std::vector<bool> used(purposeCount, false);
    out.columnX.reserve(extents.size());
    out.columnMs.reserve(extents.size());
    out.usedMin.reserve(extents.size());
    out.usedMax.reserve(extents.size());
    for (const UsageExtent& e : extents) {
        // An empty column carries the level from before; read it at its middle.
        const std::int64_t t = e.empty ? (e.fromMs + e.toMs) / 2 : e.maxAtMs;
        // The pyramid keeps the usage at each bucket's maximum: no model query for a full column.
        const PurposeUsage u = !e.empty && e.usageAtMax ? *e.usageAtMax : session.usageAt(t);
        out.columnX.push_back((toSeconds(e.fromMs, originMs) + toSeconds(e.toMs, originMs)) / 2);
        out.columnMs.emplace_back(e.fromMs, e.toMs);
        for (std::size_t p = 0; p < purposeCount; ++p) {
            const auto v = static_cast<double>(std::max<std::int64_t>(0, u[MemoryPurpose::fromId(static_cast<std::uint16_t>(p))]));
            levels[p].push_back(v / unitBytes);
            used[p] = used[p] || v > 0;
        }
        const std::uint64_t carried = e.empty ? session.usedAt(t) : 0;
        const double lo = static_cast<double>(e.empty ? carried : e.minUsed) / unitBytes;
        const double hi = static_cast<double>(e.empty ? carried : e.maxUsed) / unitBytes;
        out.usedMin.push_back(lo);
        out.usedMax.push_back(hi);
        out.maxY = std::max(out.maxY, hi);
    }

    if (purposes.empty()) {
        for (std::size_t p = 0; p < purposeCount; ++p)
            if (used[p])
                out.purposes.push_back(MemoryPurpose::fromId(static_cast<std::uint16_t>(p)));
    } else {
        for (MemoryPurpose p : purposes)
            if (p.id() < purposeCount)
                out.purposes.push_back(p);
    }
    std::vector<double> base(out.columnX.size(), 0.0);
    out.stackTop.reserve(out.purposes.size());
    for (MemoryPurpose p : out.purposes) {
        const std::vector<double>& level = levels[p.id()];
        for (std::size_t i = 0; i < base.size(); ++i) {
            base[i] += level[i];
            out.maxY = std::max(out.maxY, base[i]);
        }
        out.stackTop.push_back(base);
    }
    return out;
}

} // namespace flight::ui
