// SPDX-License-Identifier: MIT
#pragma once
// A 64-bit hash for allocation id texts: 8-byte blocks folded with
// multiply-rotate (murmur/wyhash style), finished with the splitmix64 mixer.
// Good avalanche for short, similar ids ("a-1", "a-2", ...); not keyed, not
// cryptographic. Deterministic across runs and platforms of the same endianness.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace flight {

inline std::uint64_t hashId(std::string_view text)
{
    constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ULL;
    constexpr std::uint64_t k2 = 0xBF58476D1CE4E5B9ULL;
    constexpr std::uint64_t k3 = 0x94D049BB133111EBULL;
    auto rotl = [](std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); };
    std::uint64_t h = k1 ^ (static_cast<std::uint64_t>(text.size()) * k2);
    const char* p = text.data();
    std::size_t n = text.size();
    while (n >= 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        h ^= rotl(v * k2, 31) * k3;
        h = rotl(h, 27) * k1 + 0x52DCE729ULL;
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        std::uint64_t v = 0;
        if constexpr (std::endian::native == std::endian::little) {
            // The n bytes as memcpy(&v, p, n) would give them, from at most
            // two loads that may overlap (equal bytes OR'ed): no call, no loop.
            if (n >= 4) {
                std::uint32_t a, b;
                std::memcpy(&a, p, 4);
                std::memcpy(&b, p + n - 4, 4);
                v = a | (static_cast<std::uint64_t>(b) << (8 * (n - 4)));
            } else {
                v = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0]))
                    | static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << (8 * (n / 2))
                    | static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << (8 * (n - 1));
            }
        } else {
            std::memcpy(&v, p, n);
        }
        h ^= rotl(v * k2, 31) * k3;
        h = rotl(h, 27) * k1 + 0x38495AB5ULL;
    }
    h ^= h >> 30;
    h *= k2;
    h ^= h >> 27;
    h *= k3;
    h ^= h >> 31;
    return h;
}

// An id with its hashId, for callers that hash it once and use it several times.
struct HashedId {
    std::string_view text;
    std::uint64_t key = 0;
};

} // namespace flight
