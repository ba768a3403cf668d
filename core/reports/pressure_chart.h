// SPDX-License-Identifier: MIT
#pragma once
// Pressure over time for one session: used as a percentage of the total, the
// background coloured by the computed level, the thresholds, and the time
// spent at each level.

#include "reports/chart_scene.h"
#include "reports/report_data.h"

namespace flight::reports {

ChartScene pressureChart(const SessionReport& session, double width = 960, double height = 240);

} // namespace flight::reports
