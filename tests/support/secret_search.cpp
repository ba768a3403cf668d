// SPDX-License-Identifier: MIT
#include "secret_search.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

namespace flight::livetest {

QProcessEnvironment isolatedGuiEnvironment(const QString& home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    const QDir dir(home);
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env;
}

QStringList filesHoldingSecrets(const QString& dir, const QList<QByteArray>& secrets, const QStringList& skip,
                                int* filesSearched)
{
    QStringList found;
    int searched = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (skip.contains(path))
            continue;
        ++searched;
        QFile f(path);
        const QByteArray bytes = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        for (const QByteArray& secret : secrets)
            if (bytes.contains(secret))
                found << QStringLiteral("%1 holds %2").arg(path, QString::fromUtf8(secret));
    }
    if (filesSearched)
        *filesSearched = searched;
    return found;
}

} // namespace flight::livetest
