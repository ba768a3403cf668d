#include "session_analytics.h"

namespace flight::ui {

std::vector<SessionAnalytics> analyzeSessions(const protocol::SessionStore& store)
{
    std::vector<SessionAnalytics> out;
    out.reserve(store.sessionCount());
    for (std::size_t s = 0; s < store.sessionCount(); ++s) {
        const SessionModel& session = store.session(s);
        out.push_back({UsagePyramid(session), computePressureDurations(session),
                       std::make_shared<const std::vector<AllocationRow>>(buildAllocationRows(session)),
                       std::make_shared<const std::vector<EventLogEntry>>(collectSessionEvents(session, &store))});
    }
    return out;
}

} // namespace flight::ui
