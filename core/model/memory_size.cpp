// SPDX-License-Identifier: MIT
#include "memory_size.h"

#include <array>
#include <cctype>
#include <cstdio>

namespace flight {
namespace {

// Exact arithmetic for sizes up to 2^64-1 times a unit (GCC/Clang extension).
__extension__ typedef unsigned __int128 Wide;

constexpr std::array<std::string_view, 5> kUnits = {"B", "KB", "MB", "GB", "TB"};

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// Power of 1024 for a unit spelling, or -1.
int unitExponent(std::string_view unit)
{
    if (unit.empty() || equalsNoCase(unit, "b") || equalsNoCase(unit, "bytes") || equalsNoCase(unit, "byte"))
        return 0;
    static constexpr std::array<std::string_view, 4> letters = {"k", "m", "g", "t"};
    for (int i = 0; i < 4; ++i) {
        const auto l = letters[static_cast<std::size_t>(i)];
        const std::string kb = std::string(l) + "b";
        const std::string kib = std::string(l) + "ib";
        if (equalsNoCase(unit, l) || equalsNoCase(unit, kb) || equalsNoCase(unit, kib))
            return i + 1;
    }
    return -1;
}

auto invalid(std::string_view text, std::string_view why)
{
    return makeError(MemoryErrorCode::InvalidSize,
                     "cannot read size \"" + std::string(text.substr(0, 64)) + "\": " + std::string(why));
}

} // namespace

std::string formatBytes(std::uint64_t bytes)
{
    if (bytes < 1024)
        return std::to_string(bytes) + "B";
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < kUnits.size()) {
        value /= 1024.0;
        ++unit;
    }
    // "%.1f" rounds to nearest: within 0.05 TB of 2^64 that prints
    // "16777216.0TB", one byte above the largest size, which parse() (and every
    // reader) refuses. Round down there instead (found by fuzz_memory_size).
    constexpr double kTopOfRange = 16777216.0; // 2^64 bytes in TB
    if (unit + 1 == kUnits.size() && value >= kTopOfRange - 0.05)
        value = kTopOfRange - 0.1;
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%.1f%s", value, kUnits[unit].data());
    return buf.data();
}

namespace {
constexpr std::array<std::string_view, 5> kBinaryUnits = {"B", "KiB", "MiB", "GiB", "TiB"};
constexpr std::array<std::string_view, 5> kDecimalUnits = {"B", "kB", "MB", "GB", "TB"};
} // namespace

std::string formatBytes(std::uint64_t bytes, ByteUnits units)
{
    if (units == ByteUnits::Protocol)
        return formatBytes(bytes);
    const double base = units == ByteUnits::Binary ? 1024.0 : 1000.0;
    const auto& names = units == ByteUnits::Binary ? kBinaryUnits : kDecimalUnits;
    if (static_cast<double>(bytes) < base)
        return std::to_string(bytes) + " B";
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= base && unit + 1 < names.size()) {
        value /= base;
        ++unit;
    }
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%.1f %s", value, names[unit].data());
    return buf.data();
}

std::string formatSignedBytes(std::int64_t bytes, ByteUnits units)
{
    if (bytes < 0)
        return "-" + formatBytes(static_cast<std::uint64_t>(-(bytes + 1)) + 1, units);
    return formatBytes(static_cast<std::uint64_t>(bytes), units);
}

ByteScale byteScaleFor(double bytes, ByteUnits units)
{
    const double base = units == ByteUnits::Decimal ? 1000.0 : 1024.0;
    const auto& names = units == ByteUnits::Binary ? kBinaryUnits : units == ByteUnits::Decimal ? kDecimalUnits : kUnits;
    std::size_t i = 0;
    double unit = 1.0;
    while (bytes >= unit * base * 2 && i + 1 < names.size()) {
        unit *= base;
        ++i;
    }
    return {unit, names[i].data()};
}

std::string formatSignedBytes(std::int64_t bytes)
{
    if (bytes < 0) {
        std::string text(1, '-');
        text += formatBytes(static_cast<std::uint64_t>(-(bytes + 1)) + 1);
        return text;
    }
    return formatBytes(static_cast<std::uint64_t>(bytes));
}

std::string MemorySize::humanReadable() const
{
    return formatBytes(bytes);
}

Result<MemorySize> MemorySize::parse(std::string_view text)
{
    const std::string_view s = trim(text);
    if (s.empty())
        return invalid(text, "empty");
    if (s.front() == '-')
        return invalid(text, "negative sizes are not allowed");
    std::size_t i = 0;
    if (s[i] == '+')
        ++i;
    Wide whole = 0;
    std::size_t intDigits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        whole = whole * 10 + static_cast<unsigned>(s[i] - '0');
        if (whole > UINT64_MAX)
            return invalid(text, "larger than 2^64-1 bytes");
        ++i;
        ++intDigits;
    }
    Wide frac = 0;
    Wide fracScale = 1;
    std::size_t fracDigits = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            if (fracDigits < 18) { // beyond 1e-18 of a TiB nothing reaches a whole byte
                frac = frac * 10 + static_cast<unsigned>(s[i] - '0');
                fracScale *= 10;
            }
            ++i;
            ++fracDigits;
        }
    }
    if (intDigits == 0 && fracDigits == 0)
        return invalid(text, "no number");
    const int exponent = unitExponent(trim(s.substr(i)));
    if (exponent < 0)
        return invalid(text, "unknown unit \"" + std::string(trim(s.substr(i))) +
                                 "\" (use B, KB, MB, GB, TB or KiB, MiB, GiB, TiB)");
    const Wide multiplier = Wide{1} << (10 * exponent);
    const Wide total = whole * multiplier + (frac * multiplier) / fracScale;
    if (total > UINT64_MAX)
        return invalid(text, "larger than 2^64-1 bytes");
    return MemorySize{static_cast<std::uint64_t>(total)};
}

} // namespace flight
