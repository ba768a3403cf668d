// SPDX-License-Identifier: MIT
#pragma once
// A VM's past from Prometheus as a session like a recording's: range queries
// of the agent's series (used bytes, bytes by purpose, total, limits, ended)
// turned into protocol messages (session_started, memory_update with bytes
// by purpose, limits, session_ended) applied to a SessionStore, so every view,
// `report` and `check` work on it unchanged.
//
// Downsampled with the peaks kept: each point is the maximum over its step
// (max_over_time) of used and of each purpose, so no peak Prometheus holds is
// missed whatever the step (at most maxPoints points). Each purpose's peak is
// exact; used at a point is at least the sum of its purposes, so when they
// peaked at different moments of one step, used there reads a little high
// (never low). With a step no longer than the scrape interval, every figure is
// exactly what Prometheus holds. Sessions are grouped by
// the agent that exposed them (Prometheus' `instance` label, the scrape
// target): one store per agent, since session ids are unique within an agent only.

#include "fleet/prometheus_client.h"
#include "model/memory_error.h"
#include "protocol/session_store.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace flight::fleet {

struct HistoryRequest {
    QString session;        // a session id; empty: every session
    QString platform;       // a platform id; empty: any
    QString instance;       // Prometheus' instance label (the agent's target); empty: any
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    int maxPoints = 1000;
};

struct HistorySource {
    std::string instance; // the agent (Prometheus' instance label)
    std::unique_ptr<protocol::SessionStore> store;
};

struct History {
    std::vector<HistorySource> sources; // ordered by instance
    std::int64_t stepSeconds = 0;
    std::size_t sessions = 0;
};

// The PromQL label matchers of a request: {session="...",platform="...",instance="..."} (values escaped).
QString historySelector(const HistoryRequest& request);

// Fails when a query fails (the client's error) or when nothing matches
// ("Prometheus at URL has no series for session X in the last 1h").
Result<History> loadHistory(const PrometheusClient& client, const HistoryRequest& request);

} // namespace flight::fleet
