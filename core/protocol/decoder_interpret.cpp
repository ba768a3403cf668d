// SPDX-License-Identifier: MIT
// Filled Bags -> Message: every dialect's envelopes (tag/val, success/value/
// error), record nesting, time units, defaults. Shared by both decoder paths.
#include "protocol/message_decoder_impl.h"

#include <cstdio>

namespace flight::protocol {

TimeUnit MessageDecoder::Impl::unitFor(std::string_view sessionId) const
{
    if (sessionUnits.empty())
        return TimeUnit::Auto; // no session declared one: the usual case, no lookup
    if (!sessionId.empty()) {
        auto it = sessionUnits.find(sessionId);
        return it == sessionUnits.end() ? TimeUnit::Auto : it->second;
    }
    if (sessionUnits.size() == 1)
        return sessionUnits.begin()->second;
    return TimeUnit::Auto;
}
bool MessageDecoder::Impl::ms(const RawTime& t, TimeUnit u, std::int64_t& out, std::string_view field)
{
    if (!t.present) {
        out = 0;
        return true;
    }
    const auto v = t.isFloat ? toMilliseconds(t.f, u) : toMilliseconds(t.i, u);
    if (v) {
        out = *v;
        return true;
    }
    const TimeUnit unit = t.isFloat ? resolvedUnit(t.f, u) : resolvedUnit(t.i, u);
    std::string value = std::to_string(t.i);
    if (t.isFloat) {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", t.f);
        value = text;
    }
    return fail("\"" + std::string(field) + "\": time " + value + " " + std::string(timeUnitName(unit))
                + " is out of range (times must lie within +/-(2^63-1) ns of the epoch, years 1677..2262)");
}


MemoryLimits MessageDecoder::Impl::limitsOf(const Bag& b) const
{
    return MemoryLimits{MemorySize{b.heapMax.bytes}, MemorySize{b.stackMax.bytes}, MemorySize{b.cacheMax.bytes},
                        MemorySize{b.softLimit.bytes}, MemorySize{b.hardLimit.bytes}};
}

bool MessageDecoder::Impl::errorFrom(const Bag& e, std::string_view outerSession, Message& out)
{
    if (!e.code)
        return fail("memory-error without a code");
    ErrorMsg m;
    m.sessionId = !e.sessionId.empty() ? e.sessionId : outerSession;
    m.code = *e.code;
    m.message = e.message;
    m.details = e.details;
    if (!ms(e.timestamp, unitFor(m.sessionId), m.timestamp, "timestamp"))
        return false;
    out.payload = m;
    return true;
}

// 1 = message, 0 = skipped (unknown type), -1 = error
int MessageDecoder::Impl::interpret(int bagIndex, Message& out, int depth)
{
    const Bag& b = bag(bagIndex);
    if (depth > kMaxDepth)
        return fail("envelopes nested too deeply") ? 0 : -1;
    auto carry = [&](Message& m) {
        if (b.seq && !m.seq)
            m.seq = b.seq;
        if (b.receivedAt.present && !m.receivedAt) {
            std::int64_t t = 0;
            if (!msNoUnit(b.receivedAt, t, "receivedAt"))
                return -1;
            m.receivedAt = t;
        }
        return 1;
    };
    if (!b.hasType && (!b.tag.empty() || b.success)) {
        // result envelope
        const bool ok = !b.tag.empty() ? (b.tag == "ok") : *b.success;
        if (!b.tag.empty() && b.tag != "ok" && b.tag != "err")
            return fail("unknown envelope tag \"" + std::string(b.tag.substr(0, 32)) + "\"") ? 0 : -1;
        if (ok) {
            if (b.val < 0)
                return fail("ok envelope without a value") ? 0 : -1;
            const int r = interpret(b.val, out, depth + 1);
            return r == 1 ? carry(out) : r;
        }
        const int errIndex = b.error >= 0 ? b.error : b.val;
        if (errIndex < 0)
            return fail("err envelope without an error") ? 0 : -1;
        if (!errorFrom(bag(errIndex), b.sessionId, out))
            return -1;
        return carry(out);
    }
    if (!b.hasType)
        return fail(b.typeNotString ? "\"type\" is not a string" : "missing \"type\"") ? 0 : -1;

    const K t = typeTable().classify(b.type);
    if (t == K::Allocation) {
        if (b.allocation < 0)
            return fail("allocation message without an \"allocation\" record") ? 0 : -1;
        const Bag& a = bag(b.allocation);
        AllocationMsg m;
        m.id = a.id;
        m.sessionId = !a.sessionId.empty() ? a.sessionId : b.sessionId;
        if (m.id.empty())
            return fail("allocation without an id") ? 0 : -1;
        if (!a.size.present)
            return fail("allocation without a size", MemoryErrorCode::InvalidSize) ? 0 : -1;
        m.bytes = a.size.bytes;
        m.purpose = a.purpose.value_or(MemoryPurpose(StandardPurpose::Temporary));
        const TimeUnit u = unitFor(m.sessionId);
        if (!(a.allocatedAt.present ? ms(a.allocatedAt, u, m.allocatedAt, "allocatedAt")
                                    : ms(b.timestamp, u, m.allocatedAt, "timestamp")))
            return -1;
        if (a.freedAt.present) {
            std::int64_t freed = 0;
            if (!ms(a.freedAt, u, freed, "freedAt"))
                return -1;
            m.freedAt = freed;
        }
        out.payload = m;
    } else if (t == K::TFree) {
        FreeMsg m;
        m.sessionId = b.sessionId;
        m.allocationId = !b.allocationId.empty() ? b.allocationId : b.id;
        if (m.allocationId.empty())
            return fail("free without an allocationId") ? 0 : -1;
        const TimeUnit u = unitFor(m.sessionId);
        if (!(b.freedAt.present ? ms(b.freedAt, u, m.freedAt, "freedAt") : ms(b.timestamp, u, m.freedAt, "timestamp")))
            return -1;
        out.payload = m;
    } else if (t == K::TMemoryUpdate) {
        MemoryUpdateMsg m;
        const Bag* s = b.snapshot >= 0 ? &bag(b.snapshot) : nullptr;
        m.form = s ? MemoryUpdateMsg::Form::Snapshot : MemoryUpdateMsg::Form::Flat;
        m.sessionId = !b.sessionId.empty() ? b.sessionId : (s ? s->sessionId : std::string_view{});
        const TimeUnit u = unitFor(m.sessionId);
        const RawTime& ts = b.timestamp.present ? b.timestamp : (s ? s->timestamp : b.timestamp);
        if (!ms(ts, u, m.timestamp, "timestamp"))
            return -1;
        const Bag& src = s ? *s : b;
        if (src.used.present)
            m.usedBytes = src.used.bytes;
        else if (b.used.present)
            m.usedBytes = b.used.bytes;
        if (src.total.present)
            m.totalBytes = src.total.bytes;
        else if (b.total.present)
            m.totalBytes = b.total.bytes;
        if (s) {
            if (s->available.present)
                m.availableBytes = s->available.bytes;
            m.fragmentationRatio = s->fragmentation;
            m.platform = s->platform;
        }
        m.pressure = b.pressure ? b.pressure : (s ? s->pressure : std::nullopt);
        const Bag* bp = b.hasByPurpose ? &b : (s && s->hasByPurpose ? s : nullptr);
        if (bp) {
            m.hasByPurpose = true;
            m.byPurpose = std::span<const PurposeBytes>(purposes.data() + bp->byPurposeBegin,
                                                        bp->byPurposeEnd - bp->byPurposeBegin);
        }
        out.payload = m;
    } else if (t == K::TSessionStarted) {
        SessionStartedMsg m;
        m.sessionId = b.sessionId;
        m.platform = b.platform;
        m.label = b.label;
        if (b.total.present)
            m.totalBytes = b.total.bytes;
        if (b.limits >= 0)
            m.limits = limitsOf(bag(b.limits));
        if (!b.timeUnit.empty()) {
            auto u = timeUnitFromString(b.timeUnit);
            if (!u)
                return fail("unknown timeUnit \"" + std::string(b.timeUnit.substr(0, 16)) + "\" (s, ms, us, ns)") ? 0 : -1;
            sessionUnits.insert_or_assign(std::string(m.sessionId), *u);
        }
        if (!ms(b.timestamp, unitFor(m.sessionId), m.timestamp, "timestamp"))
            return -1;
        out.payload = m;
    } else if (t == K::TSessionEnded) {
        SessionEndedMsg m;
        m.sessionId = b.sessionId;
        if (!ms(b.timestamp, unitFor(m.sessionId), m.timestamp, "timestamp"))
            return -1;
        out.payload = m;
    } else if (t == K::Limits) {
        LimitsMsg m;
        m.sessionId = b.sessionId;
        if (b.limits < 0)
            return fail("limits message without a \"limits\" record") ? 0 : -1;
        m.limits = limitsOf(bag(b.limits));
        if (!ms(b.timestamp, unitFor(m.sessionId), m.timestamp, "timestamp"))
            return -1;
        out.payload = m;
    } else if (t == K::Error) {
        if (b.error < 0)
            return fail("error message without an \"error\" record") ? 0 : -1;
        if (!errorFrom(bag(b.error), b.sessionId, out))
            return -1;
    } else if (t == K::TMarker) {
        MarkerMsg m;
        m.sessionId = b.sessionId;
        m.label = b.label;
        if (!ms(b.timestamp, unitFor(m.sessionId), m.timestamp, "timestamp"))
            return -1;
        out.payload = m;
    } else if (t == K::THello) {
        out.payload = HelloMsg{b.protocol, b.server};
    } else if (t == K::TRecording) {
        std::int64_t createdAt = 0;
        if (!msNoUnit(b.createdAt, createdAt, "createdAt"))
            return -1;
        out.payload = RecordingHeaderMsg{b.format, createdAt, b.source, b.application};
    } else {
        ++skippedUnknown;
        // Bounded like the custom purposes: past kMaxWarnedTypes distinct
        // names, new unknown types are only counted (skippedUnknown).
        if (!warnedTypes.contains(b.type) && warnedTypes.size() < kMaxWarnedTypes) {
            warnedTypes.emplace(b.type);
            warnings.push_back({DecodeWarningKind::UnknownType, line,
                                "line " + std::to_string(line) + ": unknown type " + std::string(b.type.substr(0, 64)) + " skipped",
                                std::string(b.type)});
        }
        return 0;
    }
    out.seq = b.seq;
    if (b.receivedAt.present) {
        std::int64_t t = 0;
        if (!msNoUnit(b.receivedAt, t, "receivedAt"))
            return -1;
        out.receivedAt = t;
    }
    return 1;
}

} // namespace flight::protocol
