// SPDX-License-Identifier: MIT
#pragma once
// The CSV report: a time series per session, one row every `resolution` ms
// from the start of the range to its end:
//   session,time_ms,<one column per purpose, bytes>,used,total,pressure
// time_ms counts from the session's first event; purposes are every purpose
// holding bytes in any session (so every session has the same columns).
// Values are the state after every event at or before that instant (usageAt).
//
// When the inputs had errors, a blank line and a second table follow, one row
// per error (the same errors as the other formats, none left out):
//   error,source,session,line,count,message
// error is "decode" or "session" (a bad line of an input: its line, count 1,
// the message; session empty, as the line may belong to none) or "reported"
// (errors a session reported or an operation raised, by code: session, count,
// the code as message, line empty). Clean inputs give the series alone, so a
// reader of the series stops at the first empty line.

#include "reports/report_data.h"

#include <cstdint>
#include <optional>
#include <string>

namespace flight::reports {

inline constexpr std::int64_t kDefaultCsvResolutionMs = 1000;
inline constexpr std::int64_t kMaxCsvRowsPerSession = 10000;

// The resolution used for a session of `durationMs`: the requested one, or by
// default 1000 ms widened so the session has at most 10,000 rows.
std::int64_t csvResolution(std::int64_t durationMs, std::optional<std::int64_t> requestedMs);

std::string csvReport(const ReportData& data, std::optional<std::int64_t> resolutionMs = std::nullopt);

} // namespace flight::reports
