// SPDX-License-Identifier: MIT
#pragma once
// memory-pressure of flight:memory@1.0.0 and how the inspector computes it from
// used/total (protocol.md section 6): a level is reached at its threshold, so
// exactly 70 % is medium with the default thresholds.

#include <cstdint>
#include <optional>
#include <string_view>

namespace flight {

enum class MemoryPressure : std::uint8_t { Low, Medium, High, Critical };
inline constexpr int kPressureLevelCount = 4;

std::string_view toString(MemoryPressure p);
// "low".."critical" in any case.
std::optional<MemoryPressure> memoryPressureFromString(std::string_view text);
// 0..3.
std::optional<MemoryPressure> memoryPressureFromIndex(std::int64_t index);

struct PressureThresholds {
    double medium = 0.70;
    double high = 0.85;
    double critical = 0.95;

    friend bool operator==(const PressureThresholds&, const PressureThresholds&) = default;
};

// total == 0 (unknown) gives Low: no claim without a denominator.
MemoryPressure computePressure(std::uint64_t used, std::uint64_t total, const PressureThresholds& t = {});

} // namespace flight
