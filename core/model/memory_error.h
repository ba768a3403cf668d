// SPDX-License-Identifier: MIT
#pragma once
// The memory-error record of flight:memory@1.0.0 and the Result type every
// core API returns: no exception crosses core's API.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace flight {

// Order is the WIT declaration order; the Go binding sends these indices.
enum class MemoryErrorCode : std::uint8_t {
    InsufficientMemory,
    LimitExceeded,
    InvalidSize,
    AllocationFailed,
    AlreadyFreed,
    InvalidAllocation,
    UnsupportedPlatform,
    FragmentationError,
    // Not in the WIT: input the inspector could not read (decoder, files, budgets).
    MalformedInput,
    IoError,
};
inline constexpr int kWitErrorCodeCount = 8;

std::string_view toString(MemoryErrorCode code);
// Accepts the kebab names (any case, '_' for '-') and, for the Go binding, 0..7.
std::optional<MemoryErrorCode> memoryErrorCodeFromString(std::string_view text);
std::optional<MemoryErrorCode> memoryErrorCodeFromIndex(std::int64_t index);

struct MemoryError {
    MemoryErrorCode code = MemoryErrorCode::MalformedInput;
    std::string message;
    std::string details;        // e.g. the allocation id, or "line 12"
    std::int64_t timestampMs = 0;

    friend bool operator==(const MemoryError&, const MemoryError&) = default;
};

template <typename T>
using Result = std::expected<T, MemoryError>;

inline std::unexpected<MemoryError> makeError(MemoryErrorCode code, std::string message,
                                              std::string details = {}, std::int64_t timestampMs = 0)
{
    return std::unexpected(MemoryError{code, std::move(message), std::move(details), timestampMs});
}

} // namespace flight
