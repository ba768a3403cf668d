// SPDX-License-Identifier: MIT
// The agent's /metrics endpoint over real loopback sockets
// (core/live/metrics/metrics_listener.h), and flight-agent serve --metrics-listen.
#include "live/metrics/metrics_listener.h"
#include "live_test_support.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>

#include <gtest/gtest.h>

using namespace flight;
using namespace flight::live;

namespace {

using livetest::exchangeRaw;

QByteArray statusOf(const QByteArray& answer)
{
    return answer.left(answer.indexOf("\r\n"));
}

struct Listening {
    int renders = 0;
    MetricsListener listener{[this](ExpositionFormat f) {
        ++renders;
        return std::string(f == ExpositionFormat::OpenMetrics ? "om\n# EOF\n" : "text\n");
    }};
    quint16 port = 0;
    explicit Listening(QByteArray token = {})
    {
        livetest::ensureCoreApp();
        MetricsListener::Options o;
        o.token = std::move(token);
        o.requestTimeout = std::chrono::milliseconds(500);
        const auto bound = listener.listen(o);
        EXPECT_TRUE(bound.has_value());
        port = bound.value_or(0);
    }
};

} // namespace

TEST(MetricsListener, ServesMetricsInTheNegotiatedFormat)
{
    Listening l;
    const QByteArray om = exchangeRaw(
        l.port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/openmetrics-text;version=1.0.0,"
                "text/plain;version=0.0.4;q=0.5\r\n\r\n");
    EXPECT_EQ(statusOf(om), "HTTP/1.1 200 OK");
    EXPECT_TRUE(om.contains("\r\nContent-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\n"))
        << om.constData();
    EXPECT_TRUE(om.contains("\r\nContent-Length: 9\r\n"));
    EXPECT_TRUE(om.endsWith("\r\n\r\nom\n# EOF\n"));
    const QByteArray text = exchangeRaw(l.port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n");
    EXPECT_EQ(statusOf(text), "HTTP/1.1 200 OK");
    EXPECT_TRUE(text.contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
    EXPECT_TRUE(text.endsWith("\r\n\r\ntext\n"));
    EXPECT_EQ(l.listener.counters().served, 2u);
    EXPECT_EQ(l.listener.url().toString(), QStringLiteral("http://127.0.0.1:%1/metrics").arg(l.port));
}

TEST(MetricsListener, RefusesOtherPathsMethodsAndMalformedOrOversizedRequests)
{
    Listening l;
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET / HTTP/1.1\r\n\r\n")), "HTTP/1.1 404 Not Found");
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET /metricsx HTTP/1.1\r\n\r\n")), "HTTP/1.1 404 Not Found");
    const QByteArray post = exchangeRaw(l.port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(statusOf(post), "HTTP/1.1 405 Method Not Allowed");
    EXPECT_TRUE(post.contains("\r\nAllow: GET\r\n"));
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "hello\r\n\r\n")), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\nX: " + QByteArray(9000, 'a'))),
              "HTTP/1.1 431 Request Header Fields Too Large");
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\nOrigin: http://evil.example\r\n\r\n")),
              "HTTP/1.1 403 Forbidden");
    // Without a token only an IP address or localhost may be named as Host: a page rebinding its
    // domain to 127.0.0.1 sends that name.
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\nHost: evil.example:" + QByteArray::number(l.port)
                                            + "\r\n\r\n")),
              "HTTP/1.1 403 Forbidden");
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\nHost: evil.example\r\n\r\n")),
              "HTTP/1.1 403 Forbidden");
    // A head never finished is dropped after requestTimeout, unanswered.
    EXPECT_EQ(exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\n"), QByteArray());
    EXPECT_EQ(l.renders, 0);
    for (const QByteArray& host : {QByteArray("127.0.0.1:9464"), QByteArray("localhost"), QByteArray("LOCALHOST:1"),
                                  QByteArray("[::1]:9464"), QByteArray("10.1.2.3")})
        EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\nHost: " + host + "\r\n\r\n")), "HTTP/1.1 200 OK")
            << host.constData();
}

TEST(MetricsListener, WithATokenOnlyTheRightBearerIsServed)
{
    const QByteArray token = "0123456789abcdef0123456789abcdef";
    Listening l(token);
    const QByteArray none = exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\n\r\n");
    EXPECT_EQ(statusOf(none), "HTTP/1.1 401 Unauthorized");
    EXPECT_TRUE(none.contains("\r\nWWW-Authenticate: Bearer\r\n"));
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\nAuthorization: Bearer wrong\r\n\r\n")),
              "HTTP/1.1 401 Unauthorized");
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")),
              "HTTP/1.1 200 OK");
    // With a token, any Host name is fine (a fleet scrapes agents by name).
    EXPECT_EQ(statusOf(exchangeRaw(l.port, "GET /metrics HTTP/1.1\r\nHost: vm-7.example:9464\r\nAuthorization: Bearer "
                                            + token + "\r\n\r\n")),
              "HTTP/1.1 200 OK");
    EXPECT_EQ(l.listener.counters().tokensRefused, 2u);
    EXPECT_EQ(l.renders, 2);
}

TEST(MetricsListener, ANonLoopbackAddressNeedsAToken)
{
    livetest::ensureCoreApp();
    MetricsListener listener([](ExpositionFormat) { return std::string(); });
    MetricsListener::Options o;
    o.address = QHostAddress(QHostAddress::AnyIPv4);
    const auto refused = listener.listen(o);
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().message.find("needs --token-file"), std::string::npos);
    EXPECT_FALSE(listener.isListening());
}

TEST(MetricsServe, AgentPrintsTheMetricsAddressAndServesItsSessions)
{
    livetest::ensureCoreApp();
    QProcess agent;
    agent.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH),
                {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                 QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--source"),
                 QStringLiteral("demo:psp"), QStringLiteral("--metrics-max-sessions"), QStringLiteral("3")});
    ASSERT_TRUE(livetest::waitUntil([&] { return agent.canReadLine(); }, 8000));
    EXPECT_TRUE(QString::fromUtf8(agent.readLine()).startsWith(QStringLiteral("listening on ws://127.0.0.1:")));
    ASSERT_TRUE(livetest::waitUntil([&] { return agent.canReadLine(); }, 8000));
    const QString line = QString::fromUtf8(agent.readLine()).trimmed();
    const auto m = QRegularExpression(QStringLiteral("^metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics$")).match(line);
    ASSERT_TRUE(m.hasMatch()) << line.toStdString();
    const quint16 port = static_cast<quint16>(m.captured(1).toUInt());
    QByteArray answer;
    ASSERT_TRUE(livetest::waitUntil([&] {
        answer = exchangeRaw(port, "GET /metrics HTTP/1.1\r\nAccept: application/openmetrics-text\r\n\r\n");
        return answer.contains("flight_memory_used_bytes{");
    }, 8000));
    EXPECT_TRUE(answer.contains(",session=\"demo-psp-1\",platform=\"psp\"} ")) << answer.constData();
    EXPECT_TRUE(answer.contains("\nflight_memory_total_bytes{"));
    EXPECT_TRUE(answer.endsWith("# EOF\n"));
    agent.terminate();
    EXPECT_TRUE(agent.waitForFinished(5000));
    EXPECT_EQ(agent.exitCode(), 0);
}

TEST(MetricsServe, AgentRefusesNonLoopbackMetricsWithoutATokenAndBadOptions)
{
    const auto run = [](const QStringList& extra) {
        QProcess agent;
        agent.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH),
                    QStringList{QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                QStringLiteral("--source"), QStringLiteral("demo:psp")}
                        + extra);
        agent.waitForFinished(8000);
        return std::pair(agent.exitCode(), QString::fromUtf8(agent.readAllStandardError()));
    };
    const auto [code, err] = run({QStringLiteral("--metrics-listen"), QStringLiteral("0.0.0.0:0")});
    EXPECT_EQ(code, 2);
    EXPECT_TRUE(err.contains(QStringLiteral("needs --token-file"))) << err.toStdString();
    EXPECT_EQ(run({QStringLiteral("--metrics-listen"), QStringLiteral("nowhere")}).first, 2);
    EXPECT_EQ(run({QStringLiteral("--metrics-max-sessions"), QStringLiteral("0")}).first, 2);
}
