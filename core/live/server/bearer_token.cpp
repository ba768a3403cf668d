// SPDX-License-Identifier: MIT
#include "live/server/bearer_token.h"

#include "live/server/http_request_head.h"

namespace flight::live {

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    const qsizetype n = std::max(a.size(), b.size());
    unsigned diff = a.size() == b.size() ? 0u : 1u;
    for (qsizetype i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
        const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
        diff |= static_cast<unsigned>(x ^ y);
    }
    return diff == 0;
}

std::optional<QByteArray> bearerTokenFromRequestHead(QByteArrayView head)
{
    const QList<QByteArray> values = requestHeaderValues(head, "authorization");
    if (values.isEmpty())
        return std::nullopt;
    const QByteArray& value = values.front();
    if (value.size() < 7 || value.left(7).toLower() != "bearer ")
        return std::nullopt;
    return value.mid(7).trimmed();
}

} // namespace flight::live
