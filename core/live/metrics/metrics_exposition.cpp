// SPDX-License-Identifier: MIT
#include "live/metrics/metrics_exposition.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace flight::live {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// Label values: backslash, double quote and line feed escaped (both formats).
void appendEscaped(std::string& out, std::string_view value)
{
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

enum class Kind { Gauge, Counter, StateSet, Info };

// Appends one family's samples; the prefix of labels every sample of a
// session shares (instance, session, platform) is escaped once per session.
class Writer {
public:
    Writer(std::string& out, ExpositionFormat format) : m_out(out), m_om(format == ExpositionFormat::OpenMetrics) {}

    // name: the family name (counters without _total, info without _info).
    void family(std::string_view name, Kind kind, std::string_view help, bool bytes = false)
    {
        m_sample.assign(name);
        if (kind == Kind::Counter)
            m_sample += "_total";
        else if (kind == Kind::Info)
            m_sample += "_info";
        const std::string_view described = m_om ? name : std::string_view(m_sample);
        const auto line = [&](std::string_view what, std::string_view text) {
            m_out += "# ";
            m_out += what;
            m_out += ' ';
            m_out += described;
            m_out += ' ';
            m_out += text;
            m_out += '\n';
        };
        std::string_view type = "gauge";
        if (kind == Kind::Counter)
            type = "counter";
        else if (m_om && kind == Kind::StateSet)
            type = "stateset";
        else if (m_om && kind == Kind::Info)
            type = "info";
        if (m_om) {
            line("TYPE", type);
            if (bytes)
                line("UNIT", "bytes");
            line("HELP", help);
        } else {
            line("HELP", help);
            line("TYPE", type);
        }
    }

    // One sample: labels is the already escaped `a="x",b="y"` text (may be empty).
    void sample(std::string_view labels, std::uint64_t value, std::string_view extraName = {},
                std::string_view extraValue = {})
    {
        m_out += m_sample;
        if (!labels.empty() || !extraName.empty()) {
            m_out += '{';
            m_out += labels;
            if (!extraName.empty()) {
                if (!labels.empty())
                    m_out += ',';
                m_out += extraName;
                m_out += "=\"";
                appendEscaped(m_out, extraValue);
                m_out += '"';
            }
            m_out += '}';
        }
        m_out += ' ';
        char digits[24];
        const auto r = std::to_chars(digits, digits + sizeof digits, value);
        m_out.append(digits, r.ptr);
        m_out += '\n';
    }

    void end()
    {
        if (m_om)
            m_out += "# EOF\n";
    }

private:
    std::string& m_out;
    bool m_om;
    std::string m_sample;
};

std::string label(std::string_view name, std::string_view value)
{
    std::string s(name);
    s += "=\"";
    s += escapeLabelValue(value);
    s += '"';
    return s;
}

} // namespace

ExpositionFormat negotiateExposition(std::string_view accept)
{
    double bestOpenMetrics = -1;
    double bestText = -1;
    while (!accept.empty()) {
        const std::size_t comma = accept.find(',');
        std::string_view range = accept.substr(0, comma);
        accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
        const std::size_t semi = range.find(';');
        const std::string_view type = trim(range.substr(0, semi));
        double q = 1.0;
        std::string_view version;
        for (std::string_view params = semi == std::string_view::npos ? std::string_view() : range.substr(semi + 1);
             !params.empty();) {
            const std::size_t next = params.find(';');
            const std::string_view param = trim(params.substr(0, next));
            params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
            const std::size_t eq = param.find('=');
            if (eq == std::string_view::npos)
                continue;
            const std::string_view key = trim(param.substr(0, eq));
            const std::string_view value = trim(param.substr(eq + 1));
            if (equalsNoCase(key, "q"))
                q = std::strtod(std::string(value).c_str(), nullptr);
            else if (equalsNoCase(key, "version"))
                version = value;
        }
        if (!(q > 0))
            continue;
        if (equalsNoCase(type, "application/openmetrics-text")) {
            if (version.empty() || version == "1.0.0" || version == "0.0.1")
                bestOpenMetrics = std::max(bestOpenMetrics, q);
        } else if (equalsNoCase(type, "text/plain")) {
            if (version.empty() || version == "0.0.4")
                bestText = std::max(bestText, q);
        } else if (equalsNoCase(type, "*/*") || equalsNoCase(type, "text/*")) {
            bestText = std::max(bestText, q);
        }
    }
    return bestOpenMetrics >= 0 && bestOpenMetrics >= bestText ? ExpositionFormat::OpenMetrics
                                                               : ExpositionFormat::PrometheusText;
}

std::string_view contentTypeOf(ExpositionFormat format)
{
    return format == ExpositionFormat::OpenMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                                                   : "text/plain; version=0.0.4; charset=utf-8";
}

std::string escapeLabelValue(std::string_view value)
{
    std::string s;
    s.reserve(value.size());
    appendEscaped(s, value);
    return s;
}

std::string renderMetrics(const AgentMetrics& m, ExpositionFormat format)
{
    std::string out;
    out.reserve(4096 + m.sessions.size() * 4096);
    Writer w(out, format);
    const std::string agent = label("instance", m.instance);

    w.family("flight_agent", Kind::Info, "The agent: version and where it streams its sessions.");
    w.sample(agent + ',' + label("version", m.version) + ',' + label("websocket", m.websocketUrl), 1);
    w.family("flight_agent_messages_published", Kind::Counter, "Messages the agent numbered and buffered.");
    w.sample(agent, m.messagesPublished);
    w.family("flight_agent_messages_dropped", Kind::Counter,
             "Messages not sent to a client that fell too far behind, all clients.");
    w.sample(agent, m.messagesDropped);
    w.family("flight_agent_clients_connected", Kind::Gauge, "WebSocket clients connected now.");
    w.sample(agent, m.clientsConnected);
    w.family("flight_agent_metrics_sessions", Kind::Gauge, "Sessions exported here now.");
    w.sample(agent, m.sessions.size());
    w.family("flight_agent_metrics_sessions_omitted", Kind::Counter,
             "Sessions never exported: they began while --metrics-max-sessions live sessions were held.");
    w.sample(agent, m.sessionsOmitted);
    w.family("flight_agent_metrics_sessions_evicted", Kind::Counter,
             "Ended sessions removed before their time to make room for a new one.");
    w.sample(agent, m.sessionsEvicted);

    std::vector<std::string> prefixes;
    prefixes.reserve(m.sessions.size());
    for (const SessionMetrics& s : m.sessions)
        prefixes.push_back(agent + ',' + label("session", s.session) + ',' + label("platform", s.platform));
    const auto each = [&](auto&& f) {
        for (std::size_t i = 0; i < m.sessions.size(); ++i)
            f(m.sessions[i], std::string_view(prefixes[i]));
    };

    w.family("flight_memory_used_bytes", Kind::Gauge,
             "Bytes in use now: live allocations plus untracked memory the producer reports.", true);
    each([&](const SessionMetrics& s, std::string_view l) { w.sample(l, s.usedBytes); });
    w.family("flight_memory_total_bytes", Kind::Gauge, "The session's memory size (absent when not known).", true);
    each([&](const SessionMetrics& s, std::string_view l) {
        if (s.totalBytes)
            w.sample(l, s.totalBytes);
    });
    w.family("flight_memory_peak_bytes", Kind::Gauge, "The highest used bytes of the session so far.", true);
    each([&](const SessionMetrics& s, std::string_view l) { w.sample(l, s.peakBytes); });
    w.family("flight_memory_purpose_bytes", Kind::Gauge, "Bytes of live allocations by purpose.", true);
    each([&](const SessionMetrics& s, std::string_view l) {
        for (const PurposeMetrics& p : s.purposes)
            w.sample(l, p.bytes, "purpose", p.purpose);
    });
    w.family("flight_memory_active_allocations", Kind::Gauge, "Live allocations by purpose.");
    each([&](const SessionMetrics& s, std::string_view l) {
        for (const PurposeMetrics& p : s.purposes)
            w.sample(l, p.activeAllocations, "purpose", p.purpose);
    });
    w.family("flight_memory_pressure_level", Kind::Gauge,
             "Memory pressure from used/total and the platform's thresholds: 0 low, 1 medium, 2 high, 3 critical.");
    each([&](const SessionMetrics& s, std::string_view l) { w.sample(l, static_cast<std::uint64_t>(s.pressure)); });
    w.family("flight_memory_pressure", Kind::StateSet, "Memory pressure as a state set (the level now is 1).");
    each([&](const SessionMetrics& s, std::string_view l) {
        for (const MemoryPressure p :
             {MemoryPressure::Low, MemoryPressure::Medium, MemoryPressure::High, MemoryPressure::Critical})
            w.sample(l, p == s.pressure ? 1 : 0, "flight_memory_pressure", toString(p));
    });
    w.family("flight_memory_critical_bytes", Kind::Gauge,
             "Used bytes at which pressure becomes critical: the platform's threshold of total (absent when total "
             "is not known).",
             true);
    each([&](const SessionMetrics& s, std::string_view l) {
        if (s.criticalBytes)
            w.sample(l, s.criticalBytes);
    });
    w.family("flight_memory_soft_limit_bytes", Kind::Gauge, "The soft limit (absent when none is set).", true);
    each([&](const SessionMetrics& s, std::string_view l) {
        if (s.softLimitBytes)
            w.sample(l, *s.softLimitBytes);
    });
    w.family("flight_memory_hard_limit_bytes", Kind::Gauge, "The hard limit (absent when none is set).", true);
    each([&](const SessionMetrics& s, std::string_view l) {
        if (s.hardLimitBytes)
            w.sample(l, *s.hardLimitBytes);
    });
    w.family("flight_memory_errors", Kind::Counter,
             "Memory errors by code: those the producer reported and operations the model refused.");
    each([&](const SessionMetrics& s, std::string_view l) {
        for (const ErrorCount& e : s.errors)
            w.sample(l, e.count, "code", toString(e.code));
    });
    w.family("flight_memory_allocations", Kind::Counter, "Allocations made in the session.");
    each([&](const SessionMetrics& s, std::string_view l) { w.sample(l, s.allocations); });
    w.family("flight_memory_frees", Kind::Counter, "Allocations freed in the session.");
    each([&](const SessionMetrics& s, std::string_view l) { w.sample(l, s.frees); });
    w.family("flight_memory_session_ended", Kind::Gauge,
             "1 once the session ended (its series go some minutes later), else 0.");
    each([&](const SessionMetrics& s, std::string_view l) { w.sample(l, s.ended ? 1 : 0); });
    w.end();
    return out;
}

} // namespace flight::live
