#pragma once
// Per-session figures that cost a pass over every event, computed on the
// loader's worker thread so the UI thread only reads them.

#include "analytics/pressure_durations.h"
#include "analytics/usage_pyramid.h"

namespace flight::ui {

struct SessionAnalytics {
    UsagePyramid pyramid;
    PressureDurations pressureDurations;
};

} // namespace flight::ui
