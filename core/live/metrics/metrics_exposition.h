// SPDX-License-Identifier: MIT
#pragma once
// The agent's /metrics text (docs/fleet.md): a pure function from a snapshot
// of the agent's sessions to the OpenMetrics 1.0 text format or, for scrapers
// that do not ask for it, the Prometheus text format 0.0.4. Families come in a
// fixed order, sessions in the snapshot's order; label values are escaped as
// both formats require (backslash, double quote, line feed). No clock, no I/O.

#include "model/memory_error.h"
#include "model/memory_pressure.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flight::live {

struct PurposeMetrics {
    std::string purpose;                  // kebab name ("vm-heap", or a custom name)
    std::uint64_t bytes = 0;              // tracked bytes now
    std::uint64_t activeAllocations = 0;  // live allocations now
};

struct ErrorCount {
    MemoryErrorCode code = MemoryErrorCode::AllocationFailed;
    std::uint64_t count = 0;
};

struct SessionMetrics {
    std::string session;
    std::string platform;                 // empty: not known
    std::uint64_t usedBytes = 0;
    std::uint64_t totalBytes = 0;         // 0: not known
    std::uint64_t peakBytes = 0;
    std::vector<PurposeMetrics> purposes;
    MemoryPressure pressure = MemoryPressure::Low;
    std::uint64_t criticalBytes = 0;      // used at which pressure is critical; 0: total not known
    std::optional<std::uint64_t> softLimitBytes;
    std::optional<std::uint64_t> hardLimitBytes;
    std::vector<ErrorCount> errors;       // codes seen, each once
    std::uint64_t allocations = 0;        // ever made
    std::uint64_t frees = 0;
    bool ended = false;
};

struct AgentMetrics {
    std::string instance;                 // the agent's producer instance id
    std::string version;
    std::string websocketUrl;             // where the agent streams (ws://...)
    std::uint64_t messagesPublished = 0;
    std::uint64_t messagesDropped = 0;
    std::uint64_t clientsConnected = 0;
    std::uint64_t sessionsOmitted = 0;    // never exported: over --metrics-max-sessions
    std::uint64_t sessionsEvicted = 0;    // ended sessions removed early to make room
    std::vector<SessionMetrics> sessions;
};

enum class ExpositionFormat { OpenMetrics, PrometheusText };

// From an Accept header: the acceptable format of highest q (OpenMetrics on a
// tie); the Prometheus text format when the header is empty or names neither.
ExpositionFormat negotiateExposition(std::string_view accept);
std::string_view contentTypeOf(ExpositionFormat format);

// A label value as both formats write it between double quotes.
std::string escapeLabelValue(std::string_view value);

std::string renderMetrics(const AgentMetrics& metrics, ExpositionFormat format);

} // namespace flight::live
