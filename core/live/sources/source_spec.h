// SPDX-License-Identifier: MIT
#pragma once
// The --source specs of flight-agent serve, turned into sources:
//   demo                 two demo sessions: v6r-small and dreamcast
//   demo:PLATFORM        one demo session on PLATFORM (any WorkloadGenerator platform),
//                        demoEvents messages long, then the next
//   replay:FILE          a recording (plain or zstd), at --speed, --loop
//   process:PID          a Linux process from /proc, every --interval
//   cgroup:PATH          a memory cgroup (absolute or under /sys/fs/cgroup), every --interval
//   v8:HOST:PORT         every target of a V8 inspector port (/json/list), every --interval
//   v8:ws://...          one V8 target by its debugger URL

#include "live/sources/agent_source.h"
#include "model/memory_error.h"

#include <QString>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace flight::live {

struct SourceSettings {
    double rate = 200.0;                         // demo: messages per second
    double speed = 1.0;                          // replay
    bool loop = false;                           // replay
    std::chrono::milliseconds interval{250};     // process, cgroup, v8
    bool allowRemoteV8 = false;                  // v8: hosts other than loopback
    std::string platform{};                      // v8: empty = chosen from the heap limit
    std::uint64_t v8SamplingBytes = 0;           // v8: sampling heap profiler interval; 0 = off
    std::uint64_t demoEvents = 12'000;           // demo: messages per session before the next starts
};

// Errors name the spec and the reason ("bad source 'proc:1': unknown kind 'proc' (...)").
Result<std::vector<std::unique_ptr<AgentSource>>> makeSources(const QString& spec, const SourceSettings& settings);

} // namespace flight::live
