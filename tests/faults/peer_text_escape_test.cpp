// SPDX-License-Identifier: MIT
// Terminal escape sequences from a peer never reach the terminal
// (docs/reliability.md, "Trust at the edges", client): a real WebSocket
// server on loopback closes every link with a reason holding ESC[2J ESC[31m,
// BEL and CR; `flight-inspector capture` prints that reason on stderr with
// the control characters escaped (protocol::printableText), and so does the
// live connection's state text the window shows.
#include "fault_test_support.h"

#include "live/client/live_session.h"

#include <gtest/gtest.h>

#include <QTemporaryDir>

using namespace flight;
using namespace flight::faulttest;

namespace {

const QString kHostileReason = QStringLiteral("\x1b[2J\x1b[31mowned\x07\rcapture: all fine \u202e");

// Sends each client one hello and closes it with kHostileReason.
void helloThenHostileClose(QWebSocket* s)
{
    s->sendTextMessage(QStringLiteral(R"({"type":"hello","protocol":"flight-memory/1","server":"x"})"));
    s->close(QWebSocketProtocol::CloseCodeGoingAway, kHostileReason);
    QObject::connect(s, &QWebSocket::disconnected, s, &QObject::deleteLater);
}

bool holdsControlCharacter(const QByteArray& bytes)
{
    for (const char c : bytes)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f)
            return true;
    return bytes.contains("\xe2\x80\xae"); // U+202E, right-to-left override
}

} // namespace

TEST(PeerText, CloseReasonWithEscapeSequencesIsPrintedEscaped)
{
    livetest::ensureCoreApp();
    ScriptedServer server(QStringLiteral("hostile"), helloThenHostileClose);
    QTemporaryDir dir;
    QProcess capture;
    capture.setProcessEnvironment(headlessEnvironment());
    capture.start(QStringLiteral(FLIGHT_INSPECTOR_EXE),
                  {QStringLiteral("capture"), server.url(QStringLiteral("/live")).toString(), QStringLiteral("-o"),
                   dir.filePath(QStringLiteral("x.jsonl")), QStringLiteral("--duration"), QStringLiteral("1.5")});
    ASSERT_TRUE(capture.waitForStarted(5000));
    ASSERT_TRUE(livetest::waitUntil([&] { return capture.state() == QProcess::NotRunning; }, 10000));
    const QByteArray err = capture.readAllStandardError();
    EXPECT_GE(server.accepted(), 1);
    EXPECT_TRUE(err.contains(R"(\x1b[2J\x1b[31mowned\x07\rcapture: all fine \u{202e})")) << err.toStdString();
    EXPECT_FALSE(holdsControlCharacter(err)) << "raw control characters on stderr: " << err.toStdString();
}

TEST(PeerText, LiveStateTextShownByTheWindowHoldsNoControlCharacter)
{
    livetest::ensureCoreApp();
    ScriptedServer server(QStringLiteral("hostile"), helloThenHostileClose);
    live::LiveSessionOptions o;
    o.connection.url = server.url(QStringLiteral("/live"));
    live::LiveSession session(o);
    QStringList texts;
    QObject::connect(&session, &live::LiveSession::stateChanged,
                     [&](live::ConnectionState, const QString& t) { texts << t; });
    session.start();
    ASSERT_TRUE(livetest::waitUntil([&] { return texts.join(u'\n').contains(QStringLiteral("owned")); }, 5000))
        << texts.join(u'\n').toStdString();
    session.stop();
    for (const QString& t : texts)
        EXPECT_FALSE(holdsControlCharacter(t.toUtf8())) << t.toStdString();
}
