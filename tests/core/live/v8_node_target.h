// SPDX-License-Identifier: MIT
#pragma once
// A real node process with its inspector on a free loopback port, for the v8
// source tests: started with --inspect=127.0.0.1:0, its port read from the
// "Debugger listening on ws://127.0.0.1:PORT/..." line on stderr; killed (if
// still running) when the object goes.

#include "live_server_test_support.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QUrl>

#include <string>

namespace flight::live::test {

class NodeTarget {
public:
    NodeTarget(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
    {
        process.setProcessEnvironment(env);
        QObject::connect(&process, &QProcess::readyReadStandardError,
                         [this] { stderrText += QString::fromUtf8(process.readAllStandardError()); });
        process.start(QStringLiteral(FLIGHT_NODE_PATH), QStringList{QStringLiteral("--inspect=127.0.0.1:0")} + args);
    }
    ~NodeTarget()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
    NodeTarget(const NodeTarget&) = delete;
    NodeTarget& operator=(const NodeTarget&) = delete;

    // The inspector's port, once node has printed it (0 when it did not in `ms`).
    quint16 waitForPort(int ms = 10000)
    {
        static const QRegularExpression re(QStringLiteral("Debugger listening on ws://127\\.0\\.0\\.1:(\\d+)/"));
        quint16 port = 0;
        livetest::waitUntil([&] {
            const auto m = re.match(stderrText);
            if (m.hasMatch())
                port = static_cast<quint16>(m.captured(1).toUInt());
            return port != 0 || process.state() == QProcess::NotRunning;
        }, ms);
        return port;
    }

    QProcess process;
    QString stderrText;
};

// An agent's first stdout line, "listening on ws://127.0.0.1:PORT": that URL,
// or an empty one (with the line and the agent's stderr in `why`) when the
// agent said something else or nothing within `ms`.
inline QUrl waitForListeningUrl(QProcess& agent, int ms, std::string& why)
{
    livetest::waitUntil([&] { return agent.canReadLine() || agent.state() == QProcess::NotRunning; }, ms);
    const QString first = QString::fromUtf8(agent.readLine()).trimmed();
    const auto match = QRegularExpression(QStringLiteral("^listening on (ws://127\\.0\\.0\\.1:\\d+)$")).match(first);
    if (!match.hasMatch()) {
        why = first.toStdString() + " / " + agent.readAllStandardError().toStdString();
        return {};
    }
    return QUrl(match.captured(1));
}

} // namespace flight::live::test
