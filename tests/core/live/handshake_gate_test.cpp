// SPDX-License-Identifier: MIT
// The agent's handshake checks on their own: which Origin headers pass, what
// token is strong enough, and how failed handshakes of one address are slowed.

#include "live/server/handshake_throttle.h"
#include "live/server/origin_policy.h"
#include "live/server/token_strength.h"

#include <gtest/gtest.h>

#include <set>
#include <string_view>

using namespace flight::live;
using namespace std::chrono_literals;

TEST(OriginPolicy, OriginsAreNormalisedAndAnythingElseIsRefused)
{
    EXPECT_EQ(normalizeOrigin(QStringLiteral("HTTPS://Dash.Example:8443/")).value(), QStringLiteral("https://dash.example:8443"));
    EXPECT_EQ(normalizeOrigin(QStringLiteral("http://[::1]:9000")).value(), QStringLiteral("http://[::1]:9000"));
    for (const char* bad : {"null", "*", "dash.example", "https://dash.example/app", "https://u@dash.example",
                            "https://dash.example?x=1", ""})
        EXPECT_FALSE(normalizeOrigin(QString::fromLatin1(bad)).has_value()) << bad;
}

TEST(OriginPolicy, ARequestWithAnOriginPassesOnlyWhenEveryOriginItNamesIsAllowed)
{
    const QStringList allowed{QStringLiteral("https://dash.example")};
    const QByteArray line = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    EXPECT_TRUE(requestOriginAllowed(line, {}));
    EXPECT_FALSE(requestOriginAllowed(line + "origin: https://evil.example", allowed));
    EXPECT_FALSE(requestOriginAllowed(line + "Sec-WebSocket-Origin: https://evil.example", allowed));
    EXPECT_TRUE(requestOriginAllowed(line + "Origin: https://DASH.example", allowed));
    EXPECT_FALSE(requestOriginAllowed(line + "Origin: https://dash.example\r\nOrigin: https://evil.example", allowed));
    EXPECT_FALSE(requestOriginAllowed(line + "Origin: https://dash.example", {}));
}

TEST(TokenStrength, ShortRepetitiveAndGuessableTokensAreRefusedWithAHint)
{
    for (const char* weak : {"a", "tok-9f2c", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababab",
                             "correcthorsebatt", "0123456789012345678"}) {
        const auto r = checkTokenStrength(weak);
        ASSERT_FALSE(r.has_value()) << weak;
        EXPECT_NE(r.error().message.find("too weak"), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find("flight-agent token FILE"), std::string::npos);
        if (std::string_view(weak).size() >= 8) {
            EXPECT_EQ(r.error().message.find(weak), std::string::npos) << "the token is never in the message";
        }
    }
    EXPECT_FALSE(checkTokenStrength("8c1d0b6e4f2a97d3 5e0c41ab9f2d7e61").has_value()); // a space
    EXPECT_TRUE(checkTokenStrength("8c1d0b6e4f2a97d35e0c41ab9f2d7e61").has_value()); // openssl rand -hex 16
    EXPECT_TRUE(checkTokenStrength("q3J-x9ZtB0fLw7_Ye2VnKc").has_value());          // 22 base64url characters
}

TEST(TokenStrength, NewTokensAreStrongAndDifferent)
{
    std::set<QByteArray> seen;
    for (int i = 0; i < 50; ++i) {
        const QByteArray t = newBearerToken();
        EXPECT_EQ(t.size(), 43);
        EXPECT_TRUE(checkTokenStrength(t).has_value()) << t.toStdString();
        EXPECT_GE(estimatedTokenBits(t), 200.0);
        seen.insert(t);
    }
    EXPECT_EQ(seen.size(), 50u);
}

TEST(HandshakeThrottle, FailuresOfOneAddressAreAnsweredLaterAndLaterOneAtATime)
{
    HandshakeThrottle t;
    const QHostAddress a(QStringLiteral("10.0.0.7")), b(QStringLiteral("10.0.0.8"));
    const auto t0 = HandshakeThrottle::Clock::now();
    // sequential failures: 100, 200, 400, ... ms after each, capped at 5 s
    auto now = t0;
    std::vector<long long> delays;
    for (int i = 0; i < 8; ++i) {
        const auto when = t.failed(a, now);
        delays.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(when - now).count());
        now = when;
    }
    EXPECT_EQ(delays, (std::vector<long long>{100, 200, 400, 800, 1600, 3200, 5000, 5000}));
    EXPECT_EQ(t.failures(a, now), 8);
    // many at once from the same address: serialised, not answered together
    const auto burst = now;
    HandshakeThrottle::Clock::time_point last = burst;
    for (int i = 0; i < 10; ++i)
        last = t.failed(a, burst);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(last - burst).count(), 50'000);
    // another address starts from the beginning
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t.failed(b, burst) - burst).count(), 100);
    // forgotten after a quiet minute
    EXPECT_EQ(t.failures(b, burst + 61s), 0);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t.failed(b, burst + 61s) - (burst + 61s)).count(), 100);
}

TEST(HandshakeThrottle, TheTableOfAddressesStaysBounded)
{
    HandshakeThrottle::Options o;
    o.maxPeers = 64;
    HandshakeThrottle t(o);
    const auto now = HandshakeThrottle::Clock::now();
    for (quint32 i = 0; i < 10'000; ++i)
        t.failed(QHostAddress(0x0a000000u + i), now + std::chrono::milliseconds(i));
    EXPECT_LE(t.peers(), 64u);
    EXPECT_EQ(t.failures(QHostAddress(0x0a000000u + 9'999), now + 10s), 1);
}
