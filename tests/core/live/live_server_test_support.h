// SPDX-License-Identifier: MIT
#pragma once
// Shared by the live server tests: a real QWebSocket client that decodes what
// it receives, and timed recordings. The event loop and its waits are
// live_test_support.h's (ensureCoreApp, waitUntil).

#include "protocol/message_decoder.h"
#include "protocol/message_encoder.h"

#include "live_test_support.h"

#include <QCoreApplication>
#include <QFile>
#include <QNetworkRequest>
#include <QProcess>
#include <QUrl>
#include <QWebSocket>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flight::live::test {

// The unit the source tests state their memory figures in.
inline constexpr std::uint64_t kMiB = 1024u * 1024u;

struct Received {
    std::vector<std::uint64_t> seqs;   // in arrival order
    std::vector<std::string> bodies;   // canonical encoding with seq removed

    bool anyBodyHas(std::string_view text) const
    {
        return std::ranges::any_of(bodies, [&](const std::string& b) { return b.find(text) != std::string::npos; });
    }
};

// The flight-agent binary (FLIGHT_AGENT_SERVE_PATH) run with `args` until it
// ends, at most `ms`: its exit code and stderr, for what it refuses to do.
inline std::pair<int, QString> runAgentBinary(const QStringList& args, int ms)
{
    QProcess p;
    p.start(QStringLiteral(FLIGHT_AGENT_SERVE_PATH), args);
    p.waitForFinished(ms);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
}

class TestClient {
public:
    TestClient()
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString& text) {
            const QByteArray utf8 = text.toUtf8();
            ++frames;
            auto r = decoder.decode(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())), frames);
            if (!r || !*r) {
                ++bad;
                return;
            }
            protocol::Message m = **r;
            if (m.as<protocol::HelloMsg>()) {
                ++hellos;
                return;
            }
            const std::string sid(m.sessionId());
            Received& rec = sessions[sid];
            rec.seqs.push_back(m.seq.value_or(0));
            m.seq.reset();
            rec.bodies.push_back(protocol::encode(m));
            ++messages;
        });
        QObject::connect(&socket, &QWebSocket::connected, [this] { connected = true; });
        QObject::connect(&socket, &QWebSocket::disconnected, [this] { closed = true; });
    }

    void open(const QUrl& url, const QByteArray& token = {})
    {
        QNetworkRequest request(url);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        socket.open(request);
    }
    bool waitConnected(int ms = 3000)
    {
        return livetest::waitUntil([this] { return connected || closed; }, ms) && connected;
    }
    void send(const QString& text) { socket.sendTextMessage(text); }
    std::size_t count(const std::string& sid) const
    {
        const auto it = sessions.find(sid);
        return it == sessions.end() ? 0 : it->second.seqs.size();
    }

    QWebSocket socket;
    protocol::MessageDecoder decoder;
    std::map<std::string, Received> sessions;
    std::uint64_t frames = 0;
    std::uint64_t messages = 0;
    std::uint64_t hellos = 0;
    std::uint64_t bad = 0;
    bool connected = false;
    bool closed = false;
};

// A recording of session `sid`: a header line, session_started at 0, then
// `updates` memory_update messages `stepMs` apart by receivedAt (update i uses
// i * 10 MB of 512 MB). Its span is updates * stepMs.
inline QString writeTimedRecording(const QString& path, const char* sid, int updates, int stepMs)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly)) << path.toStdString();
    f.write("{\"type\":\"recording\",\"format\":\"flight-memory-recording/1\",\"createdAt\":1764000000000,"
            "\"source\":\"ws://x\",\"application\":\"t\"}\n");
    f.write(QStringLiteral("{\"type\":\"session_started\",\"sessionId\":\"%1\",\"platform\":\"v6r-small\","
                           "\"timestamp\":1764000000000,\"seq\":1,\"receivedAt\":1764000000000}\n")
                .arg(QLatin1String(sid))
                .toUtf8());
    for (int i = 1; i <= updates; ++i)
        f.write(QStringLiteral("{\"type\":\"memory_update\",\"sessionId\":\"%4\",\"timestamp\":%1,\"usage\":\"%2MB\","
                               "\"total\":\"512MB\",\"seq\":%3,\"receivedAt\":%1}\n")
                    .arg(1764000000000 + static_cast<qint64>(i) * stepMs)
                    .arg(i * 10)
                    .arg(i + 1)
                    .arg(QLatin1String(sid))
                    .toUtf8());
    return path;
}

// 1..n
inline std::vector<std::uint64_t> iota1(std::uint64_t from, std::uint64_t to)
{
    std::vector<std::uint64_t> v;
    for (std::uint64_t i = from; i <= to; ++i)
        v.push_back(i);
    return v;
}

} // namespace flight::live::test
