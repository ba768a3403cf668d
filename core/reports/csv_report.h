// SPDX-License-Identifier: MIT
#pragma once
// The CSV report: a time series per session, one row every `resolution` ms
// from the start of the range to its end:
//   session,time_ms,<one column per purpose, bytes>,used,total,pressure
// time_ms counts from the session's first event; purposes are every purpose
// holding bytes in any session (so every session has the same columns).
// Values are the state after every event at or before that instant (usageAt).

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
