// SPDX-License-Identifier: MIT
// Peers that misbehave on purpose, over real loopback sockets: a producer that
// claims a 1 GiB frame, a producer that never finishes the WebSocket handshake,
// and the same two faults against the real `flight-agent serve` from the
// client side. Each is refused within its limit (the client's 16 MiB message
// limit and 10 s handshake timeout, the agent's 64 KiB client-message limit
// and 5 s handshake timeout) while the other connections go on untouched.
#include "fault_test_support.h"

#include "live/client/live_session.h"

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>

#include <QtEndian>

#include <optional>

using namespace flight;
using namespace flight::faulttest;

namespace {

constexpr quint64 kOneGiB = 1ull << 30;

QByteArray acceptKey(const QByteArray& key)
{
    return QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", QCryptographicHash::Sha1).toBase64();
}

// A frame header announcing `length` payload bytes (FIN, text), masked as a
// client must, or not as a server must.
QByteArray frameHeader(quint64 length, bool masked)
{
    QByteArray h;
    h.append(char(0x81));
    h.append(char((masked ? 0x80 : 0x00) | 127));
    char len[8];
    qToBigEndian(length, len);
    h.append(len, 8);
    if (masked)
        h.append("\x11\x22\x33\x44", 4);
    return h;
}

// A raw TCP "producer" on loopback that answers the WebSocket handshake
// correctly, then sends a frame header claiming 1 GiB and 1 MiB of it (Claim1GiB),
// or never answers the handshake at all (Silent).
class RawProducer {
public:
    enum class Mode { Claim1GiB, Silent };
    explicit RawProducer(Mode mode) : m_mode(mode)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                ++m_connections;
                QObject::connect(s, &QTcpSocket::readyRead, [this, s] { onRead(s); });
                QObject::connect(s, &QTcpSocket::disconnected, [this, s] {
                    ++m_closedByPeer;
                    s->deleteLater();
                });
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/live").arg(m_server.serverPort())); }
    int connections() const { return m_connections; }
    int closedByPeer() const { return m_closedByPeer; }

private:
    void onRead(QTcpSocket* s)
    {
        if (m_mode == Mode::Silent)
            return; // read nothing, answer nothing
        if (!answerWebSocketHandshake(s))
            return;
        s->write(frameHeader(kOneGiB, false));
        s->write(QByteArray(1 << 20, 'x')); // the start of it; the rest never comes
    }

    Mode m_mode;
    QTcpServer m_server;
    int m_connections = 0;
    int m_closedByPeer = 0;
};

// The well-behaved client goes on receiving (500 more messages), with no gap
// and no reconnect; it is stopped after.
void expectServedOnWithoutAGap(live::LiveSession& fine)
{
    const std::uint64_t before = fine.snapshotNow().stats.messagesApplied;
    ASSERT_TRUE(livetest::waitUntil([&] { return fine.snapshotNow().stats.messagesApplied > before + 500; }, 4000));
    const live::LiveSnapshot f = fine.stop();
    EXPECT_EQ(f.stats.seqGaps, 0u);
    EXPECT_EQ(f.stats.reconnects, 0u);
}

// A core application for every test, and for the producer-side ones a good
// producer (TestProducer) beside the hostile one: whatever the hostile one
// does, the good one's session gets its whole stream untouched.
class HostilePeer : public ::testing::Test {
protected:
    void SetUp() override { livetest::ensureCoreApp(); }
    // The good producer, serving `sessions` sessions of `messages` messages.
    void serveStream(int sessions, int messages)
    {
        stream = livetest::makeStream(sessions, messages);
        good.emplace(stream);
    }
    ::testing::AssertionResult wholeStreamApplied(live::LiveSession& fine) const
    {
        if (livetest::waitUntil([&] { return fine.snapshotNow().stats.messagesApplied == stream.items.size(); }, 8000))
            return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << fine.snapshotNow().stats.messagesApplied << " of "
                                             << stream.items.size() << " messages applied";
    }
    // Every message, no gap, nothing refused, no reconnect.
    void expectWholeStreamUntouched(const live::LiveSnapshot& f) const
    {
        EXPECT_EQ(f.stats.messagesApplied, stream.items.size());
        EXPECT_EQ(f.stats.seqGaps, 0u);
        EXPECT_EQ(f.stats.oversizedRefused, 0u);
        EXPECT_EQ(f.stats.reconnects, 0u);
    }

    livetest::Stream stream;
    std::optional<livetest::TestProducer> good;
};

TEST_F(HostilePeer, ProducerClaimingA1GiBFrameIsRefusedAndOtherConnectionsGoOn)
{
    RawProducer hostile(RawProducer::Mode::Claim1GiB);
    serveStream(2, 2000);
    const long rssBefore = procStatusKiB(0, "VmRSS");

    live::LiveSession bad(optionsFor(hostile.url()));
    live::LiveSession fine(optionsFor(good->url()));
    bad.start();
    fine.start();
    // refused on the header's claim, each time it is made (the client reconnects with backoff)
    ASSERT_TRUE(livetest::waitUntil([&] { return bad.snapshotNow().stats.oversizedRefused >= 2; }, 8000))
        << bad.snapshotNow().stats.stateText.toStdString();
    ASSERT_TRUE(wholeStreamApplied(fine));
    const long rssAfter = procStatusKiB(0, "VmRSS");
    const live::LiveSnapshot b = bad.stop();
    const live::LiveSnapshot f = fine.stop();

    EXPECT_EQ(b.stats.messagesApplied, 0u);
    EXPECT_EQ(b.stats.connects, b.stats.oversizedRefused) << "every link it came up on was closed for the claim";
    EXPECT_TRUE(b.stats.stateText.contains(QStringLiteral("refused")) || b.stats.state == live::ConnectionState::Closed);
    // The producer's side sees each close once its event loop has run.
    EXPECT_TRUE(livetest::waitUntil([&] { return hostile.closedByPeer() >= 2; }, 4000))
        << "the client closed the hostile links itself: " << hostile.closedByPeer();
    // The 1 GiB was never allocated (nor the 1 MiB sent waited for).
    EXPECT_LT(rssAfter - rssBefore, 64 * 1024) << rssBefore << " -> " << rssAfter << " KiB";
    expectWholeStreamUntouched(f); // the other connection
}

TEST_F(HostilePeer, ProducerThatNeverFinishesTheHandshakeIsDroppedAfterTheTimeout)
{
    RawProducer silent(RawProducer::Mode::Silent);
    serveStream(1, 3000);

    live::LiveSessionOptions o = optionsFor(silent.url());
    o.connection.handshakeTimeout = std::chrono::milliseconds(500); // default 10 s: same path, slower
    live::LiveSession stuck(o);
    live::LiveSession fine(optionsFor(good->url()));
    QStringList texts;
    QObject::connect(&stuck, &live::LiveSession::stateChanged,
                     [&](live::ConnectionState, const QString& t) { texts << t; });
    QElapsedTimer clock;
    clock.start();
    stuck.start();
    fine.start();
    ASSERT_TRUE(livetest::waitUntil([&] { return silent.connections() >= 2; }, 5000)) << "dropped, then retried";
    EXPECT_GE(clock.elapsed(), 500);
    ASSERT_TRUE(wholeStreamApplied(fine));
    const live::LiveSnapshot s = stuck.stop();
    const live::LiveSnapshot f = fine.stop();
    EXPECT_EQ(s.stats.connects, 0u);
    EXPECT_GE(s.stats.attempts, 2u);
    EXPECT_TRUE(texts.join(u'\n').contains(QStringLiteral("no handshake within 500 ms"))) << texts.join(u'\n').toStdString();
    expectWholeStreamUntouched(f);
}

TEST_F(HostilePeer, AgentServesOthersWhileClientsNeverHandshakeAndDropsThemAfterFiveSeconds)
{
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "demo:dreamcast", "--rate", "2000"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    // one says nothing, one stops in the middle of its request head
    QTcpSocket mute, halfway;
    for (QTcpSocket* s : {&mute, &halfway}) {
        s->connectToHost(QHostAddress::LocalHost, static_cast<quint16>(url.port()));
        ASSERT_TRUE(s->waitForConnected(3000));
    }
    halfway.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
    halfway.flush();
    QElapsedTimer clock;
    clock.start();

    live::LiveSession fine(optionsFor(url));
    fine.start();
    ASSERT_TRUE(livetest::waitUntil([&] { return fine.snapshotNow().stats.messagesApplied >= 1000; }, 4000))
        << "the agent serves a real client while two sockets hang in their handshake";
    EXPECT_LT(clock.elapsed(), 4500);
    EXPECT_EQ(mute.state(), QAbstractSocket::ConnectedState);
    EXPECT_EQ(halfway.state(), QAbstractSocket::ConnectedState);
    // the agent drops both at its 5 s handshake timeout
    ASSERT_TRUE(livetest::waitUntil([&] {
        return mute.state() == QAbstractSocket::UnconnectedState && halfway.state() == QAbstractSocket::UnconnectedState;
    }, 8000));
    EXPECT_GE(clock.elapsed(), 4500);
    EXPECT_LT(clock.elapsed(), 7500);
    expectServedOnWithoutAGap(fine);
    EXPECT_TRUE(agent.running());
}

TEST_F(HostilePeer, AgentRefusesAClientFrameClaiming1GiBAndOthersGoOn)
{
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "demo:psp", "--rate", "2000"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    live::LiveSession fine(optionsFor(url));
    fine.start();
    ASSERT_TRUE(livetest::waitUntil([&] { return fine.snapshotNow().stats.messagesApplied >= 200; }, 4000));

    // a client that does the handshake properly, then claims a 1 GiB frame
    QTcpSocket rogue;
    rogue.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(url.port()));
    ASSERT_TRUE(rogue.waitForConnected(3000));
    rogue.write(QStringLiteral("GET / HTTP/1.1\r\nHost: 127.0.0.1:%1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .arg(url.port())
                    .toLatin1());
    QByteArray answer;
    ASSERT_TRUE(livetest::waitUntil([&] {
        answer += rogue.readAll();
        return answer.contains("\r\n\r\n");
    }, 3000));
    ASSERT_TRUE(answer.startsWith("HTTP/1.1 101")) << answer.left(200).toStdString();
    EXPECT_TRUE(answer.contains(acceptKey("dGhlIHNhbXBsZSBub25jZQ==")));
    rogue.write(frameHeader(kOneGiB, true));
    rogue.write(QByteArray(256 * 1024, 'y'));
    QElapsedTimer clock;
    clock.start();
    ASSERT_TRUE(livetest::waitUntil([&] {
        rogue.readAll();
        return rogue.state() == QAbstractSocket::UnconnectedState;
    }, 5000)) << "the agent closes the link on the claim";
    EXPECT_LT(clock.elapsed(), 3000);

    expectServedOnWithoutAGap(fine);
    EXPECT_TRUE(agent.running());
    const long agentRss = procStatusKiB(agent.pid(), "VmHWM");
    EXPECT_GT(agentRss, 0);
    EXPECT_LT(agentRss, 256 * 1024) << "the agent's peak RSS stays far below the 1 GiB claimed (KiB)";
}

} // namespace
