// SPDX-License-Identifier: MIT
#include "live/server/bearer_token.h"

#include <gtest/gtest.h>

using namespace flight::live;

TEST(BearerToken, ConstantTimeEqualsComparesWholeTokens)
{
    EXPECT_TRUE(constantTimeEquals("abc123", "abc123"));
    EXPECT_FALSE(constantTimeEquals("abc123", "abc124"));
    EXPECT_FALSE(constantTimeEquals("abc123", "abc12"));
    EXPECT_FALSE(constantTimeEquals("abc", QByteArray("abc\0", 4)));
    EXPECT_FALSE(constantTimeEquals("", "x"));
    EXPECT_TRUE(constantTimeEquals("", ""));
}

TEST(BearerToken, FoundInTheRequestHeadInAnyCase)
{
    const QByteArray head = "GET / HTTP/1.1\r\nHost: h\r\nauthorization:   bearer  tok-42 \r\nX: y";
    ASSERT_TRUE(bearerTokenFromRequestHead(head).has_value());
    EXPECT_EQ(*bearerTokenFromRequestHead(head), QByteArray("tok-42"));
    EXPECT_FALSE(bearerTokenFromRequestHead("GET / HTTP/1.1\r\nHost: h").has_value());
    EXPECT_FALSE(bearerTokenFromRequestHead("GET / HTTP/1.1\r\nAuthorization: Basic dTpw").has_value());
    // a request line that looks like a header is not one
    EXPECT_FALSE(bearerTokenFromRequestHead("Authorization: Bearer x\r\nHost: h").has_value());
}
