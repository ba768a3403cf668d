// SPDX-License-Identifier: MIT
#include "live_timeline_analytics.h"

namespace flight {

std::vector<SessionAnalytics> LiveTimelineAnalytics::update(const protocol::SessionStore& store)
{
    m_rebuilt = 0;
    m_read = 0;
    std::vector<SessionAnalytics> out;
    out.reserve(store.sessionCount());
    std::map<std::string, Session, std::less<>> kept;
    for (std::size_t s = 0; s < store.sessionCount(); ++s) {
        const SessionModel& session = store.session(s);
        const SessionInfo& info = session.info();
        const auto found = m_sessions.find(info.sessionId);
        const std::size_t events = session.timelineEventCount();
        const std::uint64_t compactions = session.retention().compactions;
        Session state;
        if (found != m_sessions.end() && found->second.seen <= events && found->second.compactions == compactions
            && found->second.totalBytes == info.totalBytes && found->second.thresholds == info.thresholds) {
            state = std::move(found->second);
        } else { // new, or its past changed: from its first event
            ++m_rebuilt;
            state.pressure = PressureDurationsAccumulator(info.totalBytes, info.thresholds);
            state.compactions = compactions;
            state.totalBytes = info.totalBytes;
            state.thresholds = info.thresholds;
        }
        session.forEachUsageChangeFrom(state.seen, [&](std::int64_t t, std::uint64_t used, const PurposeUsage& u) {
            state.pyramid.append(t, used, &u);
            state.pressure.add(t, used);
        });
        m_read += events - state.seen;
        if (!state.published || state.seen != events)
            state.published = std::make_shared<const UsagePyramid>(state.pyramid);
        state.seen = events;
        out.push_back({state.published, state.pressure.durations(session.lastMs()), nullptr, nullptr, nullptr});
        kept.emplace(info.sessionId, std::move(state));
    }
    m_sessions = std::move(kept); // sessions gone from the store are forgotten
    return out;
}

} // namespace flight
