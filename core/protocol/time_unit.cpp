// SPDX-License-Identifier: MIT
#include "protocol/time_unit.h"

#include <cmath>
#include <cstdint>

namespace flight::protocol {

std::optional<TimeUnit> timeUnitFromString(std::string_view t)
{
    if (t == "s" || t == "sec" || t == "seconds")
        return TimeUnit::Seconds;
    if (t == "ms" || t == "milliseconds")
        return TimeUnit::Milliseconds;
    if (t == "us" || t == "\xC2\xB5s" || t == "microseconds")
        return TimeUnit::Microseconds;
    if (t == "ns" || t == "nanoseconds")
        return TimeUnit::Nanoseconds;
    return std::nullopt;
}

namespace {

TimeUnit unitByMagnitude(std::int64_t v)
{
    const std::uint64_t m = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    if (m < 100000000000ull)
        return TimeUnit::Seconds;
    if (m < 100000000000000ull)
        return TimeUnit::Milliseconds;
    if (m < 100000000000000000ull)
        return TimeUnit::Microseconds;
    return TimeUnit::Nanoseconds;
}

TimeUnit unitByMagnitude(double magnitude)
{
    magnitude = std::fabs(magnitude);
    if (magnitude < 1e11)
        return TimeUnit::Seconds;
    if (magnitude < 1e14)
        return TimeUnit::Milliseconds;
    if (magnitude < 1e17)
        return TimeUnit::Microseconds;
    return TimeUnit::Nanoseconds;
}

} // namespace

std::int64_t toMilliseconds(std::int64_t v, TimeUnit unit)
{
    if (unit == TimeUnit::Auto)
        unit = unitByMagnitude(v);
    switch (unit) {
    case TimeUnit::Seconds:
        if (v > INT64_MAX / 1000 || v < INT64_MIN / 1000)
            return v < 0 ? INT64_MIN : INT64_MAX;
        return v * 1000;
    case TimeUnit::Microseconds: return v / 1000;
    case TimeUnit::Nanoseconds: return v / 1000000;
    default: return v;
    }
}

std::int64_t toMilliseconds(double v, TimeUnit unit)
{
    if (unit == TimeUnit::Auto)
        unit = unitByMagnitude(v);
    double ms = v;
    switch (unit) {
    case TimeUnit::Seconds: ms = v * 1000.0; break;
    case TimeUnit::Microseconds: ms = v / 1000.0; break;
    case TimeUnit::Nanoseconds: ms = v / 1e6; break;
    default: break;
    }
    if (!(ms == ms))
        return 0;
    if (ms >= 9.2e18)
        return INT64_MAX;
    if (ms <= -9.2e18)
        return INT64_MIN;
    return static_cast<std::int64_t>(std::floor(ms));
}

} // namespace flight::protocol
