// SPDX-License-Identifier: MIT
// libFuzzer driver: flight::fuzz::checkCompactReader (checks/) on every input
// (read as the bytes after a format-2 preamble); a complaint aborts, so
// libFuzzer keeps the input as a crash reproducer.

#include "fuzz_checks.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string complaint =
        flight::fuzz::checkCompactReader(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!complaint.empty()) {
        std::fprintf(stderr, "fuzz_compact_reader: %s\n", complaint.c_str());
        std::abort();
    }
    return 0;
}
