// SPDX-License-Identifier: MIT
#pragma once
// The plain records of flight:memory@1.0.0 as they cross core's API. The
// session model stores allocations more compactly (see session_model.h).

#include "memory_pressure.h"
#include "memory_purpose.h"
#include "memory_size.h"

#include <cstdint>
#include <optional>
#include <string>

namespace flight {

struct MemoryAllocation {
    std::string id;
    std::string sessionId;
    MemorySize size;
    MemoryPurpose purpose;
    std::int64_t allocatedAt = 0;           // ms since the Unix epoch
    std::optional<std::int64_t> freedAt;    // unset while live

    friend bool operator==(const MemoryAllocation&, const MemoryAllocation&) = default;
};

struct MemoryUsageSnapshot {
    std::int64_t timestamp = 0;
    std::string sessionId;
    std::string platform;
    MemorySize total;
    MemorySize used;
    MemorySize available;        // total - used, floored at 0
    double fragmentationRatio = 0.0; // 0..1

    friend bool operator==(const MemoryUsageSnapshot&, const MemoryUsageSnapshot&) = default;
};

struct MemoryLimits {
    MemorySize heapMax;
    MemorySize stackMax;
    MemorySize cacheMax;
    MemorySize softLimit;
    MemorySize hardLimit;

    friend bool operator==(const MemoryLimits&, const MemoryLimits&) = default;
};

} // namespace flight
