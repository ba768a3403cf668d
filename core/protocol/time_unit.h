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
// Unix time in `unit` (Auto: by magnitude, protocol.md section 2) to ms.
std::int64_t toMilliseconds(double value, TimeUnit unit);
std::int64_t toMilliseconds(std::int64_t value, TimeUnit unit);

} // namespace flight::protocol
