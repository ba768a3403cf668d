// SPDX-License-Identifier: MIT
#include "reports/used_envelope.h"

#include "analytics/usage_pyramid.h"

#include <algorithm>
#include <limits>

namespace flight::reports {
namespace {

struct Column {
    bool any = false;
    std::uint64_t min = 0, max = 0;
    std::int64_t minAt = 0, maxAt = 0;
};

void emit(std::vector<UsedPoint>& out, const Column& c, double x0, double x1, std::uint64_t carried)
{
    if (!c.any) {
        out.push_back({x0, carried});
        return;
    }
    if (c.min == c.max) {
        out.push_back({x0, c.min});
        return;
    }
    const bool minFirst = c.minAt <= c.maxAt;
    out.push_back({x0, minFirst ? c.min : c.max});
    out.push_back({x1, minFirst ? c.max : c.min});
}

} // namespace

std::vector<UsedPoint> usedEnvelope(const SessionModel& s, std::int64_t fromMs, std::int64_t toMs, int columns)
{
    std::vector<UsedPoint> out;
    if (columns <= 0)
        return out;
    toMs = std::max(toMs, fromMs + 1);
    const double step = static_cast<double>(toMs - fromMs) / columns;
    auto colStart = [&](int c) { return static_cast<double>(fromMs) + step * c; };
    std::uint64_t level = s.usedAt(fromMs);
    out.reserve(static_cast<std::size_t>(columns) * 2);

    if (s.timelineEventCount() > static_cast<std::size_t>(columns) * UsagePyramid::kBucket * 2) {
        const UsagePyramid pyramid(s);
        const auto extents = pyramid.columns(fromMs, toMs, columns);
        for (int c = 0; c < static_cast<int>(extents.size()); ++c) {
            const UsageExtent& e = extents[static_cast<std::size_t>(c)];
            Column col;
            if (!e.empty) {
                col = {true, e.minUsed, e.maxUsed, e.fromMs, e.maxAtMs};
                col.min = std::min(col.min, level);
                col.max = std::max(col.max, level);
            }
            emit(out, col, colStart(c), colStart(c) + step * 0.5, level);
            if (!e.empty)
                level = s.usedAt(e.toMs - 1);
        }
        out.push_back({static_cast<double>(toMs), s.usedAt(toMs)});
        return out;
    }

    // Exact: every change in (from, to], binned.
    int current = 0;
    Column col{true, level, level, fromMs, fromMs};
    s.forEachUsedChange(fromMs, toMs, [&](std::int64_t t, std::uint64_t used) {
        const int c = std::min(columns - 1, static_cast<int>((static_cast<double>(t - fromMs)) / step));
        while (current < c) {
            emit(out, col, colStart(current), colStart(current) + step * 0.5, level);
            ++current;
            col = Column{true, level, level, t, t};
        }
        if (used < col.min) {
            col.min = used;
            col.minAt = t;
        }
        if (used > col.max) {
            col.max = used;
            col.maxAt = t;
        }
        level = used;
    });
    while (current < columns) {
        emit(out, col, colStart(current), colStart(current) + step * 0.5, level);
        ++current;
        col = Column{true, level, level, toMs, toMs};
    }
    out.push_back({static_cast<double>(toMs), level});
    return out;
}

} // namespace flight::reports
