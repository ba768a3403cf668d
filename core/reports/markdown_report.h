// SPDX-License-Identifier: MIT
#pragma once
// The Markdown report, for pasting into an issue or a pull request: GitHub
// tables, no charts, no links.

#include "reports/report_data.h"

#include <string>

namespace flight::reports {

std::string markdownReport(const ReportData& data);

} // namespace flight::reports
