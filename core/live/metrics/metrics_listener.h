// SPDX-License-Identifier: MIT
#pragma once
// The agent's /metrics endpoint (serve --metrics-listen, docs/fleet.md): a
// small HTTP/1.1 server on the agent's event loop. One request per
// connection (answered with Connection: close):
//  - GET /metrics (any query string): 200 with what `render` returns, in the
//    format the Accept header negotiates (metrics_exposition.h);
//  - another path 404, another method 405 (Allow: GET), a request line that
//    is not HTTP 400, a head over 8 KiB 431, no complete head within
//    requestTimeout: dropped;
//  - with a token set, no or a wrong `Authorization: Bearer` 401, later and
//    later for an address that keeps failing (handshake_throttle.h);
//  - a request carrying an Origin header (a web page's) 403: Prometheus sends
//    none, and a page must not read the agent's figures; without a token, a
//    Host header that is not an IP address or localhost 403 too (a page that
//    rebinds its domain name to 127.0.0.1 sends its own name);
//  - more than maxConnections connections at once: 503.
// listen() refuses a non-loopback address without a token, as AgentServer
// does. render() runs on the event loop from state the agent holds: it never
// waits for a source or a client.

#include "live/server/handshake_throttle.h"
#include "live/metrics/metrics_exposition.h"
#include "model/memory_error.h"

#include <QByteArray>
#include <QHostAddress>
#include <QSet>
#include <QTcpServer>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

class QTcpSocket;
class QTimer;

namespace flight::live {

class MetricsListener {
public:
    struct Options {
        QHostAddress address = QHostAddress(QHostAddress::LocalHost);
        quint16 port = 0;                 // 0: any free port
        QByteArray token;                 // empty: none needed (loopback only)
        std::size_t maxConnections = 16;
        std::chrono::milliseconds requestTimeout{5000};
    };
    struct Counters {
        std::uint64_t served = 0;         // 200
        std::uint64_t refused = 0;        // every other answer, and dropped requests
        std::uint64_t tokensRefused = 0;  // 401
    };
    using Render = std::function<std::string(ExpositionFormat)>;

    explicit MetricsListener(Render render);
    ~MetricsListener();
    MetricsListener(const MetricsListener&) = delete;
    MetricsListener& operator=(const MetricsListener&) = delete;

    // Errors: non-loopback without a token, address in use or not available.
    Result<quint16> listen(Options options);
    void close();
    bool isListening() const { return m_tcp.isListening(); }
    quint16 port() const { return m_tcp.serverPort(); }
    QUrl url() const; // http://127.0.0.1:9464/metrics
    const Counters& counters() const { return m_counters; }

private:
    void onNewConnections();
    void onReadable(QTcpSocket* sock, QTimer* timer);
    void answer(QTcpSocket* sock, QTimer* timer, const QByteArray& status, const QByteArray& headers = {},
                const QByteArray& body = {});

    Render m_render;
    Options m_options;
    QTcpServer m_tcp;
    QObject m_context;
    QSet<QTcpSocket*> m_open;
    HandshakeThrottle m_throttle;
    Counters m_counters;
};

} // namespace flight::live
