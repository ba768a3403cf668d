// SPDX-License-Identifier: MIT
#pragma once
// Shared by the tracer tests: `flight-agent run -- PROGRAM` as a child, a live
// client that applies what it receives to a SessionStore as the window does,
// and finding a traced process's session.

#include "model/memory_purpose.h"
#include "model/session_model.h"
#include "protocol/session_store.h"

#include "live_test_support.h"

#include <QProcess>
#include <QRegularExpression>
#include <QWebSocket>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flight::tracertest {

inline MemoryPurpose purpose(std::string_view name)
{
    return MemoryPurpose::fromName(name);
}

// flight-agent run ARGS -- PROGRAM...; finished() waits for it.
struct TracedRun {
    QProcess agent;
    QUrl url;

    void start(const QStringList& options, const QStringList& program)
    {
        agent.start(QStringLiteral(FLIGHT_AGENT_EXE),
                    QStringList{"run", "--listen", "127.0.0.1:0", "--interval", "50"} + options + QStringList{"--"} + program);
        ASSERT_TRUE(agent.waitForStarted(5000));
        livetest::waitUntil([&] { return agent.canReadLine() || agent.state() == QProcess::NotRunning; }, 10000);
        const QString first = QString::fromUtf8(agent.readLine()).trimmed();
        const auto m = QRegularExpression(QStringLiteral("^listening on (ws://\\S+)$")).match(first);
        ASSERT_TRUE(m.hasMatch()) << first.toStdString() << " / " << agent.readAllStandardError().toStdString();
        url = QUrl(m.captured(1));
    }
    // The agent's exit code once it has ended with the program.
    int finished()
    {
        EXPECT_TRUE(agent.waitForFinished(60000)) << "the agent ends with the program";
        stderrText = QString::fromUtf8(agent.readAllStandardError()).toStdString();
        return agent.exitStatus() == QProcess::NormalExit ? agent.exitCode() : -1;
    }
    std::string stderrText;
};

// A live client: every message applied to a store, as the window's would be.
struct LiveClient {
    QWebSocket socket;
    protocol::SessionStore store;
    std::uint64_t frames = 0;
    bool closed = false;

    explicit LiveClient(const QUrl& url)
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString& text) {
            const QByteArray utf8 = text.toUtf8();
            store.ingest(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())), ++frames);
        });
        QObject::connect(&socket, &QWebSocket::disconnected, [this] { closed = true; });
        socket.open(url);
    }
};

inline const SessionModel* onlySessionOf(const protocol::SessionStore& store, std::string_view prefix)
{
    const SessionModel* found = nullptr; // null too when two match
    for (std::size_t i = 0; i < store.sessionCount(); ++i)
        if (store.session(i).info().sessionId.starts_with(prefix)) {
            if (found)
                return nullptr;
            found = &store.session(i);
        }
    return found;
}

inline std::vector<const SessionModel*> sessionsOf(const protocol::SessionStore& store)
{
    std::vector<const SessionModel*> all;
    for (std::size_t i = 0; i < store.sessionCount(); ++i)
        all.push_back(&store.session(i));
    return all;
}

} // namespace flight::tracertest
