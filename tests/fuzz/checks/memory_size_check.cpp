// SPDX-License-Identifier: MIT
// Fuzzes MemorySize::parse, the human-readable size reader used by the decoder,
// budget files and the command line ("512MB", "1.5 GB", "16 MiB", "4096").
//
// Oracles: a parsed size reads back from its decimal byte count exactly, and
// its humanReadable() form parses again (to within the one-decimal rounding).

#include "fuzz_checks.h"

#include "model/memory_size.h"

#include <cstdint>
#include <string>
#include <string_view>

using namespace flight;

std::string flight::fuzz::checkMemorySize(std::string_view text)
{
    const auto parsed = MemorySize::parse(text);
    if (!parsed) {
        if (parsed.error().code != MemoryErrorCode::InvalidSize || parsed.error().message.empty())
            return "parse error without invalid-size code or message";
        return {};
    }
    const std::uint64_t bytes = parsed->bytes;
    const auto exact = MemorySize::parse(std::to_string(bytes));
    if (!exact || exact->bytes != bytes)
        return std::to_string(bytes) + " does not read back as itself";
    const std::string human = parsed->humanReadable();
    const auto again = MemorySize::parse(human);
    if (!again)
        return "humanReadable() gave \"" + human + "\", which does not parse: " + again.error().message;
    // One decimal of the unit: within 5 % of the value (or 0.05 units, for small ones).
    const long double a = static_cast<long double>(bytes);
    const long double b = static_cast<long double>(again->bytes);
    const long double diff = a > b ? a - b : b - a;
    if (diff > a * 0.05L + 1.0L)
        return std::to_string(bytes) + " -> \"" + human + "\" -> " + std::to_string(again->bytes);
    (void)formatSignedBytes(static_cast<std::int64_t>(bytes));
    return {};
}
