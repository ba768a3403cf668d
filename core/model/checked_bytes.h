// SPDX-License-Identifier: MIT
#pragma once
// Byte counts that cannot wrap. Every level the model keeps (used, tracked,
// each purpose's level, the untracked remainder) stays within
// ±kMaxTrackedBytes = 2^63−1, the largest signed 64-bit count: a purpose level,
// a diff or a headroom (all signed) then holds any of them exactly, and the
// time-weighted area (used × ms in 128 bits, times bounded by the decoder)
// cannot overflow either. A change that would take a level past it is refused
// with an error (session_model.h), never wrapped. So one allocation is at most
// 2^63−1 bytes (8 EiB), though a size on the wire may be up to 2^64−1.
//
// The helpers are the compiler's overflow builtins: one add and a flag test,
// cheap enough for the per-allocation path.

#include <cstdint>
#include <limits>

namespace flight {

// Sums and differences of byte counts that need more than 64 bits (a sum of
// many sizes, a difference of two unsigned counts).
__extension__ typedef __int128 WideBytes;
__extension__ typedef unsigned __int128 WideUBytes;

inline constexpr std::uint64_t kMaxTrackedBytes = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
inline constexpr std::int64_t kMaxTrackedLevel = std::numeric_limits<std::int64_t>::max();

// a + b into `sum` when it is at most kMaxTrackedBytes; false otherwise (wrapping included).
[[nodiscard]] inline bool addTrackedBytes(std::uint64_t a, std::uint64_t b, std::uint64_t& sum)
{
    return !__builtin_add_overflow(a, b, &sum) && sum <= kMaxTrackedBytes;
}

// level + delta into `sum` when it stays within ±kMaxTrackedLevel; false otherwise.
[[nodiscard]] inline bool addTrackedLevel(std::int64_t level, std::int64_t delta, std::int64_t& sum)
{
    return !__builtin_add_overflow(level, delta, &sum) && sum != std::numeric_limits<std::int64_t>::min();
}

// a + b, or the largest value when it would wrap: for figures shown (a sum of
// sizes), never for a level the model keeps.
inline std::uint64_t saturatingAdd(std::uint64_t a, std::uint64_t b)
{
    std::uint64_t sum = 0;
    return __builtin_add_overflow(a, b, &sum) ? std::numeric_limits<std::uint64_t>::max() : sum;
}

// a - b as a signed count (a headroom: budget - used), saturated at the
// int64 bounds instead of wrapping when either is above 2^63-1.
inline std::int64_t signedDifference(std::uint64_t a, std::uint64_t b)
{
    const WideBytes d = static_cast<WideBytes>(a) - static_cast<WideBytes>(b);
    if (d > std::numeric_limits<std::int64_t>::max())
        return std::numeric_limits<std::int64_t>::max();
    if (d < std::numeric_limits<std::int64_t>::min())
        return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(d);
}

// Every error refusing a change for passing the bound says this (CLI output
// finds those errors among a session's problems by it).
inline constexpr const char* kTrackedBytesBoundText =
    "a session counts at most 2^63-1 bytes (8 EiB) in used, tracked and each purpose";

} // namespace flight
