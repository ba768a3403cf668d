// SPDX-License-Identifier: MIT
// Trust at the edges (issue #15, docs/reliability.md "Trust at the edges"):
// the real `flight-agent serve` attacked over loopback as a hostile web page,
// a token guesser, a descriptor hog and a flooding client would. Each attack
// is refused or contained, with the figure asserted, while the inspector's own
// client (LiveSession, as the window and `capture` use it) goes on.
#include "fault_test_support.h"

#include "live/live_session.h"

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QTcpSocket>

using namespace flight;
using namespace flight::faulttest;

namespace {

// A WebSocket upgrade request for 127.0.0.1:port with `extra` header lines.
QByteArray upgradeRequest(int port, const QByteArray& extra)
{
    return "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
         + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
         + extra + "\r\n";
}

struct RawAnswer {
    QByteArray head;      // the HTTP response head ("HTTP/1.1 403 Forbidden\r\n...")
    QByteArray after;     // bytes after it (WebSocket frames, when the upgrade was accepted)
    bool closed = false;  // the agent closed the connection
};

// Sends the request on a raw socket; waits for the answer head, then up to
// `lingerMs` for the first bytes after it or the close.
RawAnswer rawHandshake(int port, const QByteArray& extra, int lingerMs = 1500)
{
    RawAnswer a;
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(port));
    if (!s.waitForConnected(3000))
        return a;
    s.write(upgradeRequest(port, extra));
    QByteArray all;
    livetest::waitUntil([&] {
        all += s.readAll();
        return all.contains("\r\n\r\n") || s.state() == QAbstractSocket::UnconnectedState;
    }, 5000);
    livetest::waitUntil([&] { // the close, or the first frame (the hello comes after the 200 ms subscribe grace)
        all += s.readAll();
        return s.state() == QAbstractSocket::UnconnectedState || all.size() > all.indexOf("\r\n\r\n") + 4;
    }, lingerMs);
    all += s.readAll();
    const qsizetype end = all.indexOf("\r\n\r\n");
    a.head = end < 0 ? all : all.left(end + 4);
    a.after = end < 0 ? QByteArray() : all.mid(end + 4);
    a.closed = s.state() == QAbstractSocket::UnconnectedState;
    return a;
}

live::LiveSessionOptions optionsFor(const QUrl& url)
{
    live::LiveSessionOptions o;
    o.connection.url = url;
    o.connection.backoff.base = std::chrono::milliseconds(200);
    return o;
}

// Attack 6: a page in the user's browser opens ws://127.0.0.1:8765 (the
// browser sends its Origin). Before: 101 and the full stream (7.4 MB in 1.5 s).
TEST(AgentEdges, BrowserOriginIsRefusedWith403UnlessAllowedAndNativeClientsGoOn)
{
    livetest::ensureCoreApp();
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "demo:dreamcast", "--rate", "2000",
                                  "--allow-origin", "https://dashboard.example:8443"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    const int port = url.port();

    for (const QByteArray& evil : {QByteArray("Origin: https://evil.example\r\n"),
                                   QByteArray("Sec-WebSocket-Origin: https://evil.example\r\n"),
                                   QByteArray("Origin: null\r\n"),
                                   QByteArray("Origin: https://dashboard.example:8443\r\nOrigin: https://evil.example\r\n"),
                                   QByteArray("Origin: https://dashboard.example\r\n")}) { // another port
        const RawAnswer a = rawHandshake(port, evil);
        EXPECT_TRUE(a.head.startsWith("HTTP/1.1 403 Forbidden\r\n")) << evil.toStdString() << a.head.toStdString();
        EXPECT_TRUE(a.after.isEmpty()) << "no WebSocket traffic after a refusal: " << a.after.size() << " bytes";
        EXPECT_TRUE(a.closed);
    }
    // the allowed origin, in any case and with a trailing slash, and no origin at all
    for (const QByteArray& fine : {QByteArray("Origin: https://dashboard.example:8443\r\n"),
                                   QByteArray("Origin: HTTPS://Dashboard.Example:8443/\r\n"), QByteArray()}) {
        const RawAnswer a = rawHandshake(port, fine);
        EXPECT_TRUE(a.head.startsWith("HTTP/1.1 101")) << fine.toStdString() << a.head.toStdString();
        EXPECT_FALSE(a.after.isEmpty()) << "the hello (and the stream) follows";
    }
    // the inspector's own client sends no Origin: it connects and streams
    live::LiveSession session(optionsFor(url));
    session.start();
    ASSERT_TRUE(livetest::waitUntil([&] { return session.snapshotNow().stats.messagesApplied >= 500; }, 5000))
        << session.snapshotNow().stats.stateText.toStdString();
    const live::LiveSnapshot s = session.stop();
    EXPECT_EQ(s.stats.reconnects, 0u);
    EXPECT_EQ(s.stats.seqGaps, 0u);

    agent.stop();
    const QString err = agent.error();
    EXPECT_TRUE(err.contains(QStringLiteral("5 for their Origin"))) << err.toStdString();
}

TEST(AgentEdges, AnAllowOriginThatIsNotAnOriginIsAUsageError)
{
    livetest::ensureCoreApp();
    for (const char* bad : {"https://x.example/path", "*", "null", "x.example"}) {
        QProcess p;
        p.start(QStringLiteral(FLIGHT_AGENT_EXE), {"serve", "--listen", "127.0.0.1:0", "--source", "demo", "--allow-origin", bad});
        ASSERT_TRUE(p.waitForFinished(5000));
        EXPECT_EQ(p.exitCode(), 2) << bad;
        const QString err = QString::fromUtf8(p.readAllStandardError());
        EXPECT_TRUE(err.contains(QStringLiteral("is not an origin"))) << bad << ": " << err.toStdString();
    }
}

} // namespace
