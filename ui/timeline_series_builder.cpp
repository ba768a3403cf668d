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

    // Which purposes ever hold bytes in view: only those get a band.
    const std::size_t purposeCount = MemoryPurpose::count();
    std::vector<std::vector<double>> levels(purposeCount);
    std::vector<double> xs;
    xs.reserve(extents.size());
    std::vector<bool> used(purposeCount, false);
    for (const UsageExtent& e : extents) {
        // An empty column carries the level from before; read it at its middle.
        const std::int64_t t = e.empty ? (e.fromMs + e.toMs) / 2 : e.maxAtMs;
        // The pyramid keeps the usage at each bucket's maximum: no model query for a full column.
        const PurposeUsage u = !e.empty && e.usageAtMax ? *e.usageAtMax : session.usageAt(t);
        xs.push_back(toSeconds((e.fromMs + e.toMs) / 2, originMs));
        for (std::size_t p = 0; p < purposeCount; ++p) {
            const auto v = static_cast<double>(std::max<std::int64_t>(0, u[MemoryPurpose::fromId(static_cast<std::uint16_t>(p))]));
            levels[p].push_back(v / unitBytes);
            used[p] = used[p] || v > 0;
        }
        const double lo = static_cast<double>(e.empty ? session.usedAt(t) : e.minUsed) / unitBytes;
        const double hi = static_cast<double>(e.empty ? session.usedAt(t) : e.maxUsed) / unitBytes;
        out.used.append(QPointF(toSeconds(e.fromMs, originMs), lo));
        out.used.append(QPointF(toSeconds(std::max(e.fromMs, e.toMs - 1), originMs), hi));
        out.maxY = std::max(out.maxY, hi);
    }

    std::vector<std::size_t> order;
    if (purposes.empty()) {
        for (std::size_t p = 0; p < purposeCount; ++p)
            if (used[p])
                order.push_back(p);
    } else {
        for (MemoryPurpose p : purposes)
            if (p.id() < purposeCount)
                order.push_back(p.id());
    }
    std::vector<double> base(xs.size(), 0.0);
    for (std::size_t p : order) {
        PurposeSeries s;
        s.purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(p));
        s.upper.reserve(static_cast<qsizetype>(xs.size()));
        s.lower.reserve(static_cast<qsizetype>(xs.size()));
        for (std::size_t i = 0; i < xs.size(); ++i) {
            s.lower.append(QPointF(xs[i], base[i]));
            base[i] += levels[p][i];
            s.upper.append(QPointF(xs[i], base[i]));
            out.maxY = std::max(out.maxY, base[i]);
        }
        out.stacked.push_back(std::move(s));
    }
    return out;
}

} // namespace flight::ui
