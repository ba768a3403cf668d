// SPDX-License-Identifier: MIT
#pragma once
// How strong a bearer token the agent accepts, and a generator of strong ones
// (`flight-agent token`). A guessable token on a non-loopback agent is no
// protection at all, so the agent refuses to start with one.
//
// The rule (docs/live-sources.md): at least 16 characters, at least 8 of
// them different, only printable ASCII without spaces (it travels in an HTTP
// header), and an estimated strength of at least 128 bits: length times
// log2 of the alphabet its character classes span (10 digits, 26 lower-case,
// 26 upper-case, 32 other printable). So 32 hex digits (`openssl rand -hex 16`)
// or 22 base64 characters pass; a word, a date or 16 lower-case letters do not.

#include "model/memory_error.h"

#include <QByteArray>
#include <QByteArrayView>

namespace flight::live {

inline constexpr int kMinTokenBits = 128;
inline constexpr qsizetype kMinTokenLength = 16;
inline constexpr int kMinTokenDistinct = 8;

// The estimate above, in bits (0 for an empty token).
double estimatedTokenBits(QByteArrayView token);

// Errors (malformed-input): why the token is too weak, with its length and the
// estimate, never the token itself, and how to make a strong one.
Result<void> checkTokenStrength(QByteArrayView token);

// 32 bytes from the system's random source, base64url without padding:
// 43 characters, 256 bits.
QByteArray newBearerToken();

} // namespace flight::live
