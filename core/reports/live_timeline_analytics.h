// SPDX-License-Identifier: MIT
#pragma once
// The timeline figures of a live session (pyramid, pressure durations) kept up
// to date by applying only what is new: each update() appends the usage changes
// a session gained since the last one, instead of analyzeSessionTimelines()'s
// pass over every event. Its result equals analyzeSessionTimelines() on the
// same store. A session is analysed again from its first event only when its
// past changed: a compaction (retention), a new total or thresholds, or fewer
// events than already taken (an id reused). Not thread-safe: one caller at a time.

#include "reports/session_analytics.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace flight {

class LiveTimelineAnalytics {
public:
    // One per session of `store`, in its order; the pyramid of each is a copy the
    // caller may keep (O(events / UsagePyramid::kBucket)), the same pointer as the
    // last update's when the session gained nothing; each event is read once.
    std::vector<SessionAnalytics> update(const protocol::SessionStore& store);

    // Sessions analysed from their first event by the last update() (0 when all were appended to).
    std::size_t rebuiltLastUpdate() const { return m_rebuilt; }
    // Usage changes the last update() read (what was new, plus any rebuild's).
    std::size_t eventsReadLastUpdate() const { return m_read; }

private:
    struct Session {
        UsagePyramid pyramid;
        PressureDurationsAccumulator pressure{0, {}};
        std::size_t seen = 0;             // timeline events appended
        std::uint64_t compactions = 0;    // RetentionState::compactions when built
        std::uint64_t totalBytes = 0;
        PressureThresholds thresholds;
        std::shared_ptr<const UsagePyramid> published; // the last copy given out, while nothing was appended since
    };
    std::map<std::string, Session, std::less<>> m_sessions; // by session id
    std::size_t m_rebuilt = 0;
    std::size_t m_read = 0;
};

} // namespace flight
