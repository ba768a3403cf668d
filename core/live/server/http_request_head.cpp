// SPDX-License-Identifier: MIT
#include "live/server/http_request_head.h"

namespace flight::live {

QList<QByteArray> requestHeaderValues(QByteArrayView head, QByteArrayView name)
{
    QList<QByteArray> values;
    const QByteArray wanted = name.toByteArray().toLower();
    const QList<QByteArray> lines = head.toByteArray().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) { // line 0 is the request line
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        if (line.left(colon).trimmed().toLower() == wanted)
            values.append(line.mid(colon + 1).trimmed());
    }
    return values;
}

} // namespace flight::live
