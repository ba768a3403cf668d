// SPDX-License-Identifier: MIT
#pragma once
// Usage by purpose for one session: one bar per purpose, its peak (light), its
// average and its value at the end of the range (solid).

#include "reports/chart_scene.h"
#include "reports/report_data.h"

namespace flight::reports {

ChartScene purposeBarsChart(const SessionReport& session, double width = 960);

} // namespace flight::reports
