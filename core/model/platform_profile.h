// SPDX-License-Identifier: MIT
#pragma once
// platform-profile of flight:memory@1.0.0. The defaults (protocol.md section 7)
// come from resources/platforms/platforms.json, embedded at build time; a user
// file in the same format can replace them.

#include "memory_error.h"
#include "memory_pressure.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flight {

struct PlatformProfile {
    std::string id;          // "dreamcast", "v6r-small", "custom", ...
    std::string name;        // "Dreamcast"
    std::uint64_t totalBytes = 0; // 0 for custom: the session gives it
    PressureThresholds thresholds;
    std::string note;
};

class PlatformCatalog {
public:
    // The catalogue shipped with the product.
    static const PlatformCatalog& builtin();
    // Parse a catalogue in the platforms.json format; errors name the field.
    static Result<PlatformCatalog> fromJson(std::string_view json);

    const std::vector<PlatformProfile>& profiles() const { return m_profiles; }
    // Case-insensitive id lookup; nullptr for unknown platforms.
    const PlatformProfile* find(std::string_view id) const;

private:
    std::vector<PlatformProfile> m_profiles;
};

} // namespace flight
