// SPDX-License-Identifier: MIT
#pragma once
// The agent's door (AgentServer's TCP side, before any WebSocket traffic):
// accepts connections, reads the HTTP upgrade request head (peeked, not
// consumed) and either hands the socket to the WebSocket server or answers
// with an HTTP error and closes it:
//  - 431 a head over 16 KiB; dropped without answer: no head within handshakeTimeout;
//  - 403 an Origin header not allowed (origin_policy.h), checked first;
//  - 503 (Retry-After: 5) maxClients clients connected already, or maxClients
//    handshakes in progress (connections that have not finished or been
//    answered, refusals waiting to be sent included);
//  - 401 no or a wrong token, after the delay of handshake_throttle.h (the
//    right token never waits).
// Out of descriptors (fewer than 4 free after accepting, connections being
// accepted one at a time so the 4 stay free, or accept failing with
// EMFILE/ENFILE): accepting pauses, so the event loop does not spin on a
// listening socket it cannot accept from (Qt retries a failed accept at once);
// new connections wait in the kernel's backlog. It resumes when a connection
// closes and descriptors are free again (checked every second meanwhile).

#include "live/server/handshake_throttle.h"
#include "model/memory_error.h"

#include <QByteArray>
#include <QHostAddress>
#include <QSet>
#include <QStringList>
#include <QTcpServer>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <functional>

class QTcpSocket;

namespace flight::live {

class AgentListener {
public:
    struct Options {
        QHostAddress address;
        quint16 port = 0;
        QByteArray token;       // empty: none needed
        QStringList origins;    // allowed, normalised
        std::size_t maxClients = 64;
        std::chrono::milliseconds handshakeTimeout{5000};
    };
    struct Counters {
        std::uint64_t refused = 0;        // every refusal and timeout below
        std::uint64_t originsRefused = 0; // 403
        std::uint64_t tokensRefused = 0;  // 401
        std::uint64_t busyRefused = 0;    // 503
        std::uint64_t acceptPauses = 0;   // times accepting paused, out of descriptors
    };
    // admit: a socket whose request passed, to be handed to the WebSocket
    // server (its request still unread). clients: how many are connected now.
    AgentListener(QObject* context, std::function<void(QTcpSocket*)> admit, std::function<std::size_t()> clients);
    ~AgentListener();

    Result<quint16> listen(Options options);
    void close();
    bool isListening() const { return m_tcp.isListening(); }
    quint16 port() const { return m_tcp.serverPort(); }
    QHostAddress address() const { return m_tcp.serverAddress(); }
    const Counters& counters() const { return m_counters; }
    bool acceptPaused() const { return m_paused; }
    // A client connection closed: a descriptor is free again.
    void connectionClosed();

private:
    void onNewConnections();
    void onAcceptError(QAbstractSocket::SocketError error);
    void pause();
    void resumeAccepting();
    void checkHead(QTcpSocket* sock, QTimer* timer);
    void refuse(QTcpSocket* sock, QTimer* timer, const char* status, const char* headers = "");

    QObject* m_context;
    std::function<void(QTcpSocket*)> m_admit;
    std::function<std::size_t()> m_clients;
    Options m_options;
    QTcpServer m_tcp;
    QSet<QTcpSocket*> m_pending; // accepted, not yet admitted (refusals waiting to be sent included)
    QSet<QTcpSocket*> m_heads;   // pending whose request head is still to be judged (their timer alive)
    HandshakeThrottle m_throttle;
    QTimer m_resume;
    bool m_paused = false;
    Counters m_counters;
};

} // namespace flight::live
