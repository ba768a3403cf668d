// SPDX-License-Identifier: MIT
#pragma once
// What a leak candidate of a range is, once for the Allocations view and every
// report format (HTML, Markdown, JSON, PDF): an allocation made inside the range
// [fromMs, toMs] that the session never freed. Allocations made before the range
// are the range's starting state, not something it leaked.

#include <cstdint>
#include <string_view>

namespace flight {

// The definition as the views and reports state it, after a count: "9 allocation(s), 1.2MB, <this>".
inline constexpr std::string_view kLeakCandidateDefinition = "allocated in the range and never freed";

constexpr bool isLeakCandidate(std::int64_t allocatedAt, bool freed, std::int64_t fromMs, std::int64_t toMs)
{
    return !freed && allocatedAt >= fromMs && allocatedAt <= toMs;
}

} // namespace flight
