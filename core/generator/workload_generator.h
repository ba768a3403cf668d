// SPDX-License-Identifier: MIT
#pragma once
// A deterministic synthetic session: the same (platform, events, seed and
// options) always yields the same messages, on every machine (own PRNG, no
// std:: distributions, no libm, no clock).
//
// Pull API: next() returns the next protocol message, so a live source can
// pace it (the agent's stream) and a batch can drain it (a recording, see
// workload_recording.h). A run is exactly `events` messages: session_started,
// the platform's prelude (limits, the "boot" marker, system-reserved blocks),
// then allocations, frees, memory_update snapshots, markers and, last,
// session_ended. Used/total follows the profile's curve (WorkloadProfile), so
// the computed pressure crosses low, medium, high and critical and comes back
// down; each memory_update carries the producer's pressure for the same used.

#include "generator/workload_profile.h"
#include "model/memory_error.h"
#include "protocol/message.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace flight::generator {

inline constexpr std::int64_t kDefaultWorkloadStartMs = 1764000000000; // fixed: output is reproducible
inline constexpr std::uint64_t kMinWorkloadEvents = 16;

struct WorkloadOptions {
    std::string platform = "v6r-small";
    std::uint64_t events = 10'000;            // messages produced, session_started..session_ended
    std::uint64_t seed = 1;
    std::uint64_t totalBytes = 0;             // 0: the platform's (custom: 256 MiB)
    // Churned allocations live at a time around 60 % used (about x1.6 at the
    // peaks); 0: by platform, at most events / 20. Sets the mean block size.
    std::size_t typicalLiveAllocations = 0;
    // Allocations never freed (the slow leak), spread evenly over the run;
    // unset: by platform (VMs: events / 100, consoles: none).
    std::optional<std::uint64_t> leakedAllocations;
    std::int64_t startMs = kDefaultWorkloadStartMs;
    bool sequenceNumbers = true;              // add seq 1, 2, ... (protocol.md section 3)
};

struct WorkloadCounts {
    std::uint64_t allocations = 0;
    std::uint64_t frees = 0;
    std::uint64_t updates = 0;
    std::uint64_t markers = 0;
    std::uint64_t leaked = 0;
    std::uint64_t other = 0;                  // session_started/ended, limits
};

class WorkloadGenerator {
public:
    // Errors: unsupported-platform, invalid-size (events below kMinWorkloadEvents, total too small).
    static Result<WorkloadGenerator> create(WorkloadOptions options);

    WorkloadGenerator(WorkloadGenerator&&) noexcept;
    WorkloadGenerator& operator=(WorkloadGenerator&&) noexcept;
    ~WorkloadGenerator();

    // The next message, or nullptr after the last. Its strings point into the
    // generator and stay valid until the next call.
    const protocol::Message* next();
    bool finished() const;

    const WorkloadOptions& options() const;
    const WorkloadProfile& profile() const;
    std::uint64_t produced() const;
    std::int64_t nowMs() const;               // timestamp of the last message
    // What the producer holds now: tracked bytes and live allocations.
    std::uint64_t usedBytes() const;
    std::size_t liveAllocations() const;
    const WorkloadCounts& counts() const;

private:
    WorkloadGenerator();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight::generator
