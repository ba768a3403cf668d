// SPDX-License-Identifier: MIT
#pragma once
// MessageDecoder's state and steps, shared by the files that implement them:
//   message_decoder.cpp        decode(): limits, trimming, which path, errors
//   decoder_line_templates.cpp allocation/free lines in the encoder's exact form
//   decoder_fast_path.cpp      strict scanner for canonical lines
//   decoder_generic_path.cpp   simdjson On-Demand for everything else
//   decoder_interpret.cpp      filled Bags -> Message (every dialect's envelopes)
// Internal to flightcore.

#include "protocol/decoder_bag.h"
#include "protocol/decoder_keys.h"
#include "protocol/decoder_scan.h"
#include "protocol/message_decoder.h"

#include <simdjson.h>

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace flight::protocol {
namespace od = simdjson::ondemand;
using namespace detail;

// A field's name for error messages, assembled only when an error is reported
// (no allocation on the good path).
struct FieldName {
    FieldName(std::string_view x) : a(x) {}
    FieldName(const char* x) : a(x) {}
    FieldName(std::string_view x, std::string_view y, std::string_view z = {}) : a(x), b(y), c(z) {}
    std::string str() const { return std::string(a).append(b).append(c); }
    std::string_view a, b, c;
};

inline std::string errorName(simdjson::error_code e)
{
    return simdjson::error_message(e);
}

struct MessageDecoder::Impl {
    DecoderOptions options;
    od::parser parser;
    std::vector<char> buffer;
    std::vector<Bag> bags;
    std::vector<PurposeBytes> purposes;
    std::vector<DecodeWarning> warnings;
    static constexpr std::size_t kMaxWarnedTypes = 4096;
    std::set<std::string, std::less<>> warnedTypes;
    std::set<std::string, std::less<>> warnedPurposes;
    std::map<std::string, TimeUnit, std::less<>> sessionUnits;
    std::uint64_t skippedUnknown = 0;
    SpellingCache<MemoryPurpose> standardPurposes; // MemoryPurpose::fromStandardName
    SpellingCache<MemoryPressure> pressures;       // memoryPressureFromString
    // Fast path: the keys that followed each key (or opened each record) last
    // time, as indexes into fieldTable() (0xFF: none); two per context.
    std::array<std::array<std::uint8_t, 2>, 128> nextKey{};

    Message scratch; // decode()'s, before it is copied out
    std::uint64_t line = 0;
    std::string errorText;
    MemoryErrorCode errorCode = MemoryErrorCode::MalformedInput;

    Impl();

    // message_decoder.cpp
    bool fail(std::string why, MemoryErrorCode code = MemoryErrorCode::MalformedInput);
    bool failJson(std::string_view where, simdjson::error_code e);
    int newBag();
    // true: `out` holds the message; false: nothing to apply
    Result<bool> decode(std::string_view json, std::uint64_t lineNo, Message& out);

    // decoder_generic_path.cpp
    bool readString(od::value v, std::string_view& out, FieldName field);
    bool readTime(od::value v, RawTime& out, FieldName field);
    bool readUnsigned(od::value v, std::uint64_t& out, FieldName field);
    bool readSize(od::value v, SizeVal& out, FieldName field);
    bool purposeFromName(std::string_view name, MemoryPurpose& out);
    bool readPurpose(od::value v, std::optional<MemoryPurpose>& out);
    bool readPressure(od::value v, std::optional<MemoryPressure>& out);
    bool readCode(od::value v, std::optional<MemoryErrorCode>& out);
    bool readByPurpose(od::value v, Bag& bag);
    bool readChild(od::value v, int& slot, int depth, std::string_view field);
    bool readObject(od::object obj, int bagIndex, int depth);
    bool readDocument(std::string_view json); // the line, with SIMDJSON_PADDING bytes after it

    // decoder_fast_path.cpp: the whole line (in `buffer`, padded) as the
    // canonical shape, or false having reported nothing.
    bool scanCanonical(std::string_view json);
    bool scanKey(Scan& s, int context, K& key);
    bool scanObject(Scan& s, int bagIndex, int depth, K parent);

    // decoder_line_templates.cpp: an allocation or free line exactly as the
    // encoder writes it, into `out`; false (nothing filled) for anything else.
    bool matchTemplate(std::string_view json, Message& out);
    // The string caps (string_caps.h) on a decoded message: false (and the
    // reason in errorText) when it is refused; cut strings become warnings.
    bool capStrings(Message& out);
    bool matchAllocation(Scan& s, AllocationMsg& m);
    bool matchFree(Scan& s, FreeMsg& m);
    bool matchTail(Scan& s, std::optional<std::uint64_t>& seq, std::optional<std::int64_t>& receivedAt);

    // decoder_interpret.cpp: 1 = message, 0 = skipped (unknown type), -1 = error
    int interpret(int bagIndex, Message& out, int depth);
    TimeUnit unitFor(std::string_view sessionId) const;
    TimeUnit unitOf(std::string_view sessionId) const // unitFor, inline for the usual case
    {
        return sessionUnits.empty() ? TimeUnit::Auto : unitFor(sessionId);
    }
    static std::int64_t ms(const RawTime& t, TimeUnit u);
    static std::int64_t msNoUnit(const RawTime& t);
    const Bag& bag(int i) const { return bags[static_cast<std::size_t>(i)]; }
    MemoryLimits limitsOf(const Bag& b) const;
    bool errorFrom(const Bag& e, std::string_view outerSession, Message& out);
};

} // namespace flight::protocol
