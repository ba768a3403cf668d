// SPDX-License-Identifier: MIT
#pragma once
// Decodes one protocol message (one JSON Lines line or one WebSocket frame) in
// any dialect of protocol.md section 2, on simdjson On-Demand with a reused
// parser. Never throws; never stops a stream: every call stands alone except for
// what the protocol makes stateful (a session's declared timeUnit, warnings
// that are reported once per unknown type / custom purpose name).

#include "protocol/message.h"
#include "protocol/time_unit.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace flight::protocol {

inline constexpr std::size_t kDefaultMaxMessageBytes = 16u * 1024u * 1024u;
// Readable bytes decodeCommon needs after a line (and simdjson's padding).
inline constexpr std::size_t kDecoderPadding = 64;

struct DecoderOptions {
    std::size_t maxMessageBytes = kDefaultMaxMessageBytes; // a longer frame/line is refused
    // Read lines of the canonical shape (compact, printable ASCII, no escapes,
    // integers, standard names) with a strict hand-written scanner and hand
    // everything else to simdjson. Same results either way (the scanner gives
    // up rather than decide anything); off only to test that claim.
    bool canonicalFastPath = true;
};

enum class DecodeWarningKind : std::uint8_t { UnknownType, CustomPurpose, TextCut };

struct DecodeWarning {
    DecodeWarningKind kind;
    std::uint64_t line = 0;
    std::string message;     // "line 12: unknown type \"teleport\" skipped"
    std::string name;        // the type or the purpose name (TextCut: the field)
};

class MessageDecoder {
public:
    explicit MessageDecoder(DecoderOptions options = {});
    ~MessageDecoder();
    MessageDecoder(MessageDecoder&&) noexcept;
    MessageDecoder& operator=(MessageDecoder&&) noexcept;

    // `line` is the line or frame number used in errors and warnings.
    //  - a message: the value (its string_views/spans are valid until the next decode call);
    //  - std::nullopt: nothing to apply (blank line, or an unknown type: skipped, see warnings());
    //  - an error (code malformed-input or invalid-size) whose message starts
    //    "line N: " and names the reason; details is "line N".
    Result<std::optional<Message>> decode(std::string_view json, std::uint64_t line);
    // decode() into a Message the caller keeps and reuses, for a hot loop (no
    // Message built and copied per line): true when `out` now holds a
    // message, false for nothing to apply (`out` unspecified then).
    Result<bool> decodeInto(std::string_view json, std::uint64_t line, Message& out);
    // Only an allocation or free line in the encoder's exact form (nearly
    // every line of a recording), read in place into `out`: json must be
    // followed in memory by a '\0', '\n' or '\r' and at least
    // kDecoderPadding readable bytes in all (zero padding, or the reader's
    // buffer: see LineSink). It raises no warning and no error, and the
    // message's strings point into `json`. false: not such a line (nothing
    // decoded, nothing reported); decode it with the calls above, which give
    // the same message for the lines this accepts.
    bool decodeCommon(std::string_view json, Message& out);

    // Warnings raised by the last decode call (at most one per unknown type and
    // per custom purpose name over the decoder's life).
    std::span<const DecodeWarning> warnings() const;
    // Messages skipped for an unknown type (every one, not just the first per type).
    std::uint64_t skippedUnknownTypes() const;

    // Forget declared time units and which names were already warned about.
    void reset();
    // A decoder with this one's options and declared time units: it decodes
    // the next lines as this one would (to decode ahead on another thread),
    // but warns afresh (it has not given this one's warnings).
    MessageDecoder fork() const;

private:
    struct Impl;
    static Result<bool> decodeChecked(Impl& d, std::string_view json, std::uint64_t line, Message& out);
    static Result<std::optional<Message>> asOptional(const Result<bool>& r, const Message& m);
    std::unique_ptr<Impl> d;
};

} // namespace flight::protocol
