#pragma once
// Per-session figures that cost a pass over every event, computed on the
// loader's worker thread so the UI thread only reads them.

#include "allocation_query.h"

#include "analytics/pressure_durations.h"
#include "analytics/usage_pyramid.h"

#include <memory>
#include <vector>

namespace flight::ui {

struct SessionAnalytics {
    UsagePyramid pyramid;
    PressureDurations pressureDurations;
    std::shared_ptr<const std::vector<AllocationRow>> allocationRows;
};

} // namespace flight::ui
