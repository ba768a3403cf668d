// SPDX-License-Identifier: MIT
#include "recent_files.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace flight::ui {
namespace {
const char* const kKey = "recentFiles";
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent)
    : QObject(parent)
    , m_menu(menu)
{
    rebuildMenu();
}

QStringList RecentFiles::files() const
{
    return QSettings().value(QLatin1String(kKey)).toStringList();
}

void RecentFiles::add(const QStringList& paths)
{
    QStringList list = files();
    for (const QString& p : paths) {
        const QString absolute = QFileInfo(p).absoluteFilePath();
        list.removeAll(absolute);
        list.prepend(absolute);
    }
    while (list.size() > kMaxFiles)
        list.removeLast();
    QSettings().setValue(QLatin1String(kKey), list);
    rebuildMenu();
}

void RecentFiles::remove(const QString& path)
{
    QStringList list = files();
    if (list.removeAll(QFileInfo(path).absoluteFilePath()) == 0)
        return;
    QSettings().setValue(QLatin1String(kKey), list);
    rebuildMenu();
}

void RecentFiles::clear()
{
    QSettings().remove(QLatin1String(kKey));
    rebuildMenu();
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    const QStringList list = files();
    int n = 0;
    for (const QString& path : list) {
        ++n;
        QAction* a = m_menu->addAction(QStringLiteral("&%1 %2").arg(n % 10).arg(QFileInfo(path).fileName()));
        a->setToolTip(path);
        a->setStatusTip(path);
        connect(a, &QAction::triggered, this, [this, path]() { Q_EMIT fileChosen(path); });
    }
    if (list.isEmpty()) {
        m_menu->addAction(tr("No recent recordings"))->setEnabled(false);
        return;
    }
    m_menu->addSeparator();
    m_menu->addAction(tr("Clear List"), this, &RecentFiles::clear);
}

} // namespace flight::ui
