// SPDX-License-Identifier: MIT
#pragma once
// One WebSocket link to a producer (protocol.md section 1), ws:// or wss://,
// with no GUI. Lives in the thread that creates it (LiveSession runs it in a
// worker thread). Emits every frame as bytes; what to do with them is the
// caller's business (LiveWorker decodes and stores them).
//
// Reconnects by itself after a link drops or an attempt fails (see
// connection_state.h for which failures are final), waiting BackoffPolicy
// delays: 1 s doubling to 30 s, +-20 % jitter (configurable). A link's first
// frame resets the backoff (see Refusals below).
//
// Secrets: the bearer token is held in memory only and sent as the handshake
// header `Authorization: Bearer <token>`. It is never in a state text, an error
// text or displayUrl(); URLs shown anywhere go through redactUrl() (user info
// and query removed).
//
// TLS: certificate errors are final errors (state Error, the text names the
// problem and the certificate's SHA-256 fingerprint) unless every error of the
// handshake is about a certificate the caller trusted explicitly
// (trustCertificate / trustPemFile): then exactly those errors are ignored
// (QWebSocket::ignoreSslErrors(QList<QSslError>)), nothing else.
//
// Size limit: frames and messages above maxMessageBytes are refused by Qt
// (setMaxAllowedIncomingFrameSize / setMaxAllowedIncomingMessageSize). Qt 6.4
// answers an oversized message by closing the link with close code 1009
// (too much data); the connection counts it in Stats::oversizedRefused and
// reconnects at once (the first backoff delay), so the stream goes on. A
// producer that resends the same oversized message on every reconnect is
// refused every time (counted each time) while backoff grows.
//
// Liveness: a link whose peer sends nothing at all, not even the pong to the
// ping sent every pingInterval (10 s), for idleTimeout (30 s) is closed as
// dead ("no message and no pong from URL for 30000 ms: link taken for dead")
// and reconnected with backoff. A quiet producer stays connected: Qt (and any
// conforming WebSocket server) answers pings by itself.
//
// Refusals: a link that comes up and is closed by the peer before its first
// frame is a refusal (the agent does this to a subscribe over its limit). The
// backoff is reset by a link's first frame, not by the handshake, so refusals
// back off like failed attempts (1 s, 2 s, 4 s, ...); the same refusal
// (close code and reason) maxRepeatedRefusals times in a row is a final error
// naming it. A 1009 close before any frame after we sent a message over
// 1 KiB is reported as the peer refusing our message, not as a message of
// the peer's over our limit.
//
// Bounded reading: Qt reads from the kernel into the socket's read buffer at
// most maxMessageBytes + 14 bytes (QWebSocket::setReadBufferSize; one frame at
// the size limit and its header must fit, because Qt 6.4 waits for a frame's
// whole payload in that buffer), and frames are handed on one by one in this
// thread, so a consumer that falls behind never makes this process buffer
// the producer's stream (without the limit Qt reads whatever the kernel has:
// up to tcp_rmem's maximum, 32 MiB here). What it does not read stays in
// the kernel's socket buffer; once that is full TCP flow control stops the
// producer's sends. The project's agent then keeps the messages in its ring
// and, past the ring, drops them for this client only (counted in the agent);
// the client sees the seq gap (LiveStats::seqGaps counts every message lost).

#include "live/client/backoff_policy.h"
#include "live/client/connection_state.h"
#include "model/memory_error.h"
#include "protocol/message_decoder.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QString>
#include <QUrl>

#include <chrono>
#include <cstdint>

class QTimer;
class QWebSocket;

namespace flight::live {

struct LiveConnectionOptions {
    QUrl url;                                   // ws:// or wss://
    QByteArray bearerToken;                     // empty: no Authorization header
    BackoffOptions backoff;
    bool reconnect = true;
    std::uint64_t maxMessageBytes = protocol::kDefaultMaxMessageBytes;
    std::chrono::milliseconds handshakeTimeout{10000}; // an attempt not connected by then is dropped
    // The same refusal this many times in a row (a link that comes up and is
    // closed before its first frame, with the same close code and reason)
    // is final: state Error, no more retries (see the header).
    int maxRepeatedRefusals = 5;
    // Liveness: while connected, a ping every pingInterval; a link that
    // delivers nothing (no message, no pong) for idleTimeout is taken for
    // dead and reconnected (a producer stuck mid-frame, a cable pulled with
    // no FIN). 0 turns it off.
    std::chrono::milliseconds pingInterval{10000};
    std::chrono::milliseconds idleTimeout{30000};
    QList<QSslCertificate> trustedCertificates;
};

class LiveConnection : public QObject {
    Q_OBJECT
public:
    struct Stats {
        std::uint64_t framesReceived = 0;
        std::uint64_t bytesReceived = 0;
        std::uint64_t oversizedRefused = 0; // messages refused for size (each closed the link)
        std::uint64_t attempts = 0;         // opens tried
        std::uint64_t connects = 0;         // links that came up
        std::uint64_t reconnects = 0;       // links that came up after the first
    };

    explicit LiveConnection(LiveConnectionOptions options, QObject* parent = nullptr);
    ~LiveConnection() override;

    // Starts connecting (state Connecting). Again after Closed/Error: starts over.
    void open();
    // Closes on purpose: state Closing, then Closed. No reconnect.
    void close();
    // Sends a text frame when connected; false otherwise.
    bool sendText(const QString& text);
    // Bytes sent but not yet handed to the kernel (they leave in a pass of this thread's event loop).
    bool hasPendingOutput() const;

    // Trust `certificate` for this connection (wss only): certificate errors
    // naming exactly this certificate are ignored.
    void trustCertificate(const QSslCertificate& certificate);

    ConnectionState state() const { return m_state; }
    QString stateText() const { return m_stateText; }
    QString displayUrl() const;      // redacted, safe to show and record
    Stats stats() const { return m_stats; }
    std::chrono::milliseconds lastBackoffDelay() const { return m_lastDelay; }

Q_SIGNALS:
    // `text` says why, for people (no secret in it).
    void stateChanged(flight::live::ConnectionState state, const QString& text);
    // Each time a link comes up, before its first frame.
    void linkUp();
    // A text frame as UTF-8, or a binary frame as is.
    void frameReceived(const QByteArray& frame);

private:
    void startAttempt();
    void onConnected();
    void onSocketError();
    void onDisconnected();
    void onSslErrors(const QList<QSslError>& errors);
    void linkDown(const QString& reason, bool final);
    void setState(ConnectionState state, const QString& text);
    void dropSocket();
    void acceptFrame(const QByteArray& frame);
    void checkAlive();
    // A link closed before its first frame: `reason` counted; true when it is
    // now final (the same refusal maxRepeatedRefusals times in a row).
    bool countRefusal(const QString& reason);

    LiveConnectionOptions m_options;
    QPointer<QWebSocket> m_socket;
    QTimer* m_retryTimer = nullptr;
    QTimer* m_handshakeTimer = nullptr;
    QTimer* m_aliveTimer = nullptr;
    QElapsedTimer m_lastHeard;        // since the link's last frame or pong
    BackoffPolicy m_backoff;
    ConnectionState m_state = ConnectionState::Closed;
    QString m_stateText;
    QString m_finalReason;      // set when the attempt must not be retried
    bool m_attemptActive = false;
    bool m_userClosed = false;
    std::chrono::milliseconds m_lastDelay{0};
    Stats m_stats;
    std::uint64_t m_linkFrames = 0;   // frames on the current link
    qsizetype m_linkLargestSent = 0;  // bytes of our largest message on it
    QString m_lastRefusal;
    int m_refusals = 0;               // the same refusal, in a row
};

// Reads every certificate of a PEM file. Errors: unreadable, or no certificate in it.
Result<QList<QSslCertificate>> loadPemCertificates(const QString& path);

// "AB:CD:..." SHA-256 fingerprint, for messages.
QString certificateFingerprint(const QSslCertificate& certificate);

} // namespace flight::live
