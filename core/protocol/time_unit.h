// SPDX-License-Identifier: MIT
#pragma once
// Units of protocol timestamps (protocol.md section 2): a session may declare
// one ("timeUnit"); otherwise a Unix time's unit is told by its magnitude.

#include <cstdint>
#include <optional>
#include <string_view>

namespace flight::protocol {

enum class TimeUnit : std::uint8_t { Auto, Seconds, Milliseconds, Microseconds, Nanoseconds };
std::optional<TimeUnit> timeUnitFromString(std::string_view text);
// The range of a time, whatever its unit: within ±(2^63−1) ns of the epoch
// (about the years 1677 to 2262, the range of a signed 64-bit count of
// nanoseconds), so every accepted time is exact in ms, µs and ns alike, two
// times' difference in ms never overflows, and the model's sentinels
// (INT64_MIN / INT64_MAX ms) are never real times. kMaxTimeMs is its bound in ms.
inline constexpr std::int64_t kMaxTimeNs = INT64_MAX;
inline constexpr std::int64_t kMaxTimeMs = kMaxTimeNs / 1'000'000; // 9,223,372,036,854
// Unix time in `unit` (Auto: by magnitude, protocol.md section 2) to ms;
// nullopt when it lies outside that range (or, for a double, is not finite).
std::optional<std::int64_t> toMilliseconds(double value, TimeUnit unit);
std::optional<std::int64_t> toMilliseconds(std::int64_t value, TimeUnit unit);
// The unit a value means (Auto resolved by magnitude), for error messages.
TimeUnit resolvedUnit(std::int64_t value, TimeUnit unit);
TimeUnit resolvedUnit(double value, TimeUnit unit);
std::string_view timeUnitName(TimeUnit unit); // "s", "ms", "us", "ns" ("auto")

} // namespace flight::protocol
