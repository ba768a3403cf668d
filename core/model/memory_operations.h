// SPDX-License-Identifier: MIT
#pragma once
// The memory-operations functions of flight:memory@1.0.0 over one SessionModel:
// unlike the model's record* (what a producer observed, kept even above a
// limit), they validate a request first and refuse it. A refusal is returned
// and also kept in the model as an OperationError event.

#include "memory_error.h"
#include "memory_purpose.h"
#include "memory_records.h"
#include "session_model.h"

#include <cstdint>
#include <string_view>

namespace flight {

class MemoryOperations {
public:
    // `session` must outlive this object.
    explicit MemoryOperations(SessionModel& session) : m_session(session) {}

    // Validates (validateAllocationRequest), then records the allocation.
    Result<MemoryAllocation> createAllocation(std::string_view id, std::uint64_t bytes, MemoryPurpose purpose,
                                              std::int64_t atMs);
    // As SessionModel::recordFree.
    Result<void> freeAllocation(std::string_view id, std::int64_t atMs);
    // invalid-size (0), limit-exceeded (used + bytes above the hard limit, or the
    // purpose's level + bytes above heapMax for vm-heap, stackMax for
    // component-stack, cacheMax for asset-cache), insufficient-memory (above total).
    // Records nothing.
    Result<void> validateAllocationRequest(std::uint64_t bytes, MemoryPurpose purpose) const;
    // invalid-size when soft > hard (both set); otherwise as SessionModel::recordLimits.
    Result<void> setLimits(const MemoryLimits& limits, std::int64_t atMs);

private:
    SessionModel& m_session;
};

} // namespace flight
