// SPDX-License-Identifier: MIT
#include "budget_verdict.h"

#include "model/checked_bytes.h"

#include <algorithm>
#include <array>

namespace flight {

std::string_view toString(UsagePoint p)
{
    switch (p) {
    case UsagePoint::End: return "end";
    case UsagePoint::Peak: return "peak";
    case UsagePoint::P95: return "p95";
    }
    return "end";
}

std::optional<UsagePoint> usagePointFromString(std::string_view text)
{
    if (text == "end" || text == "now")
        return UsagePoint::End;
    if (text == "peak")
        return UsagePoint::Peak;
    if (text == "p95")
        return UsagePoint::P95;
    return std::nullopt;
}

namespace {

std::uint64_t percentile95(std::vector<std::uint64_t> values)
{
    if (values.empty())
        return 0;
    const std::size_t k = (values.size() * 95 + 99) / 100 - 1; // nearest rank
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return values[k];
}

} // namespace

SessionUsage sessionUsage(const SessionModel& session, UsagePoint at, std::optional<std::int64_t> fromMs,
                          std::optional<std::int64_t> toMs)
{
    const std::int64_t from = fromMs.value_or(session.firstMs());
    const std::int64_t to = std::max(from, toMs.value_or(session.lastMs()));
    SessionUsage out;
    switch (at) {
    case UsagePoint::End:
        out.byPurpose = session.usageAt(to);
        out.totalBytes = session.usedAt(to);
        break;
    case UsagePoint::Peak: {
        const RangeSummary r = session.rangeSummary(from, to);
        out.byPurpose = r.peakByPurpose;
        out.totalBytes = r.peakUsedBytes;
        break;
    }
    case UsagePoint::P95: {
        const std::size_t purposes = MemoryPurpose::count();
        std::vector<std::vector<std::uint64_t>> series(purposes);
        std::vector<std::uint64_t> used;
        used.reserve(kPercentileSamples);
        for (int i = 0; i < kPercentileSamples; ++i) {
            // Midpoints of equal slices: each sample stands for the same length of time.
            const std::int64_t t = from + static_cast<std::int64_t>((static_cast<long double>(to - from) * (2 * i + 1)) /
                                                                    (2 * kPercentileSamples));
            const PurposeUsage u = session.usageAt(t);
            for (std::size_t p = 0; p < purposes; ++p)
                series[p].push_back(static_cast<std::uint64_t>(
                    std::max<std::int64_t>(0, u[MemoryPurpose::fromId(static_cast<std::uint16_t>(p))])));
            used.push_back(session.usedAt(t));
        }
        for (std::size_t p = 0; p < purposes; ++p)
            out.byPurpose.at(MemoryPurpose::fromId(static_cast<std::uint16_t>(p))) =
                static_cast<std::int64_t>(percentile95(std::move(series[p])));
        out.totalBytes = percentile95(std::move(used));
        break;
    }
    }
    out.overflowErrors = session.overflowErrors();
    return out;
}

BudgetVerdict evaluateBudget(const SessionUsage& usage, const Budget& budget)
{
    BudgetVerdict v;
    v.budget = &budget;
    v.usedBytes = usage.totalBytes;
    v.headroomBytes = signedDifference(budget.totalBytes, usage.totalBytes);
    v.overflowed = usage.overflowErrors > 0;
    v.totalFits = usage.totalBytes <= budget.totalBytes && !v.overflowed;
    v.fits = v.totalFits;
    const std::size_t n = std::max(usage.byPurpose.size(), MemoryPurpose::count());
    for (std::size_t i = 0; i < n; ++i) {
        const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
        const auto used = static_cast<std::uint64_t>(std::max<std::int64_t>(0, usage.byPurpose[p]));
        const auto limit = budget.budgetFor(p);
        if (used == 0 && !limit)
            continue;
        PurposeVerdict pv{p, used, limit, 0, true};
        if (limit) {
            pv.headroomBytes = signedDifference(*limit, used);
            pv.fits = used <= *limit;
        }
        v.fits = v.fits && pv.fits;
        v.purposes.push_back(pv);
    }
    return v;
}

} // namespace flight
