// SPDX-License-Identifier: MIT
// MessageDecoder: the public entry (limits, trimming, choice of path, error
// wording); the paths and the interpretation live in the files listed in
// message_decoder_impl.h.
#include "protocol/message_decoder.h"
#include "protocol/string_caps.h"

#include "protocol/message_decoder_impl.h"

#include <cstring>

namespace flight::protocol {

static_assert(kDecoderPadding >= simdjson::SIMDJSON_PADDING);

std::string_view typeName(const Payload& payload)
{
    struct V {
        std::string_view operator()(const HelloMsg&) const { return "hello"; }
        std::string_view operator()(const RecordingHeaderMsg&) const { return "recording"; }
        std::string_view operator()(const SessionStartedMsg&) const { return "session_started"; }
        std::string_view operator()(const SessionEndedMsg&) const { return "session_ended"; }
        std::string_view operator()(const AllocationMsg&) const { return "allocation"; }
        std::string_view operator()(const FreeMsg&) const { return "free"; }
        std::string_view operator()(const MemoryUpdateMsg&) const { return "memory_update"; }
        std::string_view operator()(const LimitsMsg&) const { return "limits"; }
        std::string_view operator()(const ErrorMsg&) const { return "error"; }
        std::string_view operator()(const MarkerMsg&) const { return "marker"; }
    };
    return std::visit(V{}, payload);
}

bool MessageDecoder::Impl::fail(std::string why, MemoryErrorCode code)
{
    if (errorText.empty()) {
        errorText = std::move(why);
        errorCode = code;
    }
    return false;
}
bool MessageDecoder::Impl::failJson(std::string_view where, simdjson::error_code e)
{
    return fail(std::string(where) + ": " + errorName(e));
}

int MessageDecoder::Impl::newBag()
{
    if (bags.size() >= static_cast<std::size_t>(kMaxBags))
        return -1;
    // copied from a blank one: one block copy instead of ~60 member stores
    static const Bag blank{};
    bags.push_back(blank);
    return static_cast<int>(bags.size() - 1);
}

Result<bool> MessageDecoder::Impl::decode(std::string_view json, std::uint64_t lineNo, Message& out)
{
    line = lineNo;
    errorText.clear();
    errorCode = MemoryErrorCode::MalformedInput;
    warnings.clear();
    bags.clear();
    purposes.clear();

    auto error = [&]() -> Result<bool> {
        // a refused message raises no warning: forget names first seen in it
        for (const auto& w : warnings) {
            if (w.kind == DecodeWarningKind::CustomPurpose)
                warnedPurposes.erase(w.name);
            else if (w.kind == DecodeWarningKind::UnknownType)
                warnedTypes.erase(w.name);
        }
        warnings.clear();
        return makeError(errorCode, "line " + std::to_string(lineNo) + ": " + errorText,
                         "line " + std::to_string(lineNo));
    };

    if (json.size() > options.maxMessageBytes) {
        fail(std::to_string(json.size()) + " bytes, over the " + std::to_string(options.maxMessageBytes)
             + "-byte limit: refused");
        return error();
    }
    while (!json.empty() && (json.back() == '\r' || json.back() == '\n' || json.back() == ' ' || json.back() == '\t'))
        json.remove_suffix(1);
    std::size_t lead = 0;
    while (lead < json.size() && (json[lead] == ' ' || json[lead] == '\t' || json[lead] == '\r'))
        ++lead;
    json.remove_prefix(lead);
    if (json.empty())
        return false;

    // The line is copied first (padded for simdjson): a message's strings
    // point into the decoder's buffers, never into the caller's line.
    buffer.resize(json.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buffer.data(), json.data(), json.size());
    std::memset(buffer.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
    const std::string_view text(buffer.data(), json.size());
    if (options.canonicalFastPath && matchTemplate(text, out))
        return capStrings(out) ? Result<bool>(true) : error();
    const bool read = (options.canonicalFastPath && text.front() == '{' && scanCanonical(text))
                      || readDocument(text);
    if (!read)
        return error();
    out.seq.reset(); // interpret() adds what the line carries
    out.receivedAt.reset();
    const int r = interpret(0, out, 0);
    if (r < 0 || !errorText.empty())
        return error();
    if (r == 1 && !capStrings(out))
        return error();
    return r == 1;
}

bool MessageDecoder::Impl::capStrings(Message& out)
{
    std::vector<std::string> cuts;
    if (auto refused = applyStringCaps(out, cuts)) {
        fail(*refused + ": refused");
        return false;
    }
    for (std::string& cut : cuts)
        warnings.push_back({DecodeWarningKind::TextCut, line, "line " + std::to_string(line) + ": " + cut, {}});
    return true;
}

MessageDecoder::Impl::Impl()
{
    bags.reserve(kMaxBags);
    purposes.reserve(16);
    for (auto& n : nextKey)
        n.fill(0xFF);
}

MessageDecoder::MessageDecoder(DecoderOptions options) : d(std::make_unique<Impl>())
{
    d->options = options;
}
MessageDecoder::~MessageDecoder() = default;
MessageDecoder::MessageDecoder(MessageDecoder&&) noexcept = default;
MessageDecoder& MessageDecoder::operator=(MessageDecoder&&) noexcept = default;

Result<std::optional<Message>> MessageDecoder::decode(std::string_view json, std::uint64_t line)
{
    return asOptional(decodeChecked(*d, json, line, d->scratch), d->scratch);
}

Result<bool> MessageDecoder::decodeInto(std::string_view json, std::uint64_t line, Message& out)
{
    return decodeChecked(*d, json, line, out);
}

Result<std::optional<Message>> MessageDecoder::asOptional(const Result<bool>& r, const Message& m)
{
    if (!r)
        return std::unexpected(r.error());
    return *r ? std::optional<Message>{m} : std::nullopt;
}

Result<bool> MessageDecoder::decodeChecked(Impl& d, std::string_view json, std::uint64_t line, Message& out)
{
    try {
        return d.decode(json, line, out);
    } catch (const std::exception& e) {
        return makeError(MemoryErrorCode::MalformedInput, "line " + std::to_string(line) + ": " + e.what(),
                         "line " + std::to_string(line));
    } catch (...) {
        return makeError(MemoryErrorCode::MalformedInput, "line " + std::to_string(line) + ": internal error",
                         "line " + std::to_string(line));
    }
}

std::span<const DecodeWarning> MessageDecoder::warnings() const { return d->warnings; }
std::uint64_t MessageDecoder::skippedUnknownTypes() const { return d->skippedUnknown; }

MessageDecoder MessageDecoder::fork() const
{
    MessageDecoder twin(d->options);
    twin.d->sessionUnits = d->sessionUnits;
    return twin;
}

void MessageDecoder::reset()
{
    d->warnedTypes.clear();
    d->warnedPurposes.clear();
    d->sessionUnits.clear();
    d->skippedUnknown = 0;
}

} // namespace flight::protocol
