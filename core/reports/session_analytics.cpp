// SPDX-License-Identifier: MIT
#include "session_analytics.h"
#include "reports/text_report.h"

namespace flight {

std::vector<SessionAnalytics> analyzeSessionTimelines(const protocol::SessionStore& store)
{
    std::vector<SessionAnalytics> out;
    out.reserve(store.sessionCount());
    for (std::size_t s = 0; s < store.sessionCount(); ++s) {
        const SessionModel& session = store.session(s);
        out.push_back({std::make_shared<const UsagePyramid>(session), computePressureDurations(session), nullptr, nullptr, nullptr});
    }
    return out;
}

void analyzeSessionDetails(std::vector<SessionAnalytics>& analytics, const protocol::SessionStore& store)
{
    for (std::size_t s = 0; s < store.sessionCount() && s < analytics.size(); ++s) {
        const SessionModel& session = store.session(s);
        analytics[s].allocationRows = std::make_shared<const std::vector<AllocationRow>>(buildAllocationRows(session));
        analytics[s].events = std::make_shared<const std::vector<EventLogEntry>>(collectSessionEvents(session, &store));
        analytics[s].memoryReport = std::make_shared<const std::string>(reports::textReport(session));
    }
}

std::vector<SessionAnalytics> analyzeSessions(const protocol::SessionStore& store)
{
    auto out = analyzeSessionTimelines(store);
    analyzeSessionDetails(out, store);
    return out;
}

} // namespace flight
