// SPDX-License-Identifier: MIT
#include "memory_error.h"

#include "enum_names.h"

namespace flight {
namespace {
constexpr EnumNames<MemoryErrorCode, 10> kNames{{
    "insufficient-memory", "limit-exceeded",     "invalid-size",        "allocation-failed",
    "already-freed",       "invalid-allocation", "unsupported-platform", "fragmentation-error",
    "malformed-input",     "io-error",
}};
} // namespace

std::string_view toString(MemoryErrorCode code)
{
    return kNames.name(code);
}

std::optional<MemoryErrorCode> memoryErrorCodeFromString(std::string_view text)
{
    return kNames.fromString(text);
}

// The WIT codes only: the ones after them are this program's own.
std::optional<MemoryErrorCode> memoryErrorCodeFromIndex(std::int64_t index)
{
    return kNames.fromIndex(index, kWitErrorCodeCount);
}

} // namespace flight
