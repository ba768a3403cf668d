// SPDX-License-Identifier: MIT
#include "recording/summary_store.h"

#include <algorithm>
#include <array>

namespace flight::recording {

void applySummary(const RecordingSummary& summary, protocol::SessionStore& store)
{
    using namespace protocol;
    std::uint64_t line = 0;
    std::array<PurposeBytes, 8> levels;
    for (const SessionSummary& s : summary.sessions) {
        if (s.sessionId.empty())
            continue; // the store would take it for "the last session"
        const std::int64_t start = s.points.empty() ? 0 : s.points.front().timeMs;
        std::optional<std::uint64_t> total;
        if (s.totalBytes)
            total = s.totalBytes;
        store.apply(Message{SessionStartedMsg{s.sessionId, s.platform, {}, total, std::nullopt, start}, std::nullopt, std::nullopt}, ++line);
        for (const SummaryPoint& p : s.points) {
            for (std::size_t i = 0; i < levels.size(); ++i)
                levels[i] = {MemoryPurpose::fromId(static_cast<std::uint16_t>(i)),
                             static_cast<std::uint64_t>(std::max<std::int64_t>(p.levels[i], 0))};
            MemoryUpdateMsg u;
            u.form = MemoryUpdateMsg::Form::Snapshot;
            u.sessionId = s.sessionId;
            u.timestamp = p.timeMs;
            u.usedBytes = p.usedBytes;
            u.hasByPurpose = true;
            u.byPurpose = levels;
            store.apply(Message{u, std::nullopt, std::nullopt}, ++line);
        }
    }
}

} // namespace flight::recording
