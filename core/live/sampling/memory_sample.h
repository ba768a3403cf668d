// SPDX-License-Identifier: MIT
#pragma once
// One measurement of a real process or cgroup, as the process and cgroup
// sources send it: a memory_update in snapshot form with byPurpose.

#include "model/memory_pressure.h"
#include "protocol/message.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace flight::live {

struct MemorySample {
    std::uint64_t usedBytes = 0;
    std::uint64_t totalBytes = 0;                     // the limit that applies (cgroup max or RAM)
    std::array<std::uint64_t, 8> byPurpose{};         // indexed by StandardPurpose
    std::optional<MemoryPressure> pressure;           // from PSI when the kernel has it
    std::optional<double> psiSomeAvg10;               // the PSI figure the pressure came from

    std::uint64_t purpose(StandardPurpose p) const { return byPurpose[static_cast<std::size_t>(p)]; }
    std::uint64_t& purpose(StandardPurpose p) { return byPurpose[static_cast<std::size_t>(p)]; }
};

// The memory_update for `sample`. `storage` holds the byPurpose entries the
// message points at (the purposes listed in `purposes`, in that order).
protocol::Message memoryUpdateMessage(const MemorySample& sample, std::string_view sessionId,
                                      std::string_view platform, std::int64_t timestampMs,
                                      std::span<const StandardPurpose> purposes,
                                      std::vector<protocol::PurposeBytes>& storage);

} // namespace flight::live
