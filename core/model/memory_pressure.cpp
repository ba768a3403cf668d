// SPDX-License-Identifier: MIT
#include "memory_pressure.h"

#include "enum_names.h"

namespace flight {
namespace {
constexpr EnumNames<MemoryPressure, kPressureLevelCount> kNames{{"low", "medium", "high", "critical"}};
}

std::string_view toString(MemoryPressure p)
{
    return kNames.name(p);
}

std::optional<MemoryPressure> memoryPressureFromString(std::string_view text)
{
    return kNames.fromString(text);
}

std::optional<MemoryPressure> memoryPressureFromIndex(std::int64_t index)
{
    return kNames.fromIndex(index);
}

MemoryPressure computePressure(std::uint64_t used, std::uint64_t total, const PressureThresholds& t)
{
    if (total == 0)
        return MemoryPressure::Low;
    // Compare used >= threshold * total in long double to stay exact at the boundaries.
    const long double u = static_cast<long double>(used);
    const long double tot = static_cast<long double>(total);
    if (u >= static_cast<long double>(t.critical) * tot)
        return MemoryPressure::Critical;
    if (u >= static_cast<long double>(t.high) * tot)
        return MemoryPressure::High;
    if (u >= static_cast<long double>(t.medium) * tot)
        return MemoryPressure::Medium;
    return MemoryPressure::Low;
}

} // namespace flight
