// SPDX-License-Identifier: MIT
#pragma once
// Times as people read them, shared by the plain-text session report, the
// report writers and the window: a wall-clock instant in UTC and a duration.

#include <cstdint>
#include <string>

namespace flight {

// How a duration is written. Precise (reports, the window): "12.3 s",
// "4 min 05.0 s", "1 h 02 min" (negative durations get a leading "-").
// Rounded (a setting, such as the retention policy's): one whole unit, exact
// when it divides, else rounded once large enough to read as such: "10 min",
// "3 h", "1 s", "250 ms".
enum class DurationStyle : std::uint8_t { Precise, Rounded };
std::string formatDuration(std::int64_t ms, DurationStyle style = DurationStyle::Precise);
// "2025-11-24 16:00:00 UTC" for a time in ms since the Unix epoch.
std::string formatUtc(std::int64_t ms);
// "2025-11-24 16:00:00 .. 16:04:00 UTC (4 min 00.5 s)": the end's date is left
// out when it is the start's day.
std::string formatTimeSpan(std::int64_t fromMs, std::int64_t toMs);

} // namespace flight
