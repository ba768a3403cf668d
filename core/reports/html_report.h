// SPDX-License-Identifier: MIT
#pragma once
// The HTML report: one self-contained file (inline CSS and SVG charts, no
// script, no network), readable on screen and when printed (@media print).

#include "reports/report_data.h"

#include <string>

namespace flight::reports {

std::string htmlReport(const ReportData& data);

} // namespace flight::reports
