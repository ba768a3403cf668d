#pragma once
// Per-session figures that cost a pass over every event, computed on the
// loader's worker thread so the UI thread only reads them.

#include "allocation_query.h"

#include "analytics/pressure_durations.h"
#include "analytics/session_events.h"
#include "analytics/usage_pyramid.h"
#include "protocol/session_store.h"

#include <memory>
#include <vector>

namespace flight::ui {

struct SessionAnalytics {
    UsagePyramid pyramid;
    PressureDurations pressureDurations;
    std::shared_ptr<const std::vector<AllocationRow>> allocationRows;
    // collectSessionEvents(); null when whoever built this had no store (read as empty).
    std::shared_ptr<const std::vector<EventLogEntry>> events;
};

// One per session of `store`, in its order (a pass over each session: call it
// off the UI thread). Events include the store's decode errors, warnings and notes.
std::vector<SessionAnalytics> analyzeSessions(const protocol::SessionStore& store);

} // namespace flight::ui
