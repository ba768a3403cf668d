// SPDX-License-Identifier: MIT
#pragma once
// memory-size of flight:memory@1.0.0: a byte count and its human-readable form.
// Formatting matches the bindings (base 1024, one decimal: "512.0MB", "16.0KB",
// "0B"); parsing takes every form of protocol.md section 2 and floors decimals.

#include "memory_error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace flight {

struct MemorySize {
    std::uint64_t bytes = 0;

    std::string humanReadable() const;
    // "512MB", "1.5 GB", "16 MiB", "512mb", "4096", "1.0KB": whole bytes, floored.
    // Errors (invalid-size) name the text and why: empty, negative, unknown unit,
    // not a number, above 2^64-1.
    static Result<MemorySize> parse(std::string_view text);

    friend auto operator<=>(const MemorySize&, const MemorySize&) = default;
};

// Same format as MemorySize::humanReadable, for signed quantities (diffs, headroom).
std::string formatBytes(std::uint64_t bytes);
std::string formatSignedBytes(std::int64_t bytes);

// How sizes are shown to people (the inspector's "Units" preference).
enum class ByteUnits {
    Protocol, // "512.0MB": base 1024 with KB/MB/GB names, as the bindings and recordings write
    Binary,   // "512.0 MiB": base 1024, IEC names
    Decimal,  // "536.9 MB": base 1000, SI names (kB, MB, GB)
};
std::string formatBytes(std::uint64_t bytes, ByteUnits units);
std::string formatSignedBytes(std::int64_t bytes, ByteUnits units);
// The unit an axis up to `bytes` is labelled in (at least 2 of it fit), e.g. 1048576 and "MiB".
struct ByteScale {
    double unitBytes = 1.0;
    const char* name = "B";
};
ByteScale byteScaleFor(double bytes, ByteUnits units);

} // namespace flight
