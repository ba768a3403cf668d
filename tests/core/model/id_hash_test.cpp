// SPDX-License-Identifier: MIT
// hashId's keys are stored in tables and compared across code paths, so its
// value is part of the contract: the tail of a text (its last 1-7 bytes) must
// hash exactly as the straightforward zero-filled copy did, at every length.

#include "model/id_hash.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace {

// hashId as first written: the tail copied with memcpy into a zeroed word.
std::uint64_t referenceHash(std::string_view text)
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
        std::memcpy(&v, p, n);
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

} // namespace

TEST(IdHash, EveryLengthHashesAsTheZeroFilledCopy)
{
    std::mt19937 rng(3);
    int checked = 0;
    for (std::size_t length = 0; length <= 40; ++length) {
        for (int round = 0; round < 50; ++round) {
            std::string text(length, '\0');
            for (auto& c : text)
                c = static_cast<char>(round % 2 ? rng() : 'a' + rng() % 26); // any bytes, and id-like ones
            ASSERT_EQ(flight::hashId(text), referenceHash(text)) << "length " << length;
            ++checked;
        }
    }
    EXPECT_EQ(checked, 41 * 50);
    EXPECT_EQ(flight::hashId("a-1"), referenceHash("a-1"));
    EXPECT_EQ(flight::hashId("a-981985"), referenceHash("a-981985"));
}
