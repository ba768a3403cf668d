// SPDX-License-Identifier: MIT
#pragma once
// Helpers for the live-session tests: a QCoreApplication for the event loop, a
// wait that runs it, a generated event stream with its expected figures,
// TestProducer, a real WebSocket server on 127.0.0.1 (port 0) that serves the
// stream and honours subscribe/since, and a real agent serving demo sessions.
// No mocks: everything goes over loopback. The one copy of these helpers:
// core_tests, ui_tests, app_tests and fault_tests link it.

#include "live/server/agent_server.h"
#include "live/client/live_session_options.h"

#include <QByteArray>
#include <QList>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace flight::livetest {

// A client of `url` that retries fast (50 ms, at most 400 ms) and publishes a
// snapshot every 20 ms: tests wait in milliseconds, not the defaults' seconds.
live::LiveSessionOptions quickClientOptions(const QUrl& url);

// Creates the process's QCoreApplication once (kept for the process's life).
void ensureCoreApp();

// Runs the event loop until `done()` or `timeoutMs`; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 4000);
// Runs the event loop for `ms`.
void pump(int ms);

// Sends `request` to 127.0.0.1:port as it is and returns everything answered
// until the peer closed (8 s at most); empty when nothing listens there.
QByteArray exchangeRaw(quint16 port, const QByteArray& request);
// Runs the event loop until the global thread pool (QtConcurrent's) has no
// task left and what its tasks posted to this thread has been delivered, or
// `timeoutMs` pass; true when idle. After it, nothing a worker sent is still
// on its way: a test can check that what a cancelled load sent was dropped.
bool waitForIdleWorkers(int timeoutMs = 20000);

// A loopback port held bound but never listening, for "nothing answers here":
// connecting is refused, and no other test can take the port meanwhile (a
// probe server closed at once leaves the port to whoever binds next).
class ClosedPort {
public:
    ClosedPort();
    ~ClosedPort();
    ClosedPort(const ClosedPort&) = delete;
    ClosedPort& operator=(const ClosedPort&) = delete;
    quint16 port() const { return m_port; }
    QUrl wsUrl() const; // ws://127.0.0.1:PORT/live

private:
    int m_fd = -1;
    quint16 m_port = 0;
};

struct StreamItem {
    std::string json;
    std::string sessionId;
    std::uint64_t seq = 0;
};

struct ExpectedSession {
    std::uint64_t usedBytes = 0;          // tracked bytes at the end
    std::uint64_t peakBytes = 0;
    std::uint64_t totalAllocations = 0;
    std::uint64_t activeAllocations = 0;
    std::uint64_t markers = 0;
};

struct Stream {
    std::vector<StreamItem> items;
    std::map<std::string, ExpectedSession> expected;
    std::vector<std::string> lines() const;
};

// `sessions` sessions ("vm-1", ...) interleaved, `perSession` messages each
// (session_started first), every message with its per-session seq from 1.
// Allocations of varied purposes and sizes, some freed, markers, no errors.
Stream makeStream(int sessions, int perSession);

class TestProducer {
public:
    struct Options {
        QByteArray requiredToken;          // non-empty: refuse the handshake (HTTP 401) without it
        int closeFirstConnectionAfter = -1; // >= 0: the first connection sends that many items, then the server closes it
        std::optional<QSslConfiguration> tls; // wss
        QString path = QStringLiteral("/live");
        std::function<void()> afterSend;    // called on this thread after a subscribe was answered
    };

    TestProducer(Stream stream, Options options);
    TestProducer(Stream stream) : TestProducer(std::move(stream), Options{}) {}
    ~TestProducer();

    QUrl url() const;                      // ws://127.0.0.1:PORT/live (wss with tls)
    // Sends `text` as a text frame to every open client.
    void sendToAll(const QString& text);
    void sendBinaryToAll(const QByteArray& data);
    // Items sent to clients, all connections together.
    int itemsSent() const { return m_itemsSent; }
    int connectionsAccepted() const { return m_accepted; }
    int handshakesRefused() const { return m_refused; }
    const QStringList& subscribes() const { return m_subscribes; }
    const QList<QByteArray>& authorizationHeaders() const { return m_authorization; }
    int openClients() const;
    // Writes what is buffered to the kernel now (the server runs on the test's
    // thread: without this, data waits for its event loop).
    void flushAll();
    // Closes every open client (the server drops them).
    void closeAll();

private:
    void onTcpConnection();
    void onWebSocket(QWebSocket* socket);
    void onSubscribe(QWebSocket* socket, const QString& text);

    Stream m_stream;
    Options m_options;
    std::unique_ptr<QTcpServer> m_tcp;
    std::unique_ptr<QWebSocketServer> m_ws;
    QList<QWebSocket*> m_clients;
    int m_itemsSent = 0;
    int m_accepted = 0;
    int m_refused = 0;
    QStringList m_subscribes;
    QList<QByteArray> m_authorization;
};

// A self-signed certificate and key for CN=127.0.0.1 made with the openssl
// CLI in `dir` (cert.pem, key.pem). Empty on failure.
struct TestCertificate {
    QString certPath;
    QString keyPath;
};
std::optional<TestCertificate> makeSelfSignedCertificate(const QString& dir);
std::optional<QSslConfiguration> serverTlsConfiguration(const TestCertificate& cert);

// An agent listening on loopback with one demo session per spec ("demo:psp"),
// each at `rate` messages a second; null (and a test failure) when it cannot start.
std::unique_ptr<live::AgentServer> startDemoAgent(std::initializer_list<const char*> specs, double rate);

} // namespace flight::livetest
