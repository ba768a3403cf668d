// SPDX-License-Identifier: MIT
#pragma once
// `flight-agent serve ARGS` as a child process of a benchmark: its stderr goes
// to the benchmark's, start() returns the URL of its "listening on" line (empty
// when it did not start); stopped when destroyed.

#include "child_process.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace flight::bench {

class ChildAgent {
public:
    ~ChildAgent() { stop(); }

    QUrl start(const QString& agent, const QStringList& serveArgs)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(agent, QStringList{QStringLiteral("serve")} + serveArgs);
        if (!m_process.waitForStarted(5000))
            return {};
        while (m_process.waitForReadyRead(5000) || m_process.canReadLine()) {
            if (!m_process.canReadLine())
                continue;
            const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
            if (line.startsWith(QLatin1String("listening on ")))
                return QUrl(line.mid(13));
        }
        return {};
    }
    qint64 pid() const { return m_process.processId(); }
    void stop() { test::stopChild(m_process); }

private:
    QProcess m_process;
};

} // namespace flight::bench
