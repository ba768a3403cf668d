// SPDX-License-Identifier: MIT
#pragma once
// A line of another tool's file (heaptrack, massif) that cannot be read: its
// error, "line N: why" (MalformedInput, where "line N"), and the line as such
// an error quotes it (control characters escaped, cut after 60 bytes).

#include "model/memory_error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace flight::import {

std::unexpected<MemoryError> lineError(std::uint64_t lineNo, const std::string& why);

// "\"the line\"", or "\"its first 60 bytes…\"".
std::string shownLine(std::string_view line);

} // namespace flight::import
