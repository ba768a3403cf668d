// SPDX-License-Identifier: MIT
#pragma once
// Caps on the strings a producer sends (protocol.md, "Limits"), applied by
// the decoder to every message on every path (the canonical templates, the
// scanner, simdjson, and the loader's in-place lines), so what a peer sends
// costs memory in proportion to what is shown, not to its bytes:
//
//   identifiers (sessionId, allocation id, platform, purpose name) over
//   kMaxIdBytes: the message is refused (a decode error naming the field and
//   its size) -- cutting would merge two different ids;
//   free text (session and marker labels, error message and details, the
//   hello's server and protocol, a recording header's source and application)
//   over kMaxTextBytes: cut there (at a UTF-8 character boundary), with a
//   warning naming the field and its size.

#include "protocol/message.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace flight::protocol {

inline constexpr std::size_t kMaxIdBytes = 256;
inline constexpr std::size_t kMaxTextBytes = 4096;

// `text` cut to at most `max` bytes, not inside a UTF-8 sequence.
std::string_view cutText(std::string_view text, std::size_t max);

// Applies the caps to `message`: the reason when it is to be refused
// ("sessionId of 300 bytes is over the 256-byte limit"), else nullopt, with
// one "label of N bytes cut to 4096" per string cut appended to `cuts`.
std::optional<std::string> applyStringCaps(Message& message, std::vector<std::string>& cuts);

// Whether an allocation or free message's ids are within kMaxIdBytes (what
// the loader's in-place lines check before they are taken as they are).
bool idsWithinCaps(const Message& message);

} // namespace flight::protocol
