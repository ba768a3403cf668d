// SPDX-License-Identifier: MIT
// A producer that stops in the middle of a frame (docs/reliability.md, "Trust
// at the edges", client): the link sends nothing more, not even a pong, so the
// client takes it for dead after LiveConnectionOptions::idleTimeout and
// reconnects; a producer that is only quiet answers the pings and stays
// connected.
#include "fault_test_support.h"

#include "live/client/live_session.h"

#include <gtest/gtest.h>

#include <QTcpServer>
#include <QTcpSocket>
#include <QtEndian>

using namespace flight;
using namespace flight::faulttest;

namespace {

// Answers the WebSocket handshake, then sends the header of a 1,000-byte text
// frame and 10 bytes of it, and nothing more; the TCP connection stays open.
class StallingProducer {
public:
    StallingProducer()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                ++m_connections;
                QObject::connect(s, &QTcpSocket::readyRead, [s] { answer(s); });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort())); }
    int connections() const { return m_connections; }

private:
    static void answer(QTcpSocket* s)
    {
        if (!answerWebSocketHandshake(s))
            return; // pings and all after it: read, never answered
        QByteArray frame;
        frame.append(char(0x81));
        frame.append(char(126));
        char len[2];
        qToBigEndian<quint16>(1000, len);
        frame.append(len, 2);
        frame.append("{\"type\":\"m", 10);
        s->write(frame);
    }

    QTcpServer m_server;
    int m_connections = 0;
};

live::LiveSessionOptions fastLiveness(const QUrl& url)
{
    live::LiveSessionOptions o;
    o.connection.url = url;
    o.connection.backoff.base = std::chrono::milliseconds(100);
    o.connection.pingInterval = std::chrono::milliseconds(100); // defaults 10 s / 30 s: same path, slower
    o.connection.idleTimeout = std::chrono::milliseconds(600);
    return o;
}

} // namespace

TEST(StalledPeer, ProducerStuckMidFrameIsTakenForDeadAndReconnected)
{
    livetest::ensureCoreApp();
    StallingProducer stalled;
    live::LiveSession session(fastLiveness(stalled.url()));
    QStringList texts;
    QObject::connect(&session, &live::LiveSession::stateChanged,
                     [&](live::ConnectionState, const QString& t) { texts << t; });
    session.start();
    // The producer sees the second TCP connection before the client's handshake
    // completes: wait for the client's own count of links made.
    ASSERT_TRUE(livetest::waitUntil(
        [&] { return stalled.connections() >= 2 && session.snapshotNow().stats.connects >= 2; }, 5000))
        << "still 'connected' to a link that says nothing: " << texts.join(u'\n').toStdString();
    const live::LiveSnapshot s = session.stop();
    EXPECT_GE(s.stats.connects, 2u);
    EXPECT_TRUE(texts.join(u'\n').contains(QStringLiteral("for 600 ms: link taken for dead")))
        << texts.join(u'\n').toStdString();
    EXPECT_EQ(s.stats.messagesApplied, 0u);
}

TEST(StalledPeer, QuietProducerAnswersPingsAndStaysConnected)
{
    livetest::ensureCoreApp();
    const livetest::Stream stream = livetest::makeStream(1, 10);
    livetest::TestProducer quiet(stream);
    live::LiveSession session(fastLiveness(quiet.url()));
    session.start();
    ASSERT_TRUE(livetest::waitUntil([&] { return session.snapshotNow().stats.messagesApplied == 10; }, 5000));
    // over three idle timeouts with nothing but pongs: no reconnect
    EXPECT_FALSE(livetest::waitUntil([&] { return session.snapshotNow().stats.reconnects > 0; }, 2000));
    const live::LiveSnapshot s = session.stop();
    EXPECT_EQ(s.stats.reconnects, 0u) << s.stats.stateText.toStdString();
    EXPECT_EQ(quiet.connectionsAccepted(), 1);
}
