// SPDX-License-Identifier: MIT
#include "timeline_series_builder.h"

#include "analytics/usage_pyramid.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace flight::ui {
namespace {

// Where a view holds at most this many events per column on average, the
// columns are read from the events themselves: the pyramid widens a column to
// whole buckets of 64 events, which would smear a sparse view (a bucket over
// many columns draws its whole range in each). Costs at most ~64 decoded
// events per column (≈ 120,000 at 1,920 px).
constexpr std::size_t kExactEventsPerColumn = UsagePyramid::kBucket;

// One column's values, from the pyramid or from the events.
struct Column {
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::uint64_t minUsed = 0;
    std::uint64_t maxUsed = 0;
    const PurposeUsage* usage = nullptr; // the usage by purpose at the maximum; null: ask the model
    std::int64_t usageAtMs = 0;          // when to ask
};

std::vector<Column> pyramidColumns(const SessionModel& session, const UsagePyramid& pyramid, std::int64_t fromMs,
                                   std::int64_t toMs, int columns)
{
    std::vector<Column> out;
    out.reserve(static_cast<std::size_t>(columns));
    for (const UsageExtent& e : pyramid.columns(fromMs, toMs, columns)) {
        Column c{e.fromMs, e.toMs, e.minUsed, e.maxUsed, e.usageAtMax, e.maxAtMs};
        if (e.empty) {
            // An empty column carries the level from before; read it at its middle.
            c.usageAtMs = (e.fromMs + e.toMs) / 2;
            c.minUsed = c.maxUsed = session.usedAt(c.usageAtMs);
            c.usage = nullptr;
        }
        out.push_back(c);
    }
    return out;
}

// Every event in [fromMs, toMs) once, in order: exact minimum, maximum and usage at the maximum.
std::vector<Column> exactColumns(const SessionModel& session, std::int64_t fromMs, std::int64_t toMs, int columns,
                                 std::vector<PurposeUsage>& usages)
{
    std::vector<Column> out(static_cast<std::size_t>(columns));
    usages.assign(static_cast<std::size_t>(columns), PurposeUsage{});
    for (int c = 0; c < columns; ++c) {
        out[static_cast<std::size_t>(c)].fromMs = UsagePyramid::columnStart(fromMs, toMs, columns, c);
        out[static_cast<std::size_t>(c)].toMs = std::max(UsagePyramid::columnStart(fromMs, toMs, columns, c + 1),
                                                         out[static_cast<std::size_t>(c)].fromMs + 1);
    }
    // The state carried into the view, then into each column without events.
    std::uint64_t used = session.usedAt(fromMs - 1);
    PurposeUsage usage = session.usageAt(fromMs - 1);
    std::size_t next = 0; // first column not started yet
    auto carryUpTo = [&](std::size_t end) {
        for (; next < end; ++next) {
            out[next].minUsed = out[next].maxUsed = used;
            usages[next] = usage;
            out[next].usage = &usages[next];
        }
    };
    const long double step = static_cast<long double>(toMs - fromMs) / columns;
    session.forEachUsageChange(fromMs - 1, toMs - 1, [&](std::int64_t t, std::uint64_t u, const PurposeUsage& byPurpose) {
        auto c = static_cast<std::size_t>(std::clamp<long double>((t - fromMs) / step, 0, columns - 1));
        while (c > 0 && t < out[c].fromMs)
            --c;
        while (c + 1 < out.size() && t >= out[c + 1].fromMs)
            ++c;
        if (c >= next) {
            carryUpTo(c); // columns before this one had no event
            next = c + 1;
            out[c].minUsed = out[c].maxUsed = u;
            usages[c] = byPurpose;
            out[c].usage = &usages[c];
        } else if (u > out[c].maxUsed) {
            out[c].maxUsed = u;
            usages[c] = byPurpose;
        } else {
            out[c].minUsed = std::min(out[c].minUsed, u);
        }
        used = u;
        usage = byPurpose;
    });
    carryUpTo(out.size());
    return out;
}

} // namespace

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
    std::vector<PurposeUsage> exactUsages;
    const bool exact = pyramid.eventsBetween(fromMs, toMs) <= kExactEventsPerColumn * static_cast<std::size_t>(columns);
    const std::vector<Column> cols = exact ? exactColumns(session, fromMs, toMs, columns, exactUsages)
                                           : pyramidColumns(session, pyramid, fromMs, toMs, columns);
    out.fromX = toSeconds(fromMs, originMs);
    out.toX = toSeconds(toMs, originMs);

    // Which purposes ever hold bytes in view: only those get a band.
    const std::size_t purposeCount = MemoryPurpose::count();
    std::vector<std::vector<double>> levels(purposeCount);
    for (auto& l : levels)
        l.reserve(cols.size());
    std::vector<bool> used(purposeCount, false);
    out.columnX.reserve(cols.size());
    out.columnMs.reserve(cols.size());
    out.usedMin.reserve(cols.size());
    out.usedMax.reserve(cols.size());
    PurposeUsage asked;
    for (const Column& c : cols) {
        // The pyramid keeps the usage at each bucket's maximum: no model query for a full column.
        const PurposeUsage* u = c.usage;
        if (!u) {
            asked = session.usageAt(c.usageAtMs);
            u = &asked;
        }
        out.columnX.push_back((toSeconds(c.fromMs, originMs) + toSeconds(c.toMs, originMs)) / 2);
        out.columnMs.emplace_back(c.fromMs, c.toMs);
        for (std::size_t p = 0; p < purposeCount; ++p) {
            const auto v = static_cast<double>(std::max<std::int64_t>(0, (*u)[MemoryPurpose::fromId(static_cast<std::uint16_t>(p))]));
            levels[p].push_back(v / unitBytes);
            used[p] = used[p] || v > 0;
        }
        const double lo = static_cast<double>(c.minUsed) / unitBytes;
        const double hi = static_cast<double>(c.maxUsed) / unitBytes;
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
