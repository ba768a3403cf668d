// SPDX-License-Identifier: MIT
#pragma once
// The agent's WebSocket server (protocol.md sections 1 and 3): speaks the
// canonical form, numbers every session's messages with `seq` 1, 2, 3, ...,
// keeps a ring buffer of recent messages per session and serves any number of
// clients at once. GUI-free (Qt Network + WebSockets).
//
// Listening: 127.0.0.1 by default, port 0 = any free port (port() / url() say
// which). A non-loopback address is refused by listen() unless a token is set.
// Before any WebSocket traffic, AgentListener (agent_listener.h) reads the
// upgrade request and refuses, with an HTTP status: a browser Origin not in
// allowedOrigins (403), a full house of maxClients (503), no or a wrong token
// (401, later and later for an address that keeps failing; the right token
// never waits), a head over 16 KiB (431); one not complete within
// handshakeTimeout is dropped. The token is compared in constant time and
// never logged; a token weaker than token_strength.h's rule makes listen()
// fail. Out of file descriptors, accepting pauses instead of spinning.
//
// What a client receives:
//  - On connect the client is "pending" for subscribeGrace (200 ms default): if
//    it sends `{"type":"subscribe","sessionIds":[...],"since":{"id":N}}` in that
//    time, it gets, per session it names ("*" or no sessionIds = all), the
//    buffered messages with seq > since[id] (all buffered ones for a session not
//    in `since`), then everything live. A client that sends nothing gets, when
//    the grace ends, the whole buffer of every session (replay), then live.
//    Either way a `hello` (no seq) comes first. A later subscribe re-applies:
//    sessions named in `since` are resent from there (the client drops seqs it
//    already holds); the filter changes for what follows. A subscribe with
//    "more":true carries part of `since` only: its entries are kept and added
//    to by the next subscribe, which applies them all (a client holding
//    thousands of sessions splits its since under the 64 KiB limit). A client
//    whose first part came within the grace is not activated when the grace
//    ends while its last part is still to come: its last part activates it.
//  - A session's session_started is pinned: a client starting a session from
//    its beginning always gets it first, even once the ring has dropped it.
//  - `since` older than the buffer: what is kept is resent; the client sees the
//    gap (not counted as drops: those messages were gone before it asked).
//  - Producer instance (protocol.md section 1): the server makes a random
//    instance id when it is constructed and sends it in the hello
//    (`"instance":"..."`). A subscribe naming another `instance` (a client
//    that held seqs of a server that ran on this address before) has its
//    `since` ignored, because those seqs are not this server's: the client
//    gets every session from its buffer start (Stats::staleSinceIgnored).
//
// Fairness: every client is written in turns of at most clientWriteHighWater
// bytes (each turn ends when its socket holds that much unsent), and what a
// client sends is bounded by its control budget (16 messages/s, bursts of 64;
// 1 MiB/s, bursts of 4 MiB; over it: closed with 1008, counted). So no client,
// however fast it reads or sends, holds the event loop from the others.
//
// Slow clients (drop policy): messages are never copied per client. Each
// client has a cursor per session into the shared ring, and the server writes
// to a client only while its socket holds less than clientWriteHighWater bytes
// (256 KiB) unsent; the rest waits in the ring. So a client that stops reading
// costs at most that much memory and never delays the others. When the ring
// evicts messages a client has not been sent yet (it fell `bufferMessages`
// behind), those are dropped for that client: its cursor jumps to the oldest
// kept message, the count goes to ClientStats::dropped and Stats::dropped, and
// the client sees a seq gap (it may re-subscribe with since; what is kept is
// resent). session_started is never lost this way (pinned, above); session_ended
// is the newest message of its session so it is the last to go. Ended sessions
// are kept for late clients: maxEndedSessions of them, and beyond that those
// a connected client has not been sent in full yet, as long as all ended
// sessions together hold at most bufferMessages messages (oldest removed
// first; unsent messages of a removed session count as drops). A producer of
// short sessions (the demo: 12,000 messages each) thus does not outrun a
// client that lags a second behind. A client still owed part of a removed
// session is sent its session_ended (and its session_started if it never had
// it) before anything else, so it ends the session and sees every dropped
// message as a seq gap: the client's count of missing seqs equals the
// server's count of drops for it. Those frames wait at most 2,048 per client
// (a client that reads nothing at all loses the oldest, counted).
//
// Memory: a buffered message is kept once, encoded (UTF-16 QString, about
// 400-600 bytes for a typical allocation), shared by all clients: the default
// 100,000-message ring is some 50 MB per busy session.

#include "live/sources/agent_source.h"
#include "model/memory_error.h"
#include "protocol/message.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace flight::live {

struct AgentServerOptions {
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;                          // 0: any free port
    QByteArray token;                          // empty: no authentication (loopback only)
    QStringList allowedOrigins;                // browser origins allowed to connect (origin_policy.h); none by default
    std::size_t bufferMessages = 100'000;      // ring size per session (at least 1)
    std::size_t maxEndedSessions = 4;         // ended sessions kept for late clients (more while owed to one)
    qint64 clientWriteHighWater = 256 * 1024;  // bytes unsent in a client's socket before it waits
    std::size_t maxClients = 64;               // connected at once (and handshakes in progress); more: HTTP 503
    // What one client may send (subscribes): a client over either budget is
    // closed with 1008 (policy), counted in Stats::closedForControlFlood. A
    // message over 64 KiB closes it with 1009 (Stats::closedOversized).
    double controlMessagesPerSecond = 16;
    double controlMessageBurst = 64;
    double controlBytesPerSecond = 1 << 20;
    double controlByteBurst = 4 << 20;
    std::chrono::milliseconds subscribeGrace{200};
    std::chrono::milliseconds handshakeTimeout{5000};
    QString serverName = QStringLiteral("flight-agent " FLIGHT_VERSION);
};

class AgentServer : public QObject {
public:
    struct ClientStats {
        quint64 id = 0;
        QString peer;            // "127.0.0.1:53012"
        std::uint64_t sent = 0;  // frames written (hello included)
        std::uint64_t dropped = 0;
        qint64 unsentBytes = 0;  // in the socket now
    };
    struct Stats {
        std::uint64_t published = 0;        // messages numbered and buffered
        std::uint64_t sent = 0;             // frames written, all clients
        std::uint64_t dropped = 0;          // all clients, including gone ones
        std::uint64_t clientsAccepted = 0;  // WebSocket handshakes completed
        std::uint64_t clientsRefused = 0;   // 401 / 403 / 431 / 503 / timed out before the handshake
        std::uint64_t originsRefused = 0;   // of those: 403, an Origin not allowed
        std::uint64_t tokensRefused = 0;    // of those: 401, no or a wrong token (answered after a delay)
        std::uint64_t busyRefused = 0;      // of those: 503, maxClients reached
        std::uint64_t acceptPauses = 0;     // times accepting paused: out of file descriptors
        std::uint64_t staleSinceIgnored = 0; // subscribes whose `since` named another instance's seqs
        std::uint64_t closedForControlFlood = 0; // clients closed (1008) for sending over their control budget
        std::uint64_t closedOversized = 0;  // clients closed (1009) for a message over 64 KiB
        std::size_t sessions = 0;           // buffered (live + kept ended)
        std::vector<ClientStats> clients;   // connected now
    };

    explicit AgentServer(AgentServerOptions options = {}, QObject* parent = nullptr);
    ~AgentServer() override;

    // Binds and starts accepting. Errors (message names address and reason,
    // never the token): non-loopback without token, a weak token, address in
    // use, bad address, an allowed origin that is not scheme://host[:port].
    Result<quint16> listen();
    bool isListening() const;
    quint16 port() const;
    QUrl url() const;                       // ws://127.0.0.1:8765
    std::string instance() const;           // this server's producer instance id (in every hello)
    void close();                           // stops listening, disconnects clients, stops sources

    // Takes the source and starts it now; its messages go through publish().
    void addSource(std::unique_ptr<AgentSource> source);
    std::size_t sourceCount() const;
    bool allSourcesFinished() const;

    // Numbers (seq), encodes, buffers and fans out one message. The message's
    // sessionId names its session (one without is filed under "agent").
    void publish(const protocol::Message& message);

    // The last seq given in a session (0: unknown session).
    std::uint64_t lastSeq(std::string_view sessionId) const;
    Stats stats() const;
    std::size_t clientCount() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace flight::live
