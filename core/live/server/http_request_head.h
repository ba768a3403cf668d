// SPDX-License-Identifier: MIT
#pragma once
// Reading header fields out of a raw HTTP/1.1 request head (request line and
// header lines up to the blank line), as the agent peeks it before the
// WebSocket handshake. Header names match in any case; the request line is
// never taken for a header.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace flight::live {

// Every value of header `name` (trimmed), in the order they appear.
QList<QByteArray> requestHeaderValues(QByteArrayView head, QByteArrayView name);

} // namespace flight::live
