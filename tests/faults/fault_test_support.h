// SPDX-License-Identifier: MIT
#pragma once
// Shared by the fault tests: the real `flight-agent serve` as a child process
// (FLIGHT_AGENT_EXE), the real `flight-inspector` (FLIGHT_INSPECTOR_EXE), and
// small readers for /proc figures, and a scripted WebSocket server. Header-only: the tests are one executable.

#include "agent_child.h"
#include "live_test_support.h"
#include "scratch_files.h"

#include "live/client/live_session_options.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStringList>
#include <QTcpSocket>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <csignal>
#include <cstdint>
#include <fstream>
#include <functional>
#include <string>
#include <sys/types.h>

namespace flight::faulttest {

using flight::livetest::AgentChild;

// A live session's options for `url`, retrying after 200 ms (the default
// backoff would outlast a test's wait).
inline live::LiveSessionOptions optionsFor(const QUrl& url)
{
    live::LiveSessionOptions o;
    o.connection.url = url;
    o.connection.backoff.base = std::chrono::milliseconds(200);
    return o;
}

// A /proc/PID/status field in KiB ("VmRSS", "VmHWM"); -1 when unreadable.
inline long procStatusKiB(pid_t pid, const char* field)
{
    std::ifstream in(pid == 0 ? std::string("/proc/self/status") : "/proc/" + std::to_string(pid) + "/status");
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0)
            return std::stol(line.substr(key.size()));
    return -1;
}

// A WebSocket server on a loopback port that hands every client it accepts to
// `onClient`: the producers the tests script (floods, hostile closes, refusals).
class ScriptedServer {
public:
    ScriptedServer(const QString& name, std::function<void(QWebSocket*)> onClient)
        : m_server(name, QWebSocketServer::NonSecureMode)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QWebSocketServer::newConnection, [this, onClient = std::move(onClient)] {
            while (QWebSocket* s = m_server.nextPendingConnection()) {
                ++m_accepted;
                onClient(s);
            }
        });
    }
    // ws://127.0.0.1:PORT then `path`.
    QUrl url(const QString& path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()) + path);
    }
    int accepted() const { return m_accepted; }

private:
    QWebSocketServer m_server;
    int m_accepted = 0;
};

inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A raw TCP "server" answering the WebSocket handshake on `s` (101 with the
// right Sec-WebSocket-Accept), so a test can then send broken frames. True
// once answered (the head is consumed); false while the head is incomplete
// or after it was answered (whatever came since is read and ignored then).
inline bool answerWebSocketHandshake(QTcpSocket* s)
{
    const QByteArray head = s->peek(16 * 1024);
    if (!head.contains("\r\n\r\n") || s->property("answered").toBool()) {
        if (s->property("answered").toBool())
            s->readAll();
        return false;
    }
    s->setProperty("answered", true);
    QByteArray key;
    for (const QByteArray& line : head.split('\n'))
        if (line.toLower().startsWith("sec-websocket-key:"))
            key = line.mid(18).trimmed();
    s->readAll();
    const QByteArray accept =
        QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", QCryptographicHash::Sha1).toBase64();
    s->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Accept: " + accept + "\r\n\r\n");
    return true;
}

// Environment for a child with no display.
inline QProcessEnvironment headlessEnvironment()
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    return env;
}

} // namespace flight::faulttest
