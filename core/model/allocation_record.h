#pragma once
// How the session model keeps one allocation: 40 bytes, no heap of its own.
// The id text lives in the model's arena (idOffset/idLen); `key` is hashId(id).

#include <cstdint>
#include <limits>

namespace flight {

struct AllocationRecord {
    static constexpr std::int64_t kLive = std::numeric_limits<std::int64_t>::max();

    std::uint64_t key = 0;
    std::uint64_t bytes = 0;
    std::int64_t allocatedAt = 0;
    std::int64_t freedAt = kLive;   // kLive while live (a known future free is stored as is)
    std::uint32_t idOffset = 0;
    std::uint16_t idLen = 0;        // ids above 65535 bytes keep their first 65535
    std::uint16_t purpose = 0;      // MemoryPurpose::id()

    bool liveAt(std::int64_t t) const { return allocatedAt <= t && freedAt > t; }
};
static_assert(sizeof(AllocationRecord) == 40);

} // namespace flight
