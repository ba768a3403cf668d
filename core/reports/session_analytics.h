// SPDX-License-Identifier: MIT
#pragma once
// Per-session figures that cost a pass over every event (in reports/: it
// bundles analytics and the text report), computed on the
// loader's worker thread so the UI thread only reads them. In two steps: what
// the timeline and the gauge need first, the tables' rows and events after.

#include "analytics/allocation_query.h"
#include "analytics/pressure_durations.h"
#include "analytics/session_events.h"
#include "analytics/usage_pyramid.h"
#include "protocol/session_store.h"

#include <memory>
#include <string>
#include <vector>

namespace flight {

struct SessionAnalytics {
    // Shared so that a later, fuller copy of these figures keeps the pyramid a view already draws.
    std::shared_ptr<const UsagePyramid> pyramid;
    PressureDurations pressureDurations;
    // Null until the details are computed (analyzeSessionDetails).
    std::shared_ptr<const std::vector<AllocationRow>> allocationRows;
    // collectSessionEvents(); null when whoever built this had no store (read as empty) or before the details.
    std::shared_ptr<const std::vector<EventLogEntry>> events;
    // reports::textReport(); null before the details.
    std::shared_ptr<const std::string> memoryReport;
};

// One per session of `store`, in its order: the pyramid and the pressure
// durations only (a pass over each session: call it off the UI thread).
std::vector<SessionAnalytics> analyzeSessionTimelines(const protocol::SessionStore& store);
// Adds the allocation rows, the events (the store's decode errors, warnings
// and notes included) and the memory report to `analytics`, one per session of `store`.
void analyzeSessionDetails(std::vector<SessionAnalytics>& analytics, const protocol::SessionStore& store);
// Both of the above.
std::vector<SessionAnalytics> analyzeSessions(const protocol::SessionStore& store);

} // namespace flight
