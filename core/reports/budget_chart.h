// SPDX-License-Identifier: MIT
#pragma once
// A session against one budget: per purpose (and in total) the share of the
// budget used, with the 100 % line; over-budget bars in red. The budget drawn
// is the first highlighted verdict (the --platform's, else the session's own
// platform's), else the first one.

#include "reports/chart_scene.h"
#include "reports/report_data.h"

namespace flight::reports {

ChartScene budgetChart(const SessionReport& session, double width = 960);
// The verdict budgetChart draws, or null when there is none.
const VerdictFigures* chartedVerdict(const SessionReport& session);

} // namespace flight::reports
