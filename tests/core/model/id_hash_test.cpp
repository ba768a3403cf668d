// SPDX-License-Identifier: MIT
// hashId's keys are stored in tables and compared across code paths, so its
// value is part of the contract: pinned here at every tail length (0-7 bytes
// after the 8-byte blocks, and two blocks and more), for high bytes too. The
// figures were taken from the first version (the tail copied with memcpy into
// a zeroed word), which the branch-free tail load must keep giving.

#include "model/id_hash.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace {

// hashId of the `length` bytes (i * 37 + length * 11 + 200) mod 256, for length 0..17.
constexpr std::array<std::uint64_t, 18> kPinned = {
    0xE220A8397B1DCDAFULL, 0x3EF04E248E2FABFBULL, 0x9409D8C7AEAE9CB6ULL, 0x5F67D998B8398D26ULL,
    0x7F6A9E42C12F5E49ULL, 0x5D0CBEC801E1442CULL, 0x24E9146EE21BC2EFULL, 0xA1EE2239734ED7C5ULL,
    0x722E0E2786A00079ULL, 0xE315B6242EB58CE0ULL, 0xA9C61F6EC383279EULL, 0x81ED3CD9694C731CULL,
    0x4BBCF824C62B5EBDULL, 0x26961D5C127A1711ULL, 0xC1AA2E365C6C66EFULL, 0xE9F9E651295DAAACULL,
    0x8AF5D2E5ADE0D58FULL, 0x53A4FF7D7B99DCD4ULL,
};

} // namespace

TEST(IdHash, EveryTailLengthHashesToItsPinnedValue)
{
    for (std::size_t length = 0; length < kPinned.size(); ++length) {
        std::string text(length, '\0');
        for (std::size_t i = 0; i < length; ++i)
            text[i] = static_cast<char>((i * 37 + length * 11 + 200) & 0xff);
        EXPECT_EQ(flight::hashId(text), kPinned[length]) << "length " << length;
    }
}

TEST(IdHash, IdLikeTextsHashToTheirPinnedValues)
{
    EXPECT_EQ(flight::hashId("a-1"), 0x849284FCA29948D9ULL);
    EXPECT_EQ(flight::hashId("a-981985"), 0xA00298424D3B3076ULL);
    EXPECT_EQ(flight::hashId("demo-psp-1/alloc-1234567"), 0xBA823D7A90F777BBULL);
}
