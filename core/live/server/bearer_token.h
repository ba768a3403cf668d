// SPDX-License-Identifier: MIT
#pragma once
// Bearer-token checks for the agent's WebSocket handshake (protocol.md section 1).
// The token itself is never logged or put in an error text.

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace flight::live {

// Compares in time that depends only on the lengths, not on where the bytes differ.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// From a raw HTTP request head (request line + headers, up to the blank line):
// the token of `Authorization: Bearer <token>` (header name and scheme in any
// case), or nullopt when there is no such header.
std::optional<QByteArray> bearerTokenFromRequestHead(QByteArrayView head);

} // namespace flight::live
