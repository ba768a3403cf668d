// SPDX-License-Identifier: MIT
#include "memory_operations.h"

#include "memory_size.h"

#include <limits>
#include <string>
#include <utility>

namespace flight {

Result<MemoryAllocation> MemoryOperations::createAllocation(std::string_view id, std::uint64_t bytes,
                                                            MemoryPurpose purpose, std::int64_t atMs)
{
    if (auto ok = validateAllocationRequest(bytes, purpose); !ok) {
        MemoryError e = std::move(ok.error());
        e.details = std::string(id);
        return std::unexpected(m_session.recordOperationError(std::move(e), atMs));
    }
    if (auto r = m_session.recordAllocation(id, bytes, purpose, atMs); !r)
        return std::unexpected(std::move(r.error()));
    return m_session.allocation(m_session.allocationCount() - 1);
}

Result<void> MemoryOperations::freeAllocation(std::string_view id, std::int64_t atMs)
{
    return m_session.recordFree(id, atMs);
}

Result<void> MemoryOperations::validateAllocationRequest(std::uint64_t bytes, MemoryPurpose purpose) const
{
    const SessionModel& m = m_session;
    if (bytes == 0)
        return makeError(MemoryErrorCode::InvalidSize, "an allocation of 0 bytes is not valid");
    const std::uint64_t used = m.usedBytes();
    const std::uint64_t after = used + bytes < used ? std::numeric_limits<std::uint64_t>::max() : used + bytes;
    const std::uint64_t total = m.info().totalBytes;
    if (const auto limits = m.limits()) {
        const std::uint64_t hard = limits->hardLimit.bytes;
        if (hard > 0 && after > hard)
            return makeError(MemoryErrorCode::LimitExceeded, "request of " + formatBytes(bytes) + " would bring used to " +
                                                                 formatBytes(after) + ", above the hard limit " +
                                                                 formatBytes(hard));
        std::uint64_t purposeMax = 0;
        if (purpose == MemoryPurpose(StandardPurpose::VmHeap))
            purposeMax = limits->heapMax.bytes;
        else if (purpose == MemoryPurpose(StandardPurpose::ComponentStack))
            purposeMax = limits->stackMax.bytes;
        else if (purpose == MemoryPurpose(StandardPurpose::AssetCache))
            purposeMax = limits->cacheMax.bytes;
        if (purposeMax > 0) {
            const std::int64_t level = m.usage()[purpose];
            const std::uint64_t levelU = level > 0 ? static_cast<std::uint64_t>(level) : 0;
            if (levelU + bytes > purposeMax || levelU + bytes < levelU)
                return makeError(MemoryErrorCode::LimitExceeded,
                                 "request of " + formatBytes(bytes) + " would bring " + purpose.displayName() + " to " +
                                     formatBytes(levelU + bytes) + ", above its limit " + formatBytes(purposeMax));
        }
    }
    if (total > 0 && after > total)
        return makeError(MemoryErrorCode::InsufficientMemory,
                         "request of " + formatBytes(bytes) + " does not fit: " +
                             formatBytes(total > used ? total - used : 0) + " available of " + formatBytes(total));
    return {};
}

Result<void> MemoryOperations::setLimits(const MemoryLimits& limits, std::int64_t atMs)
{
    if (limits.softLimit.bytes > 0 && limits.hardLimit.bytes > 0 && limits.softLimit.bytes > limits.hardLimit.bytes) {
        // atMs 0 is "now", as for recordLimits: the last time, or 0 before any.
        MemoryError e{MemoryErrorCode::InvalidSize,
                      "soft limit " + formatBytes(limits.softLimit.bytes) + " is above the hard limit " +
                          formatBytes(limits.hardLimit.bytes),
                      {}, 0};
        return std::unexpected(m_session.recordOperationError(std::move(e), atMs == 0 ? m_session.lastMs() : atMs));
    }
    m_session.recordLimits(limits, atMs);
    return {};
}

} // namespace flight
