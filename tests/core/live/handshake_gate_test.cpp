// SPDX-License-Identifier: MIT
// The agent's handshake checks on their own: which Origin headers pass.

#include "live/origin_policy.h"

#include <gtest/gtest.h>

using namespace flight::live;

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
