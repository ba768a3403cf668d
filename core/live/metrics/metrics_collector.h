// SPDX-License-Identifier: MIT
#pragma once
// What the agent's /metrics reports about its sessions (docs/fleet.md): every
// message a source publishes is also applied here, to one SessionStore per
// session (so used, peak, pressure and limits mean what they mean in the
// inspector), and /metrics renders from this state without waiting for
// anything. Only built when `serve --metrics-listen` is given.
//
// Bounded cardinality and memory:
//  - an ended session's series go `endedRetention` (5 min) after its
//    session_ended reached the agent (agent's clock);
//  - at most `maxSessions` sessions are held. A new session once that many are
//    held takes the place of the ended one that ended first (counted:
//    sessionsEvicted). With none ended, the new session is not exported at all
//    (counted once: sessionsOmitted; its messages are ignored here, so no
//    partial figures appear should a place free up later);
//  - every held session is compacted (model/retention_policy.h) at most once
//    a minute, so a session that runs for days holds a bounded history.

#include "live/sources/agent_source.h"
#include "live/metrics/metrics_exposition.h"
#include "protocol/message.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace flight::live {

struct MetricsCollectorOptions {
    std::size_t maxSessions = 1000;
    std::chrono::milliseconds endedRetention{std::chrono::minutes(5)};
};

class MetricsCollector {
public:
    using Clock = std::chrono::steady_clock;

    explicit MetricsCollector(MetricsCollectorOptions options = {});
    ~MetricsCollector();
    MetricsCollector(const MetricsCollector&) = delete;
    MetricsCollector& operator=(const MetricsCollector&) = delete;

    // Applies one message as the agent publishes it (now: the agent's clock).
    void observe(const protocol::Message& message, Clock::time_point now);
    void observe(const protocol::Message& message) { observe(message, Clock::now()); }

    // Removes sessions ended more than endedRetention before `now` and
    // compacts what is due. Cheap when nothing is due.
    void sweep(Clock::time_point now);

    // The sessions held (after sweep(now)), in the order they began, with the
    // collector's own counts; the agent's fields (instance, messages, clients)
    // are left for the caller to fill.
    AgentMetrics snapshot(Clock::time_point now);

    std::size_t sessionCount() const;
    std::uint64_t sessionsOmitted() const;
    std::uint64_t sessionsEvicted() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// A source whose every message goes to `collector` too, before the agent's sink.
std::unique_ptr<AgentSource> tapSource(std::unique_ptr<AgentSource> inner, MetricsCollector& collector);

} // namespace flight::live
