// SPDX-License-Identifier: MIT
#pragma once
// The timeline of one session by purpose: stacked areas per purpose, the used
// line (min/max per pixel column), the total and the soft/hard limits, the
// pressure bands and the markers, over the report's range.

#include "reports/chart_scene.h"
#include "reports/report_data.h"

namespace flight::reports {

ChartScene timelineChart(const SessionReport& session, double width = 960, double height = 420);

} // namespace flight::reports
