// SPDX-License-Identifier: MIT
#include "live/client/connection_state.h"

namespace flight::live {

QString toString(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connecting: return QStringLiteral("connecting");
    case ConnectionState::Connected: return QStringLiteral("connected");
    case ConnectionState::Disconnected: return QStringLiteral("disconnected");
    case ConnectionState::Closing: return QStringLiteral("closing");
    case ConnectionState::Closed: return QStringLiteral("closed");
    case ConnectionState::Error: return QStringLiteral("error");
    }
    return QStringLiteral("unknown");
}

} // namespace flight::live
