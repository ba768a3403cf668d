// SPDX-License-Identifier: MIT
#include "retention_policy.h"

#include "time_text.h"

#include <algorithm>

namespace flight {

std::int64_t RetentionPolicy::resolutionFor(std::int64_t spanMs) const
{
    std::int64_t res = std::max<std::int64_t>(1, historyResolution.count());
    const auto buckets = static_cast<std::int64_t>(std::max<std::size_t>(1, maxHistoryBuckets));
    while (spanMs / res >= buckets && res < (std::int64_t{1} << 50))
        res *= 2;
    return res;
}

std::string RetentionPolicy::describe() const
{
    if (!enabled)
        return "all detail kept in memory";
    const std::int64_t res = std::max<std::int64_t>(1, historyResolution.count());
    const std::string cap =
        maxFullDetailEvents > 0 ? " (at most " + std::to_string(maxFullDetailEvents) + " changes)" : std::string();
    return "full detail for the last " + formatDuration(fullDetail.count(), DurationStyle::Rounded) + cap + ", " +
           formatDuration(res, DurationStyle::Rounded) + " resolution before (coarser past " +
           formatDuration(res * static_cast<std::int64_t>(std::max<std::size_t>(1, maxHistoryBuckets)),
                          DurationStyle::Rounded) +
           " of history)";
}

} // namespace flight
