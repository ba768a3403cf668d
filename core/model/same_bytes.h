// SPDX-License-Identifier: MIT
#pragma once
// a == b over n bytes for the short texts ids and keys are: word loads that
// stay within the n bytes, instead of a libc memcmp call per compare.

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace flight {

inline bool sameBytes(const char* a, const char* b, std::size_t n)
{
    auto load8 = [](const char* p) { std::uint64_t v; std::memcpy(&v, p, 8); return v; };
    auto load4 = [](const char* p) { std::uint32_t v; std::memcpy(&v, p, 4); return v; };
    if (n >= 8) {
        if (n > 16)
            return std::memcmp(a, b, n) == 0;
        return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
    }
    if (n >= 4)
        return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i])
            return false;
    return true;
}

} // namespace flight
