// SPDX-License-Identifier: MIT
#include "memory_error.h"

#include <array>
#include <cctype>

namespace flight {
namespace {
constexpr std::array<std::string_view, 10> kNames = {
    "insufficient-memory", "limit-exceeded",     "invalid-size",        "allocation-failed",
    "already-freed",       "invalid-allocation", "unsupported-platform", "fragmentation-error",
    "malformed-input",     "io-error",
};
} // namespace

std::string_view toString(MemoryErrorCode code)
{
    return kNames[static_cast<std::size_t>(code)];
}

std::optional<MemoryErrorCode> memoryErrorCodeFromString(std::string_view text)
{
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        const auto name = kNames[i];
        if (name.size() != text.size())
            continue;
        bool same = true;
        for (std::size_t k = 0; k < name.size() && same; ++k) {
            const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[k])));
            same = (c == name[k]) || (c == '_' && name[k] == '-');
        }
        if (same)
            return static_cast<MemoryErrorCode>(i);
    }
    return std::nullopt;
}

std::optional<MemoryErrorCode> memoryErrorCodeFromIndex(std::int64_t index)
{
    if (index < 0 || index >= kWitErrorCodeCount)
        return std::nullopt;
    return static_cast<MemoryErrorCode>(index);
}

} // namespace flight
