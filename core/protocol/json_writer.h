// SPDX-License-Identifier: MIT
#pragma once
// A streaming JSON writer (RFC 8259 strings via the protocol encoder),
// compact or indented by two spaces, for the summary and report documents.

#include "protocol/message_encoder.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flight::protocol {

class JsonWriter {
public:
    explicit JsonWriter(bool pretty) : m_pretty(pretty) {}

    void beginObject() { sep(); open('{'); }
    void beginArray() { sep(); open('['); }
    void beginObject(std::string_view k) { key(k); open('{'); }
    void beginArray(std::string_view k) { key(k); open('['); }
    void endObject() { close('}'); }
    void endArray() { close(']'); }
    void str(std::string_view k, std::string_view v) { key(k); appendJsonString(m_out, v); }
    void num(std::string_view k, std::uint64_t v) { key(k); m_out += std::to_string(v); }
    void inum(std::string_view k, std::int64_t v) { key(k); m_out += std::to_string(v); }
    void boolean(std::string_view k, bool v) { key(k); m_out += v ? "true" : "false"; }
    void null(std::string_view k) { key(k); m_out += "null"; }
    // Shortest round-trip form; null when not finite (JSON has no inf/nan).
    void real(std::string_view k, double v)
    {
        key(k);
        if (!std::isfinite(v)) {
            m_out += "null";
            return;
        }
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        m_out.append(buf, r.ptr);
    }
    void strItem(std::string_view v) { sep(); appendJsonString(m_out, v); }

    std::string take()
    {
        if (m_pretty)
            m_out.push_back('\n');
        return std::move(m_out);
    }

private:
    void newline()
    {
        if (!m_pretty)
            return;
        m_out.push_back('\n');
        m_out.append(m_firsts.size() * 2, ' ');
    }
    void sep()
    {
        if (m_firsts.empty())
            return;
        if (!m_firsts.back())
            m_out.push_back(',');
        m_firsts.back() = false;
        newline();
    }
    void open(char c)
    {
        m_out.push_back(c);
        m_firsts.push_back(true);
    }
    void close(char c)
    {
        const bool empty = m_firsts.back();
        m_firsts.pop_back();
        if (!empty)
            newline();
        m_out.push_back(c);
    }
    void key(std::string_view k)
    {
        sep();
        appendJsonString(m_out, k);
        m_out += m_pretty ? ": " : ":";
    }

    std::string m_out;
    bool m_pretty = false;
    std::vector<bool> m_firsts;
};

} // namespace flight::protocol
