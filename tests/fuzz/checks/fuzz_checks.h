// SPDX-License-Identifier: MIT
#pragma once
// What each fuzz target checks, as plain functions: the libFuzzer driver
// (tests/fuzz/fuzz_driver.cpp, one executable a check) aborts when one returns
// a complaint, and the regular test suite
// (tests/core/fuzz/fuzz_regressions_test.cpp) replays every input in
// tests/data/fuzz-regressions/ through the same function. Each returns "" when
// the input was handled as documented, else what went wrong. Crashes and
// sanitizer reports need no return value: they stop the process.

#include <string>
#include <string_view>

namespace flight::fuzz {

// The decoder (every dialect) line by line, fast path against simdjson path,
// into a SessionStore, then the session models' read-outs.
std::string checkMessageDecoder(std::string_view input);
// MemorySize::parse and the humanReadable() round trip.
std::string checkMemorySize(std::string_view input);
// readRecording (plain or zstd) with two chunkings, then loadRecording.
std::string checkRecordingReader(std::string_view input);
// Format 2: the input after the preamble, block by block, as lines and loaded.
std::string checkCompactReader(std::string_view input);
// parseBudgets and the budgetToJson round trip.
std::string checkBudgetParser(std::string_view input);

} // namespace flight::fuzz
