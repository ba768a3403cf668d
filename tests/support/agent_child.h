// SPDX-License-Identifier: MIT
#pragma once
// The real `flight-agent serve` as a child process, for the tests that kill and
// restart it (fault tests, the window's live tests). Header-only: the including
// target defines FLIGHT_AGENT_EXE and depends on flight-agent.

#include "live_test_support.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

#include <csignal>
#include <sys/types.h>

#ifndef FLIGHT_AGENT_EXE
#error "agent_child.h needs FLIGHT_AGENT_EXE (the built flight-agent) from the test target"
#endif

namespace flight::livetest {

// `flight-agent serve ARGS` in a child; start() waits for its "listening on"
// line and returns the URL it prints (empty on failure, with why in error()).
class AgentChild {
public:
    ~AgentChild() { stop(); }

    QUrl start(const QStringList& args, int timeoutMs = 8000)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(QStringLiteral(FLIGHT_AGENT_EXE), QStringList{QStringLiteral("serve")} + args);
        if (!m_process.waitForStarted(5000))
            return {};
        const bool up = livetest::waitUntil(
            [&] { return m_process.canReadLine() || m_process.state() == QProcess::NotRunning; }, timeoutMs);
        if (!up || !m_process.canReadLine())
            return {};
        const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
        static const QRegularExpression listening(QStringLiteral("^listening on (ws://\\S+)$"));
        const auto m = listening.match(line);
        return m.hasMatch() ? QUrl(m.captured(1)) : QUrl();
    }
    QString error() { return QString::fromUtf8(m_process.readAllStandardError()); }
    pid_t pid() const { return static_cast<pid_t>(m_process.processId()); }
    bool running() const { return m_process.state() != QProcess::NotRunning; }

    // SIGKILL, as a crash or the OOM killer would: no clean-up at all.
    void kill9()
    {
        if (running()) {
            ::kill(pid(), SIGKILL);
            m_process.waitForFinished(5000);
        }
    }
    void stop()
    {
        if (running()) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                kill9();
        }
    }
    QProcess& process() { return m_process; }

private:
    QProcess m_process;
};

} // namespace flight::livetest
