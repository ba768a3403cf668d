// SPDX-License-Identifier: MIT
// A resume that names thousands of sessions (docs/reliability.md, "Trust at
// the edges", client): a client holding the seqs of 2,000 sessions with
// 40-character ids needs a ~100 KB `since`, over the agent's 64 KiB limit for
// client messages; here 1,000 sessions with 80-character ids (the agent of
// today takes seconds to deliver thousands of sessions, issue #15 item 1). The client splits it in parts ("more":true), so the real
// agent takes it: after the link is cut (a TCP relay in this test drops it)
// the client resumes with nothing resent and nothing refused. And a server
// that refuses every link before its first frame is backed off from and
// given up on with a final error naming the refusal.
#include "fault_test_support.h"

#include "live/client/live_session.h"

#include <gtest/gtest.h>

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace flight;
using namespace flight::faulttest;

namespace {

// Forwards TCP connections on its own port to `target`; cut() drops them all.
class TcpRelay {
public:
    explicit TcpRelay(quint16 target) : m_target(target)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket* in = m_server.nextPendingConnection()) {
                auto* out = new QTcpSocket(in);
                QObject::connect(in, &QTcpSocket::readyRead, out, [in, out] { out->write(in->readAll()); });
                QObject::connect(out, &QTcpSocket::readyRead, in, [in, out] { in->write(out->readAll()); });
                QObject::connect(out, &QTcpSocket::connected, out, [in, out] { out->write(in->readAll()); });
                QObject::connect(in, &QTcpSocket::disconnected, in, [in] { in->deleteLater(); });
                QObject::connect(out, &QTcpSocket::disconnected, in, [in] { in->abort(); });
                out->connectToHost(QHostAddress::LocalHost, m_target);
                m_open.append(in);
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server.serverPort())); }
    void cut()
    {
        for (const QPointer<QTcpSocket>& s : m_open)
            if (s)
                s->abort();
        m_open.clear();
    }

private:
    quint16 m_target;
    QTcpServer m_server;
    QList<QPointer<QTcpSocket>> m_open;
};

// `sessions` open sessions with 80-character ids, two messages each.
QString writeManySessions(const QString& dir, int sessions)
{
    const QString path = dir + QStringLiteral("/many.jsonl");
    std::string text;
    for (int i = 0; i < sessions; ++i) {
        char id[96];
        std::snprintf(id, sizeof id, "build-vm-%071d", i); // 80 characters
        text += std::string(R"({"type":"session_started","sessionId":")") + id
                + R"(","platform":"dreamcast","timestamp":1764000000000})" + "\n";
        text += std::string(R"({"type":"marker","sessionId":")") + id + R"(","timestamp":1764000000001,"label":"up"})"
                + "\n";
    }
    EXPECT_TRUE(test::writeFile(path.toStdString(), text)) << path.toStdString();
    return path;
}

} // namespace

TEST(ResumeManySessions, SinceOverTheAgentsLimitIsSentInPartsAndTheAgentResumesWithNothingResent)
{
    livetest::ensureCoreApp();
    QTemporaryDir dir;
    constexpr int kSessions = 1000;
    const QString file = writeManySessions(dir.path(), kSessions);
    AgentChild agent;
    // the replay's sessions stay open in the agent; a slow demo keeps it running after the replay ends
    const QUrl agentUrl = agent.start({"--listen", "127.0.0.1:0", "--source", "replay:" + file, "--speed", "1000",
                                       "--source", "demo:dreamcast", "--rate", "5"});
    ASSERT_TRUE(agentUrl.isValid()) << agent.error().toStdString();
    TcpRelay relay(static_cast<quint16>(agentUrl.port()));

    live::LiveSessionOptions o;
    o.connection.url = relay.url();
    o.connection.backoff.base = std::chrono::milliseconds(100);
    live::LiveSession session(o);
    session.start();
    const auto replayedWhole = [](const live::LiveSnapshot& snap) {
        int whole = 0;
        for (const auto& f : snap.sessions)
            whole += f.sessionId.starts_with("build-vm-") && f.markers == 1 ? 1 : 0;
        return whole;
    };
    // Every replayed session whole, and the demo's session started too (it may
    // come after the replay, which runs at 1000x).
    ASSERT_TRUE(livetest::waitUntil(
        [&] {
            const live::LiveSnapshot snap = session.snapshotNow();
            return replayedWhole(snap) == kSessions && snap.sessions.size() == static_cast<std::size_t>(kSessions) + 1;
        },
        30000))
        << replayedWhole(session.snapshotNow()) << " whole, " << session.snapshotNow().sessions.size() << " sessions";
    const QString whole = session.subscribeMessage();
    EXPECT_GT(whole.toUtf8().size(), 64 * 1024) << "the scenario: over the agent's 64 KiB (90,101 bytes)";

    relay.cut();
    ASSERT_TRUE(livetest::waitUntil([&] {
        const auto st = session.snapshotNow().stats;
        return st.reconnects == 1 && st.state == live::ConnectionState::Connected;
    }, 10000)) << session.snapshotNow().stats.stateText.toStdString();
    // the agent took the since: after the hello, nothing is resent; a refused
    // subscribe would have closed the link (1009) and reconnected again
    const std::uint64_t framesAfter = session.snapshotNow().stats.framesReceived;
    livetest::waitUntil([&] { return session.snapshotNow().stats.framesReceived > framesAfter; }, 1500);
    const live::LiveSnapshot s = session.stop();
    EXPECT_EQ(s.stats.reconnects, 1u) << s.stats.stateText.toStdString();
    EXPECT_EQ(replayedWhole(s), kSessions);
    EXPECT_EQ(s.stats.duplicatesDropped, 0u) << "since ignored: the agent resent what the client held";
    EXPECT_EQ(s.stats.seqGaps, 0u);
    EXPECT_EQ(s.stats.oversizedRefused, 0u);
    EXPECT_EQ(s.sessions.size(), static_cast<std::size_t>(kSessions) + 1) << "and the demo's";
}

namespace {

// Closes the link at the client's subscribe, before sending anything (a
// server that is full, or refuses what the client asks).
void closeAtSubscribe(QWebSocket* s)
{
    QObject::connect(s, &QWebSocket::textMessageReceived, s, [s](const QString&) {
        s->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("no room for you"));
    });
    QObject::connect(s, &QWebSocket::disconnected, s, &QObject::deleteLater);
}

} // namespace

TEST(ResumeManySessions, TheSameRefusalRepeatedBacksOffAndEndsInAFinalError)
{
    livetest::ensureCoreApp();
    ScriptedServer server(QStringLiteral("refusing"), closeAtSubscribe); // accepts the handshake
    live::LiveSessionOptions o;
    o.connection.url = server.url();
    o.connection.backoff.base = std::chrono::milliseconds(50);
    o.connection.backoff.jitter = 0.0;
    live::LiveSession session(o);
    QStringList texts;
    QObject::connect(&session, &live::LiveSession::stateChanged,
                     [&](live::ConnectionState, const QString& t) { texts << t; });
    session.start();
    ASSERT_TRUE(livetest::waitUntil(
        [&] { return session.snapshotNow().stats.state == live::ConnectionState::Error; }, 10000))
        << texts.join(u'\n').toStdString();
    const live::LiveSnapshot s = session.stop();
    EXPECT_EQ(s.stats.connects, 5u) << "maxRepeatedRefusals";
    EXPECT_EQ(server.accepted(), 5);
    EXPECT_TRUE(s.stats.stateText.contains(QStringLiteral("refused 5 times in a row, giving up")))
        << s.stats.stateText.toStdString();
    const QString all = texts.join(u'\n');
    // backed off like failed attempts (50, 100, 200, 400 ms), not reset by each handshake
    for (const char* delay : {"reconnecting in 50 ms", "reconnecting in 100 ms", "reconnecting in 200 ms",
                              "reconnecting in 400 ms"})
        EXPECT_TRUE(all.contains(QLatin1String(delay))) << delay << "\n" << all.toStdString();
}
