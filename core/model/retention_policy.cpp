// SPDX-License-Identifier: MIT
#include "retention_policy.h"

#include <algorithm>

namespace flight {

namespace {
std::string durationText(std::int64_t ms)
{
    // Exact when it divides, else rounded once it is large enough to read as such.
    if (ms >= 3'600'000 && (ms % 3'600'000 == 0 || ms >= 7'200'000))
        return std::to_string((ms + 1'800'000) / 3'600'000) + " h";
    if (ms >= 60'000 && (ms % 60'000 == 0 || ms >= 120'000))
        return std::to_string((ms + 30'000) / 60'000) + " min";
    if (ms % 1000 == 0 && ms >= 1000)
        return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}
} // namespace

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
    return "full detail for the last " + durationText(fullDetail.count()) + ", " + durationText(res) +
           " resolution before (coarser past " +
           durationText(res * static_cast<std::int64_t>(std::max<std::size_t>(1, maxHistoryBuckets))) +
           " of history)";
}

} // namespace flight
