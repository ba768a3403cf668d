// SPDX-License-Identifier: MIT
#pragma once
// Which web pages may open a WebSocket to the agent (cross-site WebSocket
// hijacking): a browser always sends an `Origin` header with a WebSocket
// handshake, naming the page's origin; the inspector, `capture` and other
// native clients send none. So a handshake with an Origin (or the older
// `Sec-WebSocket-Origin`) is refused unless that origin was allowed by name
// (`flight-agent serve --allow-origin ORIGIN`). Origins are compared in their
// normalised form: lower-case scheme and host, no trailing slash.

#include "model/memory_error.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace flight::live {

// "HTTPS://Example.COM:8443/" -> "https://example.com:8443". Errors (malformed-input):
// not scheme://host[:port] (a path, query, user or fragment, "null", "*").
Result<QString> normalizeOrigin(const QString& text);

// True when the request head carries no Origin / Sec-WebSocket-Origin header,
// or every one it carries is in `allowed` (normalised origins).
bool requestOriginAllowed(QByteArrayView head, const QStringList& allowed);

} // namespace flight::live
