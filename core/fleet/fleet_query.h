// SPDX-License-Identifier: MIT
#pragma once
// Every VM Prometheus knows now, one row per session of an agent: used/total
// and pressure now, time in critical over the last hour, its peak against the
// platform's shipped budget (the worst verdict), a downsampled used-bytes
// series for a sparkline, and the agent's WebSocket URL when its
// flight_agent_info says it (for "go live"). A handful of queries for the whole
// fleet, whatever its size; the sparkline has at most sparklinePoints points.

#include "fleet/prometheus_client.h"
#include "model/memory_error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flight::fleet {

enum class FleetVerdict : std::uint8_t { NoBudget, Fits, Over };

struct FleetVm {
    std::string instance;      // Prometheus' instance label: the agent's scrape target
    std::string agentInstance; // the agent's own id (exported_instance, or instance with honor_labels)
    std::string session;
    std::string platform;
    std::uint64_t usedBytes = 0;
    std::optional<std::uint64_t> totalBytes;
    int pressureLevel = -1;    // 0 low .. 3 critical; -1 unknown
    double criticalSeconds = 0; // over the last hour
    std::uint64_t peakBytes = 0; // the last hour's
    FleetVerdict verdict = FleetVerdict::NoBudget;
    std::string verdictBudget; // the budget the verdict is about
    bool ended = false;
    std::string websocket;     // the agent's ws:// URL; empty when not exposed
    // Used bytes over sparklineWindowMs, one slot per step (its maximum), oldest
    // first; NaN where Prometheus has no sample.
    std::vector<double> sparkline;
};

struct FleetQueryOptions {
    QString platform;          // empty: every platform
    std::int64_t nowMs = 0;    // 0: the current time
    std::int64_t windowMs = 3'600'000;          // time in critical and the budget's peak
    std::int64_t sparklineWindowMs = 900'000;   // the sparkline's: the last 15 minutes
    int sparklinePoints = 60;
};

struct FleetSnapshot {
    std::vector<FleetVm> vms; // ordered by instance, then session
    std::int64_t atMs = 0;
};

Result<FleetSnapshot> queryFleet(const PrometheusClient& client, const FleetQueryOptions& options = {});

std::string_view toString(FleetVerdict v); // "no budget", "fits", "over"

} // namespace flight::fleet
