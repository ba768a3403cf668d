// SPDX-License-Identifier: MIT
#include "sessions_page.h"

#include "replay_bar.h"
#include "session_detail.h"
#include "session_table.h"

#include "models/session_list_model.h"

#include "views/compare_page.h"

#include <QFileInfo>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace flight::ui {

SessionsPage::SessionsPage(QWidget* parent)
    : QWidget(parent)
{
    m_table = new SessionTable(this);
    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail = new SessionDetail(m_table->sessions(), [this]() { return m_table->currentModelRow(); }, this);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_problems);

    connect(m_table, &SessionTable::currentSessionChanged, m_detail, &SessionDetail::showCurrent);
    connect(m_detail->replay(), &ReplayBar::playingChanged, this, [this](bool playing) {
        const int current = m_table->currentModelRow();
        if (current >= 0)
            m_table->sessions()->setRowState(current, playing ? tr("replaying") : QString());
    });
    connect(m_table, &SessionTable::sessionClosed, this, &SessionsPage::sessionRemoved);
}

SessionListModel* SessionsPage::model() const
{
    return m_table->sessions();
}

QTableView* SessionsPage::sessionTable() const
{
    return m_table;
}

PressureGauge* SessionsPage::gauge() const
{
    return m_detail->gauge();
}

StatisticsPage* SessionsPage::statistics() const
{
    return m_detail->statistics();
}

void SessionsPage::addRecording(const LoadedRecordingPtr& recording)
{
    if (recording->loadId != 0 && !m_loadIds.insert(recording->loadId).second) {
        updateRecording(recording);
        return;
    }
    m_recordings.push_back(recording);
    model()->addRecording(recording);
    updateCompareSessions();
    m_table->selectFirstIfNone();
    updateProblems();
}

namespace {
// The newest row of live connection `liveId` in `model` (rows are appended), -1 for none;
// `notEnded`: the newest one still live.
int newestLiveRow(const SessionListModel& model, int liveId, bool notEnded)
{
    for (int r = model.rowCount() - 1; r >= 0; --r)
        if (model.row(r).liveId == liveId && !(notEnded && model.row(r).liveEnded))
            return r;
    return -1;
}
} // namespace

void SessionsPage::applyLiveSnapshot(int liveId, const live::LiveSnapshot& snapshot)
{
    const int before = model()->rowCount();
    const bool newConnection = model()->liveRowCount(liveId) == 0;
    // Following the connection's newest session (the demo starts a new one per run)?
    const int current = m_table->currentModelRow();
    const bool followingNewest = current >= 0 && current == newestLiveRow(*model(), liveId, false);
    const qint64 quietBefore = current >= 0 ? model()->row(current).disconnectedSinceMs : 0;
    model()->applyLiveSnapshot(liveId, snapshot);
    if (current >= 0 && current < model()->rowCount() && model()->row(current).disconnectedSinceMs != quietBefore) {
        m_detail->refreshLiveState(); // "Pressure now" no longer holds (or holds again)
        m_gaugeClock.start();
    } else if (current >= 0 && current < model()->rowCount() && model()->row(current).liveId == liveId
               && (!m_gaugeClock.isValid() || m_gaugeClock.elapsed() >= kMinLiveRefreshMs)) {
        // The gauge's "now" follows the snapshots (as the table does), four times a
        // second at most; the timeline follows the views' refresh.
        m_detail->refreshLiveState();
        m_gaugeClock.start();
    }
    if (before == model()->rowCount() && !(followingNewest && model()->row(current).liveEnded))
        return;
    int target = -1;
    if (newConnection) // the user just connected: show it, wherever it sorts
        target = model()->rowCount() > before ? before : -1;
    else if (followingNewest && model()->row(current).liveEnded) // its successor takes over
        target = newestLiveRow(*model(), liveId, true);
    if (target >= 0 && target != current)
        m_table->selectModelRow(target);
    else
        m_table->selectFirstIfNone();
}

void SessionsPage::setLiveRecording(int liveId, const LoadedRecordingPtr& recording)
{
    // The views point into the shown row's copy: keep it alive until they
    // have moved on (the model may let go of it, see setLiveRecording).
    const SessionRow* shown = m_table->currentRow();
    const LoadedRecordingPtr keepShown = shown ? shown->recording : nullptr;
    const QList<int> changed = model()->setLiveRecording(liveId, recording);
    const int current = m_table->currentModelRow();
    if (current < 0 || !changed.contains(current))
        return;
    m_detail->reshowKeepingView(); // the selected live session grew
    updateCompareSessions(true);
}

void SessionsPage::updateRecording(const LoadedRecordingPtr& recording)
{
    const auto old = std::find_if(m_recordings.begin(), m_recordings.end(),
                                  [&](const LoadedRecordingPtr& r) { return r->loadId == recording->loadId; });
    if (old == m_recordings.end())
        return; // the user closed every session of this load meanwhile
    const LoadedRecordingPtr previous = *old; // keeps what the views point into alive until they move on
    *old = recording;
    const int current = m_table->currentModelRow();
    const QList<int> changed = model()->updateRecording(recording);
    if (current >= 0 && changed.contains(current)) {
        if (previous->store == recording->store) // the same sessions, now with their details
            m_detail->showCurrentDetails();
        else // a preview gives way to a later one or to the whole file
            m_detail->reshowKeepingView();
    }
    m_table->selectFirstIfNone();
    updateCompareSessions();
    updateProblems();
}

void SessionsPage::dropIncompleteLoads()
{
    bool dropped = false;
    for (int r = model()->rowCount() - 1; r >= 0; --r) {
        const auto& rec = model()->row(r).recording;
        if (rec && rec->loadId != 0 && rec->stage != LoadStage::Complete) {
            model()->removeSession(r);
            dropped = true;
        }
    }
    if (!dropped)
        return;
    std::erase_if(m_recordings, [](const LoadedRecordingPtr& r) { return r->loadId != 0 && r->stage != LoadStage::Complete; });
    updateCompareSessions();
    updateProblems();
    if (m_table->rowCount() == 0)
        m_detail->showCurrent(); // the empty views
    m_detail->updateLoadingNote();
}

void SessionsPage::setLoadProgress(double fraction)
{
    m_detail->setLoadProgress(fraction);
}

QString SessionsPage::loadingNote() const
{
    return m_detail->loadingNote();
}

QString SessionsPage::pendingNote(const QString& view) const
{
    return m_detail->pendingNote(view);
}

void SessionsPage::clear()
{
    m_detail->clear();
    model()->clear();
    m_recordings.clear();
    m_loadIds.clear();
    updateCompareSessions();
    updateProblems();
}

bool SessionsPage::showView(const QString& name)
{
    return m_detail->showView(name);
}

std::vector<LoadedRecordingPtr> SessionsPage::recordings() const
{
    std::vector<LoadedRecordingPtr> out;
    for (int r = 0; r < model()->rowCount(); ++r) {
        const auto& rec = model()->row(r).recording;
        if (rec && rec->stage == LoadStage::Complete && std::find(out.begin(), out.end(), rec) == out.end())
            out.push_back(rec);
    }
    return out;
}

std::optional<std::pair<double, double>> SessionsPage::selectedRangeSeconds() const
{
    return m_detail->selectedRangeSeconds();
}

int SessionsPage::sessionCount() const
{
    return model()->rowCount();
}

int SessionsPage::currentLiveId() const
{
    const SessionRow* row = m_table->currentRow();
    return row ? row->liveId : -1;
}

bool SessionsPage::selectSession(int row)
{
    return m_table->selectSession(row);
}

void SessionsPage::updateCompareSessions(bool live)
{
    std::vector<SessionRef> refs;
    for (int r = 0; r < model()->rowCount(); ++r) {
        const SessionRow& row = model()->row(r);
        refs.push_back({tr("%1 · %2").arg(row.source, row.sessionId), row.recording, row.sessionIndex});
    }
    m_detail->setCompareSessions(std::move(refs), live);
}

void SessionsPage::updateProblems()
{
    QStringList parts;
    for (const auto& r : m_recordings) {
        const auto& s = *r->store;
        // A compressed recording cut short (its recorder killed, the disk full) loads up to the cut: say so.
        QString cut;
        for (const auto& p : r->read.problems)
            if (p.kind == protocol::ReadProblemKind::CompressedCut)
                cut = QString::fromStdString(p.message);
        const bool clean = s.decodeErrors() == 0 && s.sessionErrors() == 0 && s.warnings() == 0
                           && !r->read.endedMidLine && cut.isEmpty();
        if (clean)
            continue;
        QString text = tr("%1: %L2 decode errors, %L3 session errors, %L4 warnings")
                           .arg(QFileInfo(r->path).fileName())
                           .arg(s.decodeErrors())
                           .arg(s.sessionErrors())
                           .arg(s.warnings());
        if (!cut.isEmpty())
            text += tr(" — %1").arg(cut);
        else if (!s.problems().empty())
            text += tr(" — first: %1").arg(QString::fromStdString(s.problems().front().message));
        parts << text;
    }
    m_problems->setText(parts.join(QLatin1Char('\n')));
    m_problems->setVisible(!parts.isEmpty());
}

bool SessionsPage::closeSelectedSession()
{
    return m_table->closeSelectedSession();
}

bool SessionsPage::closeSession(int row)
{
    return m_table->closeSession(row);
}

void SessionsPage::sessionRemoved(const SessionRow& closed)
{
    // A recording goes when its last session does.
    std::erase_if(m_recordings, [this](const LoadedRecordingPtr& r) {
        for (int i = 0; i < model()->rowCount(); ++i)
            if (model()->row(i).recording == r)
                return false;
        return true;
    });
    updateCompareSessions();
    updateProblems();
    if (m_table->rowCount() == 0)
        m_detail->showCurrent(); // the empty views
    Q_EMIT sessionClosed(closed.source, closed.sessionId, closed.liveId, closed.liveId >= 0 ? model()->liveRowCount(closed.liveId) : 0);
}

} // namespace flight::ui
