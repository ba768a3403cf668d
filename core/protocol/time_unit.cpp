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

TimeUnit resolvedUnit(std::int64_t v, TimeUnit unit)
{
    return unit == TimeUnit::Auto ? unitByMagnitude(v) : unit;
}

TimeUnit resolvedUnit(double v, TimeUnit unit)
{
    return unit == TimeUnit::Auto ? unitByMagnitude(v) : unit;
}

std::string_view timeUnitName(TimeUnit unit)
{
    switch (unit) {
    case TimeUnit::Seconds: return "s";
    case TimeUnit::Milliseconds: return "ms";
    case TimeUnit::Microseconds: return "us";
    case TimeUnit::Nanoseconds: return "ns";
    default: return "auto";
    }
}

std::optional<std::int64_t> toMilliseconds(std::int64_t v, TimeUnit unit)
{
    unit = resolvedUnit(v, unit);
    // In range when the time counted in ns fits, with the bound symmetric
    // (INT64_MIN ns is out: its negation is not a time).
    std::int64_t ns = 0;
    const std::int64_t nsPer = unit == TimeUnit::Seconds        ? 1'000'000'000
                               : unit == TimeUnit::Microseconds ? 1'000
                               : unit == TimeUnit::Nanoseconds  ? 1
                                                                : 1'000'000;
    if (__builtin_mul_overflow(v, nsPer, &ns) || ns == INT64_MIN)
        return std::nullopt;
    switch (unit) {
    case TimeUnit::Seconds: return v * 1000;
    case TimeUnit::Microseconds: return v / 1000;
    case TimeUnit::Nanoseconds: return v / 1000000;
    default: return v;
    }
}

std::optional<std::int64_t> toMilliseconds(double v, TimeUnit unit)
{
    unit = resolvedUnit(v, unit);
    double ms = v;
    switch (unit) {
    case TimeUnit::Seconds: ms = v * 1000.0; break;
    case TimeUnit::Microseconds: ms = v / 1000.0; break;
    case TimeUnit::Nanoseconds: ms = v / 1e6; break;
    default: break;
    }
    // NaN and the infinities fail the compare.
    if (!(std::fabs(ms) <= static_cast<double>(kMaxTimeMs)))
        return std::nullopt;
    return static_cast<std::int64_t>(std::floor(ms));
}

} // namespace flight::protocol
