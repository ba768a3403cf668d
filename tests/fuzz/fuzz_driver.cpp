// SPDX-License-Identifier: MIT
// The libFuzzer driver of every fuzz target, built once per target with
// FLIGHT_FUZZ_CHECK naming its check (checks/) and FLIGHT_FUZZ_TARGET its name:
// a complaint aborts, so libFuzzer keeps the input as a crash reproducer.

#include "fuzz_checks.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#if !defined(FLIGHT_FUZZ_CHECK) || !defined(FLIGHT_FUZZ_TARGET)
#error "build through tests/fuzz/CMakeLists.txt, which names the check and the target"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string complaint =
        flight::fuzz::FLIGHT_FUZZ_CHECK(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!complaint.empty()) {
        std::fprintf(stderr, "%s: %s\n", FLIGHT_FUZZ_TARGET, complaint.c_str());
        std::abort();
    }
    return 0;
}
