// SPDX-License-Identifier: MIT
#include "live_memory_actions.h"

#include "live_connections.h"
#include "sessions/sessions_page.h"

#include <QDateTime>
#include <QFileDialog>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>

namespace flight::ui {

LiveMemoryActions::LiveMemoryActions(LiveConnections* live, SessionsPage* sessions, QMainWindow* window)
    : QObject(window), m_live(live), m_sessions(sessions), m_window(window)
{
    connect(m_live, &LiveConnections::saved, this, [this](int, const QString& path, const QString& summary) {
        m_window->statusBar()->showMessage(tr("Saved %1: %2").arg(path, summary), 10000);
    });
}

void LiveMemoryActions::addTo(QMenu* menu)
{
    QAction* save = menu->addAction(tr("Save &Last Minutes of Live Session…"), this, &LiveMemoryActions::saveLastMinutes);
    save->setStatusTip(tr("Write the recent window of a live session as a recording"));
    QAction* policy = menu->addAction(tr("Live &Memory Policy…"), this, &LiveMemoryActions::choosePolicy);
    policy->setStatusTip(tr("How long live sessions keep full detail in memory (the recording keeps everything)"));
}

void LiveMemoryActions::saveLastMinutes()
{
    const QList<int> ids = m_live->ids();
    if (ids.isEmpty()) {
        m_window->statusBar()->showMessage(tr("No live session to save: connect or start the demo first."), 8000);
        return;
    }
    const int id = ids.contains(m_sessions->currentLiveId()) ? m_sessions->currentLiveId() : ids.back();
    const int fullMinutes =
        static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(m_live->retention().fullDetail).count());
    bool ok = false;
    const int minutes = QInputDialog::getInt(m_window, tr("Save Last Minutes"),
                                             tr("Minutes to save (full detail is kept for the last %n minute(s)):",
                                                nullptr, fullMinutes),
                                             std::min(5, std::max(1, fullMinutes)), 1, 24 * 60, 1, &ok);
    if (!ok)
        return;
    const QString suggested = QStringLiteral("%1/last-%2-min-%3.jsonl.zst")
                                  .arg(LiveConnections::recordingsFolder())
                                  .arg(minutes)
                                  .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss")));
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Save Last %n Minute(s)", nullptr, minutes), suggested,
                                                      tr("Recordings (*.jsonl *.jsonl.zst)"));
    if (path.isEmpty())
        return;
    m_live->saveRecent(id, std::chrono::minutes(minutes), path);
}

void LiveMemoryActions::choosePolicy()
{
    RetentionPolicy policy = m_live->retention();
    bool ok = false;
    const int minutes = QInputDialog::getInt(
        m_window, tr("Live Memory Policy"),
        tr("Keep full detail in memory for the last N minutes of each live session;\n"
           "before that, a usage history with its peaks. The recording keeps everything.\n"
           "Applies to connections made from now on. Now: %1.")
            .arg(QString::fromStdString(policy.describe())),
        static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(policy.fullDetail).count()), 1, 7 * 24 * 60, 1,
        &ok);
    if (!ok)
        return;
    policy.fullDetail = std::chrono::minutes(minutes);
    m_live->setRetention(policy);
    m_window->statusBar()->showMessage(tr("Live sessions: %1").arg(QString::fromStdString(policy.describe())), 8000);
}

} // namespace flight::ui
