// SPDX-License-Identifier: MIT
#pragma once
// The states of a LiveConnection (core/live/client/live_connection.h).
//
//   Connecting   -> handshake under way (first attempt or a reconnect)
//   Connected    -> frames flow
//   Disconnected -> the link dropped or an attempt failed for a reason that may
//                   pass (refused, reset, timeout, server closed, message too
//                   big): a reconnect is scheduled with backoff
//   Closing      -> close() was called, the close handshake is under way
//   Closed       -> closed on purpose (close()), no reconnect
//   Error        -> a failure that retrying cannot fix (bad URL, the server
//                   refused the token, an untrusted TLS certificate): no reconnect

#include <QMetaType>
#include <QString>

namespace flight::live {

enum class ConnectionState : int { Connecting, Connected, Disconnected, Closing, Closed, Error };

// "connecting", "connected", ...
QString toString(ConnectionState state);

} // namespace flight::live

Q_DECLARE_METATYPE(flight::live::ConnectionState)
