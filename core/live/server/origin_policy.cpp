// SPDX-License-Identifier: MIT
#include "live/server/origin_policy.h"

#include "live/server/http_request_head.h"

#include <QUrl>

namespace flight::live {

Result<QString> normalizeOrigin(const QString& text)
{
    const auto bad = [&](const char* why) {
        return makeError(MemoryErrorCode::MalformedInput,
                         "'" + text.left(200).toStdString() + "' is not an origin (" + why
                             + "); give scheme://host[:port], e.g. https://dashboard.example:8443");
    };
    QString trimmed = text.trimmed();
    if (trimmed.endsWith(u'/'))
        trimmed.chop(1);
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return bad("no scheme://host");
    if (!url.path().isEmpty() || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty())
        return bad("an origin has no path, query, fragment or user");
    QString host = url.host(QUrl::FullyEncoded).toLower();
    if (host.contains(u':'))
        host = u'[' + host + u']'; // IPv6
    QString out = url.scheme().toLower() + QStringLiteral("://") + host;
    if (url.port() >= 0)
        out += u':' + QString::number(url.port());
    return out;
}

bool requestOriginAllowed(QByteArrayView head, const QStringList& allowed)
{
    QList<QByteArray> origins = requestHeaderValues(head, "origin");
    origins += requestHeaderValues(head, "sec-websocket-origin");
    for (const QByteArray& origin : origins) {
        const auto normal = normalizeOrigin(QString::fromLatin1(origin));
        if (!normal || !allowed.contains(*normal))
            return false;
    }
    return true;
}

} // namespace flight::live
