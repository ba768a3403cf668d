// SPDX-License-Identifier: MIT
#pragma once
// One line through a MessageDecoder as a value, so that two decoders' results
// can be compared: the canonical fast path against the full simdjson path
// (DecoderOptions::canonicalFastPath), in the fuzz check and in its unit test.

#include "protocol/message_decoder.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flight::fuzz {

struct DecodeOutcome {
    bool ok = false;
    std::optional<protocol::Message> message; // points into the decoder: compare before its next line
    std::string error;
    std::vector<std::string> warnings;
};

inline DecodeOutcome decodeOne(protocol::MessageDecoder& decoder, std::string_view line, std::uint64_t n)
{
    DecodeOutcome o;
    auto r = decoder.decode(line, n);
    o.ok = r.has_value();
    if (r)
        o.message = *r;
    else
        o.error = r.error().message;
    for (const auto& w : decoder.warnings())
        o.warnings.push_back(w.message);
    return o;
}

// The decoder options with the fast path off: the simdjson path for every line.
inline protocol::DecoderOptions simdjsonPathOnly()
{
    protocol::DecoderOptions o;
    o.canonicalFastPath = false;
    return o;
}

} // namespace flight::fuzz
