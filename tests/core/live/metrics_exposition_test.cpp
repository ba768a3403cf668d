// SPDX-License-Identifier: MIT
// The /metrics text (core/live/metrics/metrics_exposition.h): exact expected text in
// both formats, label escaping, and content negotiation.
#include "live/metrics/metrics_exposition.h"

#include <gtest/gtest.h>

using namespace flight;
using namespace flight::live;

namespace {

AgentMetrics oneSession()
{
    AgentMetrics m;
    m.instance = "i1";
    m.version = "1.2.3";
    m.websocketUrl = "ws://127.0.0.1:8765";
    m.messagesPublished = 42;
    m.messagesDropped = 3;
    m.clientsConnected = 2;
    m.sessionsOmitted = 1;
    SessionMetrics s;
    s.session = "vm-\"a\"\\b\nc";
    s.platform = "psp";
    s.usedBytes = 1500;
    s.totalBytes = 4096;
    s.peakBytes = 2000;
    s.purposes = {{"vm-heap", 1000, 2}, {"asset-cache", 500, 1}};
    s.pressure = MemoryPressure::High;
    s.criticalBytes = 3892;
    s.softLimitBytes = 1024;
    s.errors = {{MemoryErrorCode::LimitExceeded, 4}};
    s.allocations = 5;
    s.frees = 2;
    m.sessions.push_back(s);
    SessionMetrics e; // an ended session with nothing known: no total, no limits
    e.session = "old";
    e.ended = true;
    m.sessions.push_back(e);
    return m;
}

constexpr const char* kLabels = R"(instance="i1",session="vm-\"a\"\\b\nc",platform="psp")";

} // namespace

TEST(MetricsExposition, OpenMetricsTextIsExact)
{
    const std::string L = kLabels;
    const std::string O = R"(instance="i1",session="old",platform="")";
    const std::string expected =
        "# TYPE flight_agent info\n"
        "# HELP flight_agent The agent: version and where it streams its sessions.\n"
        "flight_agent_info{instance=\"i1\",version=\"1.2.3\",websocket=\"ws://127.0.0.1:8765\"} 1\n"
        "# TYPE flight_agent_messages_published counter\n"
        "# HELP flight_agent_messages_published Messages the agent numbered and buffered.\n"
        "flight_agent_messages_published_total{instance=\"i1\"} 42\n"
        "# TYPE flight_agent_messages_dropped counter\n"
        "# HELP flight_agent_messages_dropped Messages not sent to a client that fell too far behind, all clients.\n"
        "flight_agent_messages_dropped_total{instance=\"i1\"} 3\n"
        "# TYPE flight_agent_clients_connected gauge\n"
        "# HELP flight_agent_clients_connected WebSocket clients connected now.\n"
        "flight_agent_clients_connected{instance=\"i1\"} 2\n"
        "# TYPE flight_agent_metrics_sessions gauge\n"
        "# HELP flight_agent_metrics_sessions Sessions exported here now.\n"
        "flight_agent_metrics_sessions{instance=\"i1\"} 2\n"
        "# TYPE flight_agent_metrics_sessions_omitted counter\n"
        "# HELP flight_agent_metrics_sessions_omitted Sessions never exported: they began while "
        "--metrics-max-sessions live sessions were held.\n"
        "flight_agent_metrics_sessions_omitted_total{instance=\"i1\"} 1\n"
        "# TYPE flight_agent_metrics_sessions_evicted counter\n"
        "# HELP flight_agent_metrics_sessions_evicted Ended sessions removed before their time to make room for a "
        "new one.\n"
        "flight_agent_metrics_sessions_evicted_total{instance=\"i1\"} 0\n"
        "# TYPE flight_memory_used_bytes gauge\n"
        "# UNIT flight_memory_used_bytes bytes\n"
        "# HELP flight_memory_used_bytes Bytes in use now: live allocations plus untracked memory the producer "
        "reports.\n"
        "flight_memory_used_bytes{" + L + "} 1500\n"
        "flight_memory_used_bytes{" + O + "} 0\n"
        "# TYPE flight_memory_total_bytes gauge\n"
        "# UNIT flight_memory_total_bytes bytes\n"
        "# HELP flight_memory_total_bytes The session's memory size (absent when not known).\n"
        "flight_memory_total_bytes{" + L + "} 4096\n"
        "# TYPE flight_memory_peak_bytes gauge\n"
        "# UNIT flight_memory_peak_bytes bytes\n"
        "# HELP flight_memory_peak_bytes The highest used bytes of the session so far.\n"
        "flight_memory_peak_bytes{" + L + "} 2000\n"
        "flight_memory_peak_bytes{" + O + "} 0\n"
        "# TYPE flight_memory_purpose_bytes gauge\n"
        "# UNIT flight_memory_purpose_bytes bytes\n"
        "# HELP flight_memory_purpose_bytes Bytes of live allocations by purpose.\n"
        "flight_memory_purpose_bytes{" + L + ",purpose=\"vm-heap\"} 1000\n"
        "flight_memory_purpose_bytes{" + L + ",purpose=\"asset-cache\"} 500\n"
        "# TYPE flight_memory_active_allocations gauge\n"
        "# HELP flight_memory_active_allocations Live allocations by purpose.\n"
        "flight_memory_active_allocations{" + L + ",purpose=\"vm-heap\"} 2\n"
        "flight_memory_active_allocations{" + L + ",purpose=\"asset-cache\"} 1\n"
        "# TYPE flight_memory_pressure_level gauge\n"
        "# HELP flight_memory_pressure_level Memory pressure from used/total and the platform's thresholds: 0 low, "
        "1 medium, 2 high, 3 critical.\n"
        "flight_memory_pressure_level{" + L + "} 2\n"
        "flight_memory_pressure_level{" + O + "} 0\n"
        "# TYPE flight_memory_pressure stateset\n"
        "# HELP flight_memory_pressure Memory pressure as a state set (the level now is 1).\n"
        "flight_memory_pressure{" + L + ",flight_memory_pressure=\"low\"} 0\n"
        "flight_memory_pressure{" + L + ",flight_memory_pressure=\"medium\"} 0\n"
        "flight_memory_pressure{" + L + ",flight_memory_pressure=\"high\"} 1\n"
        "flight_memory_pressure{" + L + ",flight_memory_pressure=\"critical\"} 0\n"
        "flight_memory_pressure{" + O + ",flight_memory_pressure=\"low\"} 1\n"
        "flight_memory_pressure{" + O + ",flight_memory_pressure=\"medium\"} 0\n"
        "flight_memory_pressure{" + O + ",flight_memory_pressure=\"high\"} 0\n"
        "flight_memory_pressure{" + O + ",flight_memory_pressure=\"critical\"} 0\n"
        "# TYPE flight_memory_critical_bytes gauge\n"
        "# UNIT flight_memory_critical_bytes bytes\n"
        "# HELP flight_memory_critical_bytes Used bytes at which pressure becomes critical: the platform's threshold "
        "of total (absent when total is not known).\n"
        "flight_memory_critical_bytes{" + L + "} 3892\n"
        "# TYPE flight_memory_soft_limit_bytes gauge\n"
        "# UNIT flight_memory_soft_limit_bytes bytes\n"
        "# HELP flight_memory_soft_limit_bytes The soft limit (absent when none is set).\n"
        "flight_memory_soft_limit_bytes{" + L + "} 1024\n"
        "# TYPE flight_memory_hard_limit_bytes gauge\n"
        "# UNIT flight_memory_hard_limit_bytes bytes\n"
        "# HELP flight_memory_hard_limit_bytes The hard limit (absent when none is set).\n"
        "# TYPE flight_memory_errors counter\n"
        "# HELP flight_memory_errors Memory errors by code: those the producer reported and operations the model "
        "refused.\n"
        "flight_memory_errors_total{" + L + ",code=\"limit-exceeded\"} 4\n"
        "# TYPE flight_memory_allocations counter\n"
        "# HELP flight_memory_allocations Allocations made in the session.\n"
        "flight_memory_allocations_total{" + L + "} 5\n"
        "flight_memory_allocations_total{" + O + "} 0\n"
        "# TYPE flight_memory_frees counter\n"
        "# HELP flight_memory_frees Allocations freed in the session.\n"
        "flight_memory_frees_total{" + L + "} 2\n"
        "flight_memory_frees_total{" + O + "} 0\n"
        "# TYPE flight_memory_session_ended gauge\n"
        "# HELP flight_memory_session_ended 1 once the session ended (its series go some minutes later), else 0.\n"
        "flight_memory_session_ended{" + L + "} 0\n"
        "flight_memory_session_ended{" + O + "} 1\n"
        "# EOF\n";
    EXPECT_EQ(renderMetrics(oneSession(), ExpositionFormat::OpenMetrics), expected);
}

TEST(MetricsExposition, PrometheusTextNamesCountersWithTotalAndHasNoUnitNorEof)
{
    const std::string text = renderMetrics(oneSession(), ExpositionFormat::PrometheusText);
    const std::string L = kLabels;
    // HELP before TYPE; the TYPE line names the sample; state set and info as gauges.
    EXPECT_NE(text.find("# HELP flight_memory_used_bytes Bytes in use now: live allocations plus untracked memory the "
                        "producer reports.\n# TYPE flight_memory_used_bytes gauge\nflight_memory_used_bytes{" + L
                        + "} 1500\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("# TYPE flight_memory_allocations_total counter\nflight_memory_allocations_total{" + L
                        + "} 5\n"),
              std::string::npos);
    EXPECT_NE(text.find("# TYPE flight_memory_pressure gauge\nflight_memory_pressure{" + L
                        + ",flight_memory_pressure=\"low\"} 0\n"),
              std::string::npos);
    EXPECT_NE(text.find("# TYPE flight_agent_info gauge\nflight_agent_info{instance=\"i1\""), std::string::npos);
    EXPECT_EQ(text.find("# UNIT"), std::string::npos);
    EXPECT_EQ(text.find("# EOF"), std::string::npos);
    EXPECT_EQ(text.find("# TYPE flight_memory_allocations counter"), std::string::npos);
    // The same samples as the OpenMetrics text, line for line.
    const auto samples = [](const std::string& t) {
        std::string s;
        std::size_t at = 0;
        while (at < t.size()) {
            const std::size_t nl = t.find('\n', at);
            if (t[at] != '#')
                s += t.substr(at, nl - at + 1);
            at = nl + 1;
        }
        return s;
    };
    EXPECT_EQ(samples(text), samples(renderMetrics(oneSession(), ExpositionFormat::OpenMetrics)));
}

TEST(MetricsExposition, LabelValuesAreEscaped)
{
    EXPECT_EQ(escapeLabelValue("plain-1.2"), "plain-1.2");
    EXPECT_EQ(escapeLabelValue("a\"b"), "a\\\"b");
    EXPECT_EQ(escapeLabelValue("a\\b"), "a\\\\b");
    EXPECT_EQ(escapeLabelValue("a\nb"), "a\\nb");
    EXPECT_EQ(escapeLabelValue("\xc3\xa9t\xc3\xa9 {x=\"1\"}"), "\xc3\xa9t\xc3\xa9 {x=\\\"1\\\"}");
}

TEST(MetricsExposition, NegotiatesOpenMetricsWhenAskedAndTextOtherwise)
{
    // What Prometheus 2.42 sends.
    EXPECT_EQ(negotiateExposition("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                                  "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
              ExpositionFormat::OpenMetrics);
    EXPECT_EQ(negotiateExposition(""), ExpositionFormat::PrometheusText);
    EXPECT_EQ(negotiateExposition("*/*"), ExpositionFormat::PrometheusText);
    EXPECT_EQ(negotiateExposition("text/plain;version=0.0.4"), ExpositionFormat::PrometheusText);
    EXPECT_EQ(negotiateExposition("Application/OpenMetrics-Text; version=1.0.0"), ExpositionFormat::OpenMetrics);
    EXPECT_EQ(negotiateExposition("text/plain;q=0.9, application/openmetrics-text;q=0.5"),
              ExpositionFormat::PrometheusText);
    EXPECT_EQ(negotiateExposition("text/plain;q=0.5, application/openmetrics-text;q=0.9"),
              ExpositionFormat::OpenMetrics);
    EXPECT_EQ(negotiateExposition("application/openmetrics-text;q=0"), ExpositionFormat::PrometheusText);
    EXPECT_EQ(negotiateExposition("application/openmetrics-text;version=9.9.9"), ExpositionFormat::PrometheusText);
    EXPECT_EQ(negotiateExposition("application/json"), ExpositionFormat::PrometheusText);
    EXPECT_EQ(contentTypeOf(ExpositionFormat::OpenMetrics),
              "application/openmetrics-text; version=1.0.0; charset=utf-8");
    EXPECT_EQ(contentTypeOf(ExpositionFormat::PrometheusText), "text/plain; version=0.0.4; charset=utf-8");
}
