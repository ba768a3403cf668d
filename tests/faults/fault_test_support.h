// SPDX-License-Identifier: MIT
#pragma once
// Shared by the fault tests: the real `flight-agent serve` as a child process
// (FLIGHT_AGENT_EXE), the real `flight-inspector` (FLIGHT_INSPECTOR_EXE), and
// small readers for /proc figures. Header-only: the tests are one executable.

#include "live_test_support.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

#include <csignal>
#include <cstdint>
#include <fstream>
#include <string>
#include <sys/types.h>

namespace flight::faulttest {

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

inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(bytes);
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
