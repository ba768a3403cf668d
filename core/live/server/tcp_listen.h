// SPDX-License-Identifier: MIT
#pragma once
// QTcpServer::listen for the agent's listeners (WebSocket, /metrics): the port
// it listens on, or an IoError naming the address and Qt's reason ("cannot
// listen for metrics on 0.0.0.0:9464: The address is protected").

#include "model/memory_error.h"

#include <QHostAddress>
#include <QTcpServer>

#include <string>
#include <string_view>

namespace flight::live {

// `purpose` goes after "cannot listen" (" for metrics"; empty for the agent's own).
inline Result<quint16> listenOn(QTcpServer& server, const QHostAddress& address, quint16 port,
                                std::string_view purpose = {})
{
    if (!server.listen(address, port))
        return makeError(MemoryErrorCode::IoError, "cannot listen" + std::string(purpose) + " on "
                                                       + address.toString().toStdString() + ':' + std::to_string(port)
                                                       + ": " + server.errorString().toStdString());
    return server.serverPort();
}

} // namespace flight::live
