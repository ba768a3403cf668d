// SPDX-License-Identifier: MIT
#pragma once
// What the decoder's two paths (fast scanner, simdjson) fill from one JSON
// object of any dialect, before interpretation into a Message.

#include "model/memory_error.h"
#include "model/memory_pressure.h"
#include "model/memory_purpose.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace flight::protocol::detail {

constexpr int kMaxBags = 24;
constexpr int kMaxDepth = 6;

struct RawTime {
    bool present = false;
    bool isFloat = false;
    std::int64_t i = 0;
    double f = 0;
};

struct SizeVal {
    bool present = false;
    std::uint64_t bytes = 0;
};

// Every field any message (or record, or envelope) may carry, whatever its
// dialect; filled in one forward pass, interpreted once the object is read.
struct Bag {
    bool hasType = false;
    bool typeNotString = false;
    std::string_view type, sessionId, platform, label, protocol, server, format, source, application, id,
        allocationId, timeUnit, tag, message, details;
    std::optional<bool> success;
    RawTime timestamp, allocatedAt, freedAt, createdAt, receivedAt;
    std::optional<std::uint64_t> seq;
    SizeVal total, used, available, size, bytesField, heapMax, stackMax, cacheMax, softLimit, hardLimit;
    std::string_view humanReadable;
    bool hasHumanReadable = false;
    std::optional<MemoryPurpose> purpose;
    std::optional<MemoryPressure> pressure;
    std::optional<double> fragmentation;
    std::optional<MemoryErrorCode> code;
    int allocation = -1, snapshot = -1, limits = -1, error = -1, val = -1;
    bool hasByPurpose = false;
    std::size_t byPurposeBegin = 0, byPurposeEnd = 0;
};


} // namespace flight::protocol::detail
