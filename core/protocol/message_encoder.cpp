// SPDX-License-Identifier: MIT
#include "protocol/message_encoder.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace flight::protocol {

void appendJsonString(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out.push_back(hex[c >> 4]);
                    out.push_back(hex[c & 15]);
                } else {
                    out.push_back(static_cast<char>(c));
                }
            }
            ++i;
            continue;
        }
        // validate one UTF-8 sequence
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        bool valid = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; valid && k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                valid = false;
            else
                cp = (cp << 6) | (cc & 0x3F);
        }
        if (valid && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
            valid = false;
        if (valid) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    out.push_back('"');
}

namespace {

void appendInt(std::string& out, std::int64_t v)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}
void appendUInt(std::string& out, std::uint64_t v)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}
void appendDouble(std::string& out, double v)
{
    if (!std::isfinite(v))
        v = 0;
    char buf[40];
    auto r = std::to_chars(buf, buf + sizeof buf, v); // shortest round-trip form
    std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
    out.append(text);
    if (text.find_first_of(".eE") == std::string_view::npos)
        out += ".0";
}

struct Writer {
    std::string& out;
    bool first = true;

    void key(std::string_view k)
    {
        if (!first)
            out.push_back(',');
        first = false;
        out.push_back('"');
        out.append(k);
        out += "\":";
    }
    void str(std::string_view k, std::string_view v)
    {
        key(k);
        appendJsonString(out, v);
    }
    void optStr(std::string_view k, std::string_view v)
    {
        if (!v.empty())
            str(k, v);
    }
    void i64(std::string_view k, std::int64_t v)
    {
        key(k);
        appendInt(out, v);
    }
    void u64(std::string_view k, std::uint64_t v)
    {
        key(k);
        appendUInt(out, v);
    }
    void size(std::string_view k, std::uint64_t bytes)
    {
        key(k);
        sizeValue(out, bytes);
    }
    static void sizeValue(std::string& out, std::uint64_t bytes)
    {
        out += "{\"bytes\":";
        appendUInt(out, bytes);
        out += ",\"humanReadable\":";
        appendJsonString(out, formatBytes(bytes));
        out.push_back('}');
    }
    void limits(std::string_view k, const MemoryLimits& l)
    {
        key(k);
        out.push_back('{');
        Writer w{out};
        w.size("heapMax", l.heapMax.bytes);
        w.size("stackMax", l.stackMax.bytes);
        w.size("cacheMax", l.cacheMax.bytes);
        w.size("softLimit", l.softLimit.bytes);
        w.size("hardLimit", l.hardLimit.bytes);
        out.push_back('}');
    }
};

struct PayloadWriter {
    Writer& w;
    void operator()(const HelloMsg& m)
    {
        w.optStr("protocol", m.protocol);
        w.optStr("server", m.server);
    }
    void operator()(const RecordingHeaderMsg& m)
    {
        w.str("format", m.format);
        w.i64("createdAt", m.createdAt);
        w.optStr("source", m.source);
        w.optStr("application", m.application);
    }
    void operator()(const SessionStartedMsg& m)
    {
        w.optStr("sessionId", m.sessionId);
        w.optStr("platform", m.platform);
        if (m.totalBytes)
            w.size("total", *m.totalBytes);
        if (m.limits)
            w.limits("limits", *m.limits);
        w.optStr("label", m.label);
        w.i64("timestamp", m.timestamp);
    }
    void operator()(const SessionEndedMsg& m)
    {
        w.optStr("sessionId", m.sessionId);
        w.i64("timestamp", m.timestamp);
    }
    void operator()(const AllocationMsg& m)
    {
        w.key("allocation");
        w.out.push_back('{');
        Writer a{w.out};
        a.str("id", m.id);
        a.optStr("sessionId", m.sessionId);
        a.size("size", m.bytes);
        a.str("purpose", m.purpose.name());
        a.i64("allocatedAt", m.allocatedAt);
        if (m.freedAt)
            a.i64("freedAt", *m.freedAt);
        w.out.push_back('}');
    }
    void operator()(const FreeMsg& m)
    {
        w.optStr("sessionId", m.sessionId);
        w.str("allocationId", m.allocationId);
        w.i64("freedAt", m.freedAt);
    }
    void operator()(const MemoryUpdateMsg& m)
    {
        w.optStr("sessionId", m.sessionId);
        w.i64("timestamp", m.timestamp);
        if (m.form == MemoryUpdateMsg::Form::Flat) {
            if (m.usedBytes)
                w.size("usage", *m.usedBytes);
            if (m.totalBytes)
                w.size("total", *m.totalBytes);
        } else {
            w.key("snapshot");
            w.out.push_back('{');
            Writer s{w.out};
            s.i64("timestamp", m.timestamp);
            s.optStr("sessionId", m.sessionId);
            s.optStr("platform", m.platform);
            if (m.totalBytes)
                s.size("total", *m.totalBytes);
            if (m.usedBytes)
                s.size("used", *m.usedBytes);
            if (m.availableBytes)
                s.size("available", *m.availableBytes);
            if (m.fragmentationRatio) {
                s.key("fragmentationRatio");
                appendDouble(w.out, *m.fragmentationRatio);
            }
            w.out.push_back('}');
        }
        if (m.pressure)
            w.str("pressure", toString(*m.pressure));
        if (m.hasByPurpose) {
            w.key("byPurpose");
            w.out.push_back('{');
            Writer p{w.out};
            for (const auto& pb : m.byPurpose)
                p.size(pb.purpose.name(), pb.bytes);
            w.out.push_back('}');
        }
    }
    void operator()(const LimitsMsg& m)
    {
        w.optStr("sessionId", m.sessionId);
        w.limits("limits", m.limits);
        if (m.timestamp != 0)
            w.i64("timestamp", m.timestamp);
    }
    void operator()(const ErrorMsg& m)
    {
        w.optStr("sessionId", m.sessionId);
        w.key("error");
        w.out.push_back('{');
        Writer e{w.out};
        e.str("code", toString(m.code));
        e.str("message", m.message);
        e.optStr("details", m.details);
        e.i64("timestamp", m.timestamp);
        w.out.push_back('}');
    }
    void operator()(const MarkerMsg& m)
    {
        w.optStr("sessionId", m.sessionId);
        w.i64("timestamp", m.timestamp);
        w.str("label", m.label);
    }
};

} // namespace

void encodeTo(std::string& out, const Message& message)
{
    out.push_back('{');
    Writer w{out};
    w.str("type", typeName(message.payload));
    std::visit(PayloadWriter{w}, message.payload);
    if (message.seq)
        w.u64("seq", *message.seq);
    if (message.receivedAt)
        w.i64("receivedAt", *message.receivedAt);
    out.push_back('}');
}

std::string encode(const Message& message)
{
    std::string out;
    out.reserve(192);
    encodeTo(out, message);
    return out;
}

} // namespace flight::protocol
