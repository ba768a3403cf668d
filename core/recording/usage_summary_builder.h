// SPDX-License-Identifier: MIT
#pragma once
// Builds a RecordingSummary from the messages as a format-2 writer sees them,
// counting used the way SessionModel does for allocations, frees (and
// allocations that carry freedAt), and memory_update samples: times that go
// backwards are clamped, a 0-byte allocation, a second allocation of a live
// id and a free of an id not live change nothing. It does not drop duplicates
// by seq nor apply platform profiles: the summary is what the window shows
// until the full load replaces it, and the full load is authoritative.
// Memory: O(peak live allocations + sessions × kMaxSummaryColumns).

#include "protocol/message.h"
#include "recording/usage_summary.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace flight::recording {

class UsageSummaryBuilder {
public:
    UsageSummaryBuilder();
    ~UsageSummaryBuilder();
    UsageSummaryBuilder(const UsageSummaryBuilder&) = delete;
    UsageSummaryBuilder& operator=(const UsageSummaryBuilder&) = delete;

    void add(const protocol::Message& message);
    // A record kept without decoding (counted as not summarised).
    void addRaw() { ++m_records, ++m_notSummarised; }

    // What it has seen so far; O(sessions × points).
    RecordingSummary summary() const;

private:
    struct Session;
    Session* resolve(std::string_view sessionId);

    std::vector<std::unique_ptr<Session>> m_sessions;
    std::map<std::string, std::size_t, std::less<>> m_index;
    Session* m_last = nullptr;       // the session the last message named
    std::string m_lastId;
    std::size_t m_lastStarted = 0;
    bool m_anyStarted = false;
    std::uint64_t m_records = 0, m_notSummarised = 0;
};

} // namespace flight::recording
