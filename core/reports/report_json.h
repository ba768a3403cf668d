// SPDX-License-Identifier: MIT
#pragma once
// The JSON report (`flight-inspector report --format json`): every field of
// the summary (protocol/summary_json.h, unchanged, whole-session figures) and,
// per session, the report's figures over its range. Schema:
// docs/report-schema.json (draft 2020-12); fields in docs/reports.md.

#include "reports/report_data.h"

#include <span>
#include <string>

namespace flight::reports {

// `sources` names the inputs: "source" is written on sessions and errors when
// there are several (as summaryJson does). `data` must come from the same sources.
std::string reportJson(const ReportData& data, std::span<const protocol::SummarySource> sources, bool pretty = true);

} // namespace flight::reports
