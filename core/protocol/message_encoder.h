// SPDX-License-Identifier: MIT
#pragma once
// Writes messages in the canonical form of protocol.md (camelCase, sizes as
// {"bytes":N,"humanReadable":"..."}, kebab purposes, lower-case pressure,
// millisecond timestamps). decode(encode(m)) == m for every message.

#include "protocol/message.h"

#include <string>
#include <string_view>

namespace flight::protocol {

// Appends one JSON object (no newline) to `out`.
void encodeTo(std::string& out, const Message& message);
std::string encode(const Message& message);

// Appends `text` as a JSON string literal (quotes included), escaping '"', '\\'
// and control characters; bytes that are not valid UTF-8 become U+FFFD.
void appendJsonString(std::string& out, std::string_view text);

} // namespace flight::protocol
