// SPDX-License-Identifier: MIT
#include "inspector_run.h"

#include <QProcess>

namespace flight::apptest {

QProcessEnvironment headlessEnvironment()
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    return env;
}

ToolRun run(const QString& program, const QStringList& args, int timeoutMs, const QString& workingDirectory)
{
    QProcess p;
    p.setProcessEnvironment(headlessEnvironment());
    if (!workingDirectory.isEmpty())
        p.setWorkingDirectory(workingDirectory);
    p.start(program, args);
    p.waitForFinished(timeoutMs);
    return {p.exitCode(), p.readAllStandardOutput(), QString::fromUtf8(p.readAllStandardError())};
}

ToolRun inspector(const QString& subcommand, const QStringList& args, int timeoutMs, const QString& workingDirectory)
{
    return run(QStringLiteral(FLIGHT_INSPECTOR_EXE), QStringList{subcommand} + args, timeoutMs, workingDirectory);
}

QString conformance(const char* name)
{
    return QStringLiteral(FLIGHT_TEST_DATA "/conformance/") + QLatin1String(name);
}

QString sample(const char* name)
{
    return QStringLiteral(FLIGHT_TEST_DATA "/../../resources/recordings/") + QLatin1String(name);
}

} // namespace flight::apptest
