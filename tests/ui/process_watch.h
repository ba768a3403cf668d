// SPDX-License-Identifier: MIT
#pragma once
// What a test sees of processes the inspector starts, from /proc: its
// children by name, and whether one still runs (a zombie does not).

#include <QDir>
#include <QFile>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace flight::uitest {

// Child processes of `pid` named `name`, from /proc.
inline QList<qint64> childrenNamed(qint64 pid, const QString& name)
{
    QList<qint64> out;
    for (const QString& entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const qint64 child = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(child));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QString line = QString::fromLatin1(stat.readAll());
        const auto close = line.lastIndexOf(QLatin1Char(')'));
        const QString comm = line.mid(line.indexOf(QLatin1Char('(')) + 1, close - line.indexOf(QLatin1Char('(')) - 1);
        const QStringList rest = line.mid(close + 2).split(QLatin1Char(' '));
        if (rest.size() > 1 && rest[1].toLongLong() == pid && comm == name)
            out << child;
    }
    return out;
}

inline bool running(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QString line = QString::fromLatin1(stat.readAll());
    return !line.mid(line.lastIndexOf(QLatin1Char(')')) + 2).startsWith(QLatin1Char('Z'));
}

// The command line of process `pid` (arguments joined by spaces; empty once it is gone).
inline QString commandLineOf(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(f.readAll()).replace(QLatin1Char('\0'), QLatin1Char(' ')).trimmed();
}

// Starts the real inspector (`exe`) on the offscreen platform with `home` as its
// HOME (settings, recordings), so a test's run touches nothing of the user's.
inline bool startInspector(QProcess& inspector, const QString& exe, const QString& home, const QStringList& args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("HOME"), home);
    inspector.setProcessEnvironment(env);
    inspector.start(exe, args);
    return inspector.waitForStarted(5000);
}

} // namespace flight::uitest
