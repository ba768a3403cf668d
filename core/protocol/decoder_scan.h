// SPDX-License-Identifier: MIT
#pragma once
// The fast paths' scanning primitives over a padded line (see
// decoder_fast_path.cpp for the exact subset of JSON they accept). Each
// returns false, having reported nothing, on anything outside that subset.
// Internal to flightcore.

#include "protocol/decoder_bag.h"
#include "protocol/decoder_keys.h"

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flight::protocol::detail {

// The fast path's cursor over the padded line.
struct Scan {
    const char* p;
    const char* end;
};

// "..." of printable ASCII without escapes (0x20..0x7F but '"' and '\\').
inline bool scanString(Scan& s, std::string_view& out)
{
    if (s.p == s.end || *s.p != '"')
        return false;
    const char* b = ++s.p;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (true) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.p));
        // signed compare: bytes >= 0x80 are negative, so "< 0x20" also catches them
        const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                          _mm_cmplt_epi8(v, space));
        const int mask = _mm_movemask_epi8(stop);
        if (mask != 0) {
            s.p += __builtin_ctz(static_cast<unsigned>(mask));
            if (s.p >= s.end || *s.p != '"')
                return false;
            out = std::string_view(b, static_cast<std::size_t>(s.p - b));
            ++s.p;
            return true;
        }
        s.p += 16;
        if (s.p >= s.end)
            return false;
    }
#else
    while (s.p != s.end) {
        const auto c = static_cast<unsigned char>(*s.p);
        if (c == '"') {
            out = std::string_view(b, static_cast<std::size_t>(s.p - b));
            ++s.p;
            return true;
        }
        if (c < 0x20 || c >= 0x80 || c == '\\')
            return false;
        ++s.p;
    }
    return false;
#endif
}

inline std::uint64_t load8(const char* p)
{
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

// Eight ASCII digits to their value (little-endian word; the trick simdjson uses).
inline std::uint64_t parseEightDigits(std::uint64_t v)
{
    v -= 0x3030303030303030ull;
    v = (v * 10) + (v >> 8);
    return (((v & 0x000000FF000000FFull) * 0x000F424000000064ull)
            + (((v >> 16) & 0x000000FF000000FFull) * 0x0000271000000001ull)) >> 32;
}
constexpr bool little = std::endian::native == std::endian::little;
constexpr std::uint64_t kPow10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// The first n (1..8) digits at p as a number: the bytes after them are
// replaced by leading '0's so that one eight-digit conversion does it.
inline std::uint64_t parseDigits(const char* p, int n)
{
    if (n == 8)
        return parseEightDigits(load8(p));
    const int shift = 8 * (8 - n);
    return parseEightDigits((load8(p) << shift) | (0x3030303030303030ull >> (64 - shift)));
}

// -?(0|[1-9][0-9]{0,17}) followed by ',' or '}'
inline bool scanInt(Scan& s, std::int64_t& out)
{
    bool neg = false;
    if (s.p != s.end && *s.p == '-') {
        neg = true;
        ++s.p;
    }
    const char* b = s.p;
#if defined(__SSE2__)
    if constexpr (little) {
        // count the digits of the next 16 bytes at once
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
        const __m128i nonDigit = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8('0')), _mm_cmpgt_epi8(v, _mm_set1_epi8('9')));
        const int n = __builtin_ctz(static_cast<unsigned>(_mm_movemask_epi8(nonDigit)) | 0x10000u);
        if (n < 16) {
            if (n == 0 || (n > 1 && *b == '0') || b + n >= s.end)
                return false;
            const char after = b[n];
            if (after != ',' && after != '}')
                return false;
            std::uint64_t value = n <= 8 ? parseDigits(b, n)
                                         : parseEightDigits(load8(b)) * kPow10[n - 8] + parseDigits(b + 8, n - 8);
            s.p = b + n;
            out = neg ? -static_cast<std::int64_t>(value) : static_cast<std::int64_t>(value);
            return true;
        }
        // 16 digits or more: one by one below (at most 18)
    }
#endif
    std::int64_t v = 0;
    while (*s.p >= '0' && *s.p <= '9') {
        if (s.p - b == 18)
            return false; // longer than 18 digits: the general path decides (and v would overflow)
        v = v * 10 + (*s.p - '0');
        ++s.p;
    }
    const std::size_t n = static_cast<std::size_t>(s.p - b);
    if (n == 0 || n > 18 || (n > 1 && *b == '0') || s.p >= s.end)
        return false;
    if (*s.p != ',' && *s.p != '}')
        return false;
    out = neg ? -v : v;
    return true;
}

// [0-9]+ as scanInt, no sign at all (simdjson refuses "-0" as an unsigned)
inline bool scanUint(Scan& s, std::uint64_t& out)
{
    std::int64_t v = 0;
    if (s.p == s.end || *s.p == '-' || !scanInt(s, v))
        return false;
    out = static_cast<std::uint64_t>(v);
    return true;
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)? of at most 24 characters, followed by ',' or
// '}': converted with from_chars, correctly rounded like simdjson's get_double.
inline bool scanDecimal(Scan& s, double& out)
{
    const char* b = s.p;
    const char* q = s.p;
    if (q != s.end && *q == '-')
        ++q;
    const char* digits = q;
    while (q != s.end && *q >= '0' && *q <= '9')
        ++q;
    if (q == digits || (q - digits > 1 && *digits == '0'))
        return false;
    if (q != s.end && *q == '.') {
        const char* frac = ++q;
        while (q != s.end && *q >= '0' && *q <= '9')
            ++q;
        if (q == frac)
            return false;
    }
    if (q == s.end || (*q != ',' && *q != '}') || q - b > 24)
        return false;
    const auto r = std::from_chars(b, q, out);
    if (r.ec != std::errc() || r.ptr != q)
        return false;
    s.p = q;
    return true;
}

inline bool literal(Scan& s, std::string_view text)
{
    if (std::memcmp(s.p, text.data(), text.size()) != 0)
        return false;
    s.p += text.size();
    return true;
}

// After an object's member: ',' (another member follows: 1), '}' (the object
// ends: 0), anything else (-1); the cursor moves past what it found.
inline int afterMember(Scan& s)
{
    if (s.p == s.end)
        return -1;
    if (*s.p == ',') {
        ++s.p;
        return 1;
    }
    if (*s.p != '}')
        return -1;
    ++s.p;
    return 0;
}

// A byte count as producers write it: an integer as scanUint reads it, or the
// same digits quoted, as TypeScript producers write them ("bytes":"268435456",
// which the full path reads with MemorySize::parse: the same value).
inline bool scanByteCount(Scan& s, std::uint64_t& out)
{
    if (scanUint(s, out))
        return true;
    if (s.p == s.end || *s.p != '"')
        return false;
    const char* b = s.p + 1;
    const char* q = b;
    while (q < s.end && *q >= '0' && *q <= '9')
        ++q;
    const auto n = static_cast<std::size_t>(q - b);
    if (n == 0 || n > 18 || (n > 1 && *b == '0') || q >= s.end || *q != '"')
        return false;
    std::uint64_t v = 0;
    for (const char* p = b; p != q; ++p)
        v = v * 10 + static_cast<std::uint64_t>(*p - '0');
    out = v;
    s.p = q + 1;
    return true;
}

// {bytes, humanReadable} in any order (each at most once... or more: last wins), or a byte count.
inline bool scanSize(Scan& s, SizeVal& out)
{
    const char* start = s.p;
    // The canonical spelling first: {"bytes":N,"humanReadable":"..."}
    if (s.end - s.p >= 9 && literal(s, R"({"bytes":)")) {
        std::uint64_t bytes = 0;
        std::string_view h;
        if (scanByteCount(s, bytes) && literal(s, R"(,"humanReadable":)") && scanString(s, h) && s.p < s.end
            && *s.p == '}') {
            ++s.p;
            out = {true, bytes};
            return true;
        }
        s.p = start;
    }
    if (s.p != s.end && *s.p == '{') {
        ++s.p;
        bool haveBytes = false;
        std::uint64_t bytes = 0;
        if (s.p != s.end && *s.p == '}')
            return false;
        while (true) {
            std::string_view key;
            if (!scanString(s, key) || s.p == s.end || *s.p != ':')
                return false;
            ++s.p;
            const K k = sizeTable().classify(key);
            if (k == K::Bytes) {
                if (!scanByteCount(s, bytes))
                    return false;
                haveBytes = true;
            } else if (k == K::HumanReadable) {
                std::string_view h;
                if (!scanString(s, h))
                    return false;
            } else {
                return false;
            }
            const int next = afterMember(s);
            if (next < 0)
                return false;
            if (next == 0)
                break;
        }
        if (!haveBytes)
            return false; // humanReadable alone: parsed by the full path
        out = {true, bytes};
        return true;
    }
    std::uint64_t v = 0;
    if (!scanByteCount(s, v))
        return false;
    out = {true, v};
    return true;
}

} // namespace flight::protocol::detail
