// SPDX-License-Identifier: MIT
#pragma once
// How many custom purposes a process keeps apart (MemoryPurpose::fromName).
// Past the limit, new names are counted under kOverflowPurposeName (the last
// slot), so a producer inventing names without end can neither grow every
// per-purpose table without bound nor wrap the 16-bit purpose id.

#include <cstddef>
#include <string_view>

namespace flight {

inline constexpr std::size_t kMaxCustomPurposes = 4096;
inline constexpr std::string_view kOverflowPurposeName = "(other custom purposes)";

} // namespace flight
