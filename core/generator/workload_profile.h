// SPDX-License-Identifier: MIT
#pragma once
// What a synthetic session looks like on one platform: its purpose mix, the
// markers on its timeline, the shape of its usage over the run (a curve of
// used/total that crosses every pressure level and comes back down), what it
// reserves at start and what it leaks.

#include "model/memory_error.h"
#include "model/memory_purpose.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flight::generator {

struct PurposeWeight {
    StandardPurpose purpose;
    unsigned weight = 1;       // relative share of new allocations
    double sizeFactor = 1.0;   // times the mean allocation size
};

// One point of the usage curve: at `progress` (0..1 of the run) the session
// aims at `usedShare` of total. Linear in between.
struct UsagePoint {
    double progress = 0.0;
    double usedShare = 0.0;
};

struct WorkloadProfile {
    std::string platform;            // "dreamcast", "v6r-small", ...
    std::string sessionId;
    std::string label;
    std::uint64_t totalBytes = 0;
    bool virtualMachine = false;     // a V6R VM (vm-heap, JIT, network, leak, limits)
    std::vector<PurposeWeight> mix;
    std::vector<UsagePoint> curve;
    // markers[0] is placed at start ("boot"); markers[i] at curve[i] for i >= 1.
    std::vector<std::string> markers;
    double systemReservedShare = 0.0; // of total, allocated at start, never freed
    int systemReservedBlocks = 0;
    double leakShare = 0.0;           // of total, leaked evenly over the run
    double vmHeapRetention = 0.0;     // chance a vm-heap block survives a free pick (heap growth)
    std::int64_t updatePeriodMs = 1000; // memory_update snapshot period
    bool sendLimits = false;

    // The profile for a platform id of protocol.md section 7 (dreamcast, psp,
    // psp-1000, vita, v6r-small, v6r-medium, v6r-large, custom), its total from
    // the built-in catalogue. `totalOverride` (non-zero) replaces the total; for
    // custom it defaults to 256 MiB. Unknown platform: unsupported-platform.
    static Result<WorkloadProfile> forPlatform(std::string_view platform, std::uint64_t totalOverride = 0);
    // The platform ids forPlatform accepts, in the order above.
    static const std::vector<std::string>& platforms();

    // usedShare at `progress` (clamped to 0..1).
    double targetShare(double progress) const;
};

} // namespace flight::generator
