// SPDX-License-Identifier: MIT
#pragma once
// A generated workload recording (core/generator) written for a test: the
// same platform, events and seed give the same file. False when it could not
// be written (the test then fails on the empty path or the false).

#include <cstdint>
#include <string>

namespace flight::test {

bool writeGeneratedWorkload(const std::string& path, const std::string& platform, std::uint64_t events,
                            std::uint64_t seed, bool compact);

} // namespace flight::test
