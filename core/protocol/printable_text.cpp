// SPDX-License-Identifier: MIT
#include "protocol/printable_text.h"

#include <cstdint>
#include <cstdio>

namespace flight::protocol {

namespace {

void hexByte(std::string& out, unsigned char c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
}

// Length of the valid UTF-8 sequence at `s[i]` (2..4), its code point in `cp`;
// 0 when it is not one.
std::size_t utf8Sequence(std::string_view s, std::size_t i, std::uint32_t& cp)
{
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    std::size_t n = 0;
    std::uint32_t min = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (i + n > s.size())
        return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(k) & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (b(k) & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

bool unsafeCodePoint(std::uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

} // namespace

std::string printableText(std::string_view text, bool keepLayout)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            out.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        if (c < 0x80) {
            switch (c) {
            case '\n': out += keepLayout ? "\n" : "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += keepLayout ? "\t" : "\\t"; break;
            default: hexByte(out, c);
            }
            ++i;
            continue;
        }
        std::uint32_t cp = 0;
        const std::size_t n = utf8Sequence(text, i, cp);
        if (n == 0) {
            hexByte(out, c);
            ++i;
        } else if (unsafeCodePoint(cp)) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(cp));
            out += buf;
            i += n;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

} // namespace flight::protocol
