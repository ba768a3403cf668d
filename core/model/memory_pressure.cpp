// SPDX-License-Identifier: MIT
#include "memory_pressure.h"

#include <array>
#include <cctype>

namespace flight {
namespace {
constexpr std::array<std::string_view, kPressureLevelCount> kNames = {"low", "medium", "high", "critical"};
}

std::string_view toString(MemoryPressure p)
{
    return kNames[static_cast<std::size_t>(p)];
}

std::optional<MemoryPressure> memoryPressureFromString(std::string_view text)
{
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        const auto name = kNames[i];
        if (name.size() != text.size())
            continue;
        bool same = true;
        for (std::size_t k = 0; k < name.size() && same; ++k)
            same = std::tolower(static_cast<unsigned char>(text[k])) == name[k];
        if (same)
            return static_cast<MemoryPressure>(i);
    }
    return std::nullopt;
}

std::optional<MemoryPressure> memoryPressureFromIndex(std::int64_t index)
{
    if (index < 0 || index >= kPressureLevelCount)
        return std::nullopt;
    return static_cast<MemoryPressure>(index);
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
