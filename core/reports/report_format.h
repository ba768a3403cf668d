// SPDX-License-Identifier: MIT
#pragma once
// Small formatting helpers shared by the report writers: seconds, percents,
// escapes and the palette (the same colours as the window's app_style.cpp).
// Sizes and durations are written as everywhere else, by formatBytes /
// formatSignedBytes (memory_size.h) and formatDuration (time_text.h).

#include "model/memory_pressure.h"
#include "model/memory_purpose.h"
#include "model/memory_size.h"
#include "model/time_text.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace flight::reports {

// Seconds from an origin, for axis labels and tables: "12.3 s".
std::string secondsText(std::int64_t ms);
// "12.5 %".
std::string percentText(double fraction);
// UTC "2025-11-24 16:00:00" for a time in ms since the epoch.
std::string utcText(std::int64_t ms);

// &, <, >, " and ' escaped: safe in HTML/SVG text and attributes.
std::string xmlEscape(std::string_view text);
// | and newlines escaped for a Markdown table cell.
std::string markdownCell(std::string_view text);
// RFC 4180 field: quoted when it holds a comma, quote or newline; a newline
// or carriage return becomes a space, so every record is one line.
std::string csvField(std::string_view text);

// "#0072b2": the window's colour of the purpose / pressure level.
std::string purposeColor(MemoryPurpose p);
std::string pressureColor(MemoryPressure p);
inline constexpr std::string_view kInkColor = "#1f2a44";   // used line, text, total
inline constexpr std::string_view kGridColor = "#d9dce3";
inline constexpr std::string_view kMarkerColor = "#5b6275";
inline constexpr std::string_view kUntrackedColor = "#c9ced8"; // used above what the purposes hold

} // namespace flight::reports
