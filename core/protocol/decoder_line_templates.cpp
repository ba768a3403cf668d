// SPDX-License-Identifier: MIT
// The decoder's fastest path: the two lines that make up nearly all of a
// recording, `allocation` and `free`, spelled exactly as MessageEncoder writes
// them (its key order, no whitespace), are read straight into a Message: a
// handful of literal compares, no Bags to clear, no key lookups, no
// interpretation step.
//
// Values go through the same primitives as scanCanonical (decoder_scan.h), so
// a line matched here gives the Message the other paths give. The bytes after
// the line need not be zeros (MessageDecoder::decodeCommon reads the reader's
// buffer in place): the byte right after it is '\0', '\n' or '\r', which ends
// every string and number scan there and is part of no literal compared. Anything else
// (another key order, an extra or missing key, a custom purpose, a value the
// primitives refuse) returns false having filled nothing, and the line goes
// on to scanCanonical as before.
#include "protocol/message_decoder_impl.h"
#include "protocol/string_caps.h"

#include <array>
#include <optional>

namespace flight::protocol {

namespace {

// `text` at the cursor, within the line; the cursor moves past it only if so.
inline bool expect(Scan& s, std::string_view text)
{
    if (static_cast<std::size_t>(s.end - s.p) < text.size() || std::memcmp(s.p, text.data(), text.size()) != 0)
        return false;
    s.p += text.size();
    return true;
}

// An integer time to ms as ms() does, without its calls in the usual case:
// no unit declared, a magnitude that already means milliseconds and within
// the range of times (kMaxTimeMs: milliseconds go up to 1e14 by magnitude, the
// range ends at ~9.2e12). False for a time out of range: the full path words
// the error.
inline bool toMs(std::int64_t v, TimeUnit u, std::int64_t& out)
{
    if (u == TimeUnit::Auto && v >= 100'000'000'000 && v <= kMaxTimeMs) [[likely]] {
        out = v; // what unitByMagnitude (time_unit.cpp) calls milliseconds
        return true;
    }
    const auto ms = toMilliseconds(v, u);
    out = ms.value_or(0);
    return ms.has_value();
}

// A standard purpose in the encoder's spelling ("asset-cache"), without the
// spelling cache: the one name of that length and first letter, compared.
// Anything else (other spellings, custom names) goes to the cache as before.
inline std::optional<MemoryPurpose> encoderPurpose(std::string_view n)
{
    using P = StandardPurpose;
    static constexpr std::array<std::string_view, 8> kNames = {
        "vm-heap", "component-stack", "asset-cache", "jit-code-cache",
        "system-reserved", "wasm-linear", "network-buffers", "temporary",
    };
    P p;
    switch (n.size()) {
    case 7: p = P::VmHeap; break;
    case 9: p = P::Temporary; break;
    case 11: p = n[0] == 'a' ? P::AssetCache : P::WasmLinear; break;
    case 14: p = P::JitCodeCache; break;
    case 15: p = n[0] == 'c' ? P::ComponentStack : n[0] == 's' ? P::SystemReserved : P::NetworkBuffers; break;
    default: return std::nullopt;
    }
    const std::string_view name = kNames[static_cast<std::size_t>(p)];
    if (!sameBytes(name.data(), n.data(), n.size()))
        return std::nullopt;
    return MemoryPurpose(p);
}

} // namespace

// The payload of an allocation line, its record's closing brace included.
bool MessageDecoder::Impl::matchAllocation(Scan& s, AllocationMsg& m)
{
    std::string_view purpose;
    SizeVal size;
    std::int64_t t = 0;
    if (!scanString(s, m.id) || m.id.empty())
        return false; // an empty id is an error: the full path words it
    if (expect(s, R"(,"sessionId":)") && !scanString(s, m.sessionId))
        return false;
    if (!expect(s, R"(,"size":)") || !scanSize(s, size) || !expect(s, R"(,"purpose":)") || !scanString(s, purpose)
        || !expect(s, R"(,"allocatedAt":)") || !scanInt(s, t))
        return false;
    auto p = encoderPurpose(purpose);
    if (!p)
        p = standardPurposes.get(purpose, [](std::string_view n) { return MemoryPurpose::fromStandardName(n); });
    if (!p)
        return false; // custom purposes warn: the full path does it
    m.bytes = size.bytes;
    m.purpose = *p;
    const TimeUnit u = unitOf(m.sessionId);
    if (!toMs(t, u, m.allocatedAt))
        return false;
    if (expect(s, R"(,"freedAt":)")) {
        std::int64_t freed = 0;
        if (!scanInt(s, t) || !toMs(t, u, freed))
            return false;
        m.freedAt = freed;
    }
    return expect(s, "}");
}

// The payload of a free line, after its type.
bool MessageDecoder::Impl::matchFree(Scan& s, FreeMsg& m)
{
    std::int64_t t = 0;
    if (expect(s, R"("sessionId":)") && (!scanString(s, m.sessionId) || !expect(s, ",")))
        return false;
    if (!expect(s, R"("allocationId":)") || !scanString(s, m.allocationId) || m.allocationId.empty()
        || !expect(s, R"(,"freedAt":)") || !scanInt(s, t))
        return false;
    return toMs(t, unitOf(m.sessionId), m.freedAt);
}

// The envelope's tail: [,"seq":N][,"receivedAt":N]} and the end of the line.
bool MessageDecoder::Impl::matchTail(Scan& s, std::optional<std::uint64_t>& seq,
                                     std::optional<std::int64_t>& receivedAt)
{
    if (expect(s, R"(,"seq":)")) {
        std::uint64_t v = 0;
        if (!scanUint(s, v))
            return false;
        seq = v;
    }
    if (expect(s, R"(,"receivedAt":)")) {
        std::int64_t t = 0;
        if (!scanInt(s, t))
            return false;
        std::int64_t ms = 0;
        if (!toMs(t, TimeUnit::Auto, ms))
            return false;
        receivedAt = ms;
    }
    return expect(s, "}") && s.p == s.end;
}

bool MessageDecoder::Impl::matchTemplate(std::string_view json, Message& out)
{
    Scan s{json.data(), json.data() + json.size()};
    std::optional<std::uint64_t> seq;
    std::optional<std::int64_t> receivedAt;
    if (expect(s, R"({"type":"allocation","allocation":{"id":)")) {
        AllocationMsg m;
        if (!matchAllocation(s, m) || !matchTail(s, seq, receivedAt))
            return false;
        out.payload = m;
    } else if (expect(s, R"({"type":"free",)")) {
        FreeMsg m;
        if (!matchFree(s, m) || !matchTail(s, seq, receivedAt))
            return false;
        out.payload = m;
    } else {
        return false;
    }
    out.seq = seq;
    out.receivedAt = receivedAt;
    return true;
}

bool MessageDecoder::decodeCommon(std::string_view json, Message& out)
{
    // The byte after the line stops every scan at the line's end, whatever follows it.
    const char after = json.data()[json.size()];
    return d->options.canonicalFastPath && json.size() <= d->options.maxMessageBytes
        && (after == '\0' || after == '\n' || after == '\r') && d->matchTemplate(json, out)
        && idsWithinCaps(out); // else decodeInto refuses it, with the reason
}

} // namespace flight::protocol
