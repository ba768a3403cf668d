// SPDX-License-Identifier: MIT
#include "sessions_page.h"

#include "allocations_page.h"
#include "budgets_page.h"
#include "compare_page.h"
#include "event_list_model.h"
#include "events_page.h"
#include "pending_view.h"
#include "pressure_gauge.h"
#include "replay_bar.h"
#include "session_list_model.h"
#include "statistics_page.h"
#include "table_column_fitter.h"
#include "timeline_navigation.h"
#include "timeline_view.h"

#include "size_format.h"
#include "reports/text_report.h"

#include <QAction>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTabWidget>
#include <QVBoxLayout>

namespace flight::ui {

SessionsPage::SessionsPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new SessionListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SessionListModel::SortRole);

    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->sortByColumn(SessionListModel::Source, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    // Room for a few sessions above the views, whatever the splitter does.
    m_table->setMinimumHeight(m_table->verticalHeader()->defaultSectionSize() * 4 + m_table->horizontalHeader()->sizeHint().height() + 4);
    // Live figures change many times a second: columns follow them, the source takes the spare width.
    m_columns = new TableColumnFitter(m_table, SessionListModel::Source);
    for (const int c : {SessionListModel::Used, SessionListModel::Total, SessionListModel::Peak})
        m_columns->setWidestText(c, QStringLiteral("8888.8 MiB"));
    setUpCloseSession();

    m_report = new QPlainTextEdit(this);
    m_report->setReadOnly(true);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setPlaceholderText(tr("Select a session to see its memory report."));

    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_timeline = new TimelineView(this);
    m_gauge = new PressureGauge(this);
    auto* timelineSplit = new QSplitter(Qt::Horizontal, this);
    timelineSplit->addWidget(m_timeline);
    timelineSplit->addWidget(m_gauge);
    timelineSplit->setStretchFactor(0, 4);
    timelineSplit->setStretchFactor(1, 1);
    m_gauge->setMaximumWidth(320);

    m_replay = new ReplayBar(this);
    m_statistics = new StatisticsPage(this);
    m_events = new EventsPage(this);

    m_allocations = new AllocationsPage(this);
    m_budgets = new BudgetsPage(this);
    m_compare = new ComparePage(this);
    m_pendingStatistics = new PendingView(m_statistics, this);
    m_pendingEvents = new PendingView(m_events, this);
    m_pendingAllocations = new PendingView(m_allocations, this);
    m_pendingBudgets = new PendingView(m_budgets, this);
    m_pendingReport = new PendingView(m_report, this);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(timelineSplit, tr("&Timeline"));
    m_tabs->addTab(m_pendingStatistics, tr("&Statistics"));
    m_tabs->addTab(m_pendingEvents, tr("&Events"));
    m_tabs->addTab(m_pendingAllocations, tr("&Allocations"));
    m_tabs->addTab(m_pendingBudgets, tr("&Budgets"));
    m_tabs->addTab(m_compare, tr("&Compare"));
    m_tabs->addTab(m_pendingReport, tr("&Report"));

    m_loading = new QLabel(this);
    m_loading->setWordWrap(true);
    m_loading->setObjectName(QStringLiteral("loadingNote"));
    m_loading->setStyleSheet(QStringLiteral("QLabel#loadingNote { font-weight: bold; padding: 4px; }"));
    m_loading->hide();

    // The replay bar sits under every view: the cursor it moves is shared by all of them.
    auto* views = new QWidget(this);
    auto* viewsLayout = new QVBoxLayout(views);
    viewsLayout->setContentsMargins(0, 0, 0, 0);
    viewsLayout->addWidget(m_loading);
    viewsLayout->addWidget(m_tabs, 1);
    viewsLayout->addWidget(m_replay);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(views);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_problems);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &SessionsPage::showSelected);
    connect(m_timeline, &TimelineView::cursorMoved, this, [this](std::int64_t t) { showGaugeAt(t); });
    connect(m_timeline, &TimelineView::cursorLeft, this, [this]() {
        showGaugeAt(m_replay->isPlaying() || m_replayed ? std::optional<std::int64_t>(m_replay->position()) : std::nullopt);
    });
    connect(m_replay, &ReplayBar::positionChanged, this, &SessionsPage::showReplayPosition);
    connect(m_replay, &ReplayBar::playingChanged, this, [this](bool playing) {
        const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
        if (current.isValid())
            m_model->setRowState(current.row(), playing ? tr("replaying") : QString());
    });
    connect(m_timeline, &TimelineView::selectionChanged, this, &SessionsPage::updateReport);
    connect(m_timeline, &TimelineView::selectionChanged, m_allocations, &AllocationsPage::setSelectedRange);
    connect(m_timeline, &TimelineView::selectionChanged, m_budgets, &BudgetsPage::setSelectedRange);
    connect(m_timeline, &TimelineView::cursorPinned, m_allocations, [this](std::int64_t t) { m_allocations->setPinnedTime(t); });
    connect(m_timeline, &TimelineView::selectionChanged, m_statistics, &StatisticsPage::setSelectedRange);
    connect(m_statistics, &StatisticsPage::allocationChosen, this, [this](std::int64_t t) { moveCursorTo(t, false); });
    connect(m_events, &EventsPage::eventSelected, this, [this](std::int64_t t) { moveCursorTo(t, false); });
    connect(m_events, &EventsPage::eventActivated, this, [this](std::int64_t t) { moveCursorTo(t, true); });
    connect(m_events, &EventsPage::filterChanged, this, [this]() { m_replay->setStepTimes(m_events->model()->shownTimes()); });
}

void SessionsPage::moveCursorTo(std::int64_t timeMs, bool showTimeline)
{
    if (!m_replay->isEnabled())
        return;
    m_replay->seek(timeMs);
    revealTime(*m_timeline, m_replay->position());
    if (showTimeline)
        m_tabs->setCurrentIndex(0);
}

void SessionsPage::showReplayPosition(std::int64_t t)
{
    if (m_replay->isFollowing()) { // a live session at its newest data: the views show "now"
        m_replayed = false;
        m_timeline->setPlayhead(std::nullopt);
        showGaugeAt(std::nullopt);
        m_allocations->setPinnedTime(t);
        return;
    }
    m_replayed = true;
    m_timeline->setPlayhead(t);
    showGaugeAt(t);
    m_allocations->setPinnedTime(t);
}

void SessionsPage::setReplayRange(const SessionRow& row, const SessionModel& session)
{
    if (row.liveId < 0) {
        m_replay->setRange(session.firstMs(), session.lastMs());
        m_replayed = false;
        return;
    }
    m_replay->setLiveRange(session.firstMs(), session.lastMs(), !m_refreshingLive);
    if (!m_replay->isFollowing())
        showReplayPosition(m_replay->position()); // the views were reset with the new data: the cursor stays
    if (m_replay->isFollowing() && m_refreshingLive && !m_timeline->isFullRange())
        keepNewestInView(*m_timeline, m_timeline->visibleFromMs(), m_timeline->visibleToMs(), session.lastMs());
}

void SessionsPage::addRecording(const LoadedRecordingPtr& recording)
{
    if (recording->loadId != 0 && !m_loadIds.insert(recording->loadId).second) {
        updateRecording(recording);
        return;
    }
    m_recordings.push_back(recording);
    m_model->addRecording(recording);
    updateCompareSessions();
    if (!m_table->currentIndex().isValid() && m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
    updateProblems();
}

void SessionsPage::applyLiveSnapshot(int liveId, const live::LiveSnapshot& snapshot)
{
    const int before = m_model->rowCount();
    m_model->applyLiveSnapshot(liveId, snapshot);
    if (before != m_model->rowCount() && !m_table->currentIndex().isValid() && m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
}

void SessionsPage::setLiveRecording(int liveId, const LoadedRecordingPtr& recording)
{
    // The views point into the shown row's copy: keep it alive until they
    // have moved on (the model may let go of it, see setLiveRecording).
    const SessionRow* shown = currentRow();
    const LoadedRecordingPtr keepShown = shown ? shown->recording : nullptr;
    const QList<int> changed = m_model->setLiveRecording(liveId, recording);
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    if (!current.isValid() || !changed.contains(current.row()))
        return;
    reshowKeepingView(); // the selected live session grew
    updateCompareSessions();
}

void SessionsPage::updateRecording(const LoadedRecordingPtr& recording)
{
    const auto old = std::find_if(m_recordings.begin(), m_recordings.end(),
                                  [&](const LoadedRecordingPtr& r) { return r->loadId == recording->loadId; });
    if (old == m_recordings.end())
        return; // the user closed every session of this load meanwhile
    const LoadedRecordingPtr previous = *old; // keeps what the views point into alive until they move on
    *old = recording;
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const QList<int> changed = m_model->updateRecording(recording);
    if (current.isValid() && changed.contains(current.row())) {
        if (previous->store == recording->store) { // the same sessions, now with their details
            showDetails(currentRow());
            updateLoadingNote();
        } else { // a preview gives way to a later one or to the whole file
            reshowKeepingView();
        }
    }
    if (!m_table->currentIndex().isValid() && m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
    updateCompareSessions();
    updateProblems();
}

void SessionsPage::dropIncompleteLoads()
{
    bool dropped = false;
    for (int r = m_model->rowCount() - 1; r >= 0; --r) {
        const auto& rec = m_model->row(r).recording;
        if (rec && rec->loadId != 0 && rec->stage != LoadStage::Complete) {
            m_model->removeSession(r);
            dropped = true;
        }
    }
    if (!dropped)
        return;
    std::erase_if(m_recordings, [](const LoadedRecordingPtr& r) { return r->loadId != 0 && r->stage != LoadStage::Complete; });
    updateCompareSessions();
    updateProblems();
    if (m_proxy->rowCount() == 0)
        showSelected(); // the empty views
    updateLoadingNote();
}

void SessionsPage::setLoadProgress(double fraction)
{
    m_loadProgress = fraction;
    updateLoadingNote();
}

void SessionsPage::updateLoadingNote()
{
    const SessionRow* row = currentRow();
    const LoadedRecording* rec = row ? row->recording.get() : nullptr;
    if (!rec || rec->stage == LoadStage::Complete) {
        m_loading->hide();
        m_loading->clear();
        return;
    }
    const QString file = QFileInfo(rec->path).fileName();
    if (rec->stage == LoadStage::Preview)
        m_loading->setText(tr("Loading %1… %2 % read. The timeline shows a preview of the first %3 %; "
                              "the whole recording replaces it when it is read.")
                               .arg(file)
                               .arg(static_cast<int>(std::max(m_loadProgress, rec->loadedFraction) * 100))
                               .arg(static_cast<int>(rec->loadedFraction * 100)));
    else
        m_loading->setText(tr("%1 is read; still computing its statistics, events and allocations…").arg(file));
    m_loading->show();
}

QString SessionsPage::loadingNote() const
{
    return m_loading->isHidden() ? QString() : m_loading->text();
}

QString SessionsPage::pendingNote(const QString& view) const
{
    const QString v = view.toLower();
    const PendingView* p = v == QLatin1String("statistics") ? m_pendingStatistics
                         : v == QLatin1String("events") ? m_pendingEvents
                         : v == QLatin1String("allocations") ? m_pendingAllocations
                         : v == QLatin1String("budgets") ? m_pendingBudgets
                         : v == QLatin1String("report") ? m_pendingReport : nullptr;
    return p ? p->note() : QString();
}

void SessionsPage::reshowKeepingView()
{
    // Show the new data, keeping the user's zoom, selection and tab.
    const bool zoomed = !m_timeline->isFullRange(); // else follow the growing session
    const auto from = m_timeline->visibleFromMs();
    const auto to = m_timeline->visibleToMs();
    const auto selection = m_timeline->selection();
    const int tab = m_tabs->currentIndex();
    m_refreshingLive = true;
    showSelected();
    m_refreshingLive = false;
    if (zoomed && m_replay->isFollowing())
        keepNewestInView(*m_timeline, from, to, m_replay->rangeEnd());
    else if (zoomed || (m_replay->isLive() && !m_replay->isFollowing()))
        m_timeline->setVisibleRange(from, to); // a live session with Follow off: the view stays where the user left it
    if (selection)
        m_timeline->setSelection(selection); // the views following the selection get it back
    m_tabs->setCurrentIndex(tab);
}

void SessionsPage::clear()
{
    m_timeline->setSession(nullptr, nullptr);
    m_allocations->setSession(nullptr, nullptr);
    m_budgets->setSession(nullptr);
    m_statistics->setSession(nullptr, nullptr);
    m_events->setEvents(nullptr, 0);
    m_replay->clear();
    m_gauge->clear();
    m_model->clear();
    m_recordings.clear();
    m_loadIds.clear();
    updateCompareSessions();
    m_report->clear();
    updateProblems();
}

bool SessionsPage::showView(const QString& name)
{
    // In the tabs' order.
    static const QStringList names = {QStringLiteral("timeline"), QStringLiteral("statistics"), QStringLiteral("events"),
                                      QStringLiteral("allocations"), QStringLiteral("budgets"), QStringLiteral("compare"),
                                      QStringLiteral("report")};
    const auto i = names.indexOf(name.toLower());
    if (i < 0)
        return false;
    m_tabs->setCurrentIndex(static_cast<int>(i));
    return true;
}

std::vector<LoadedRecordingPtr> SessionsPage::recordings() const
{
    std::vector<LoadedRecordingPtr> out;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const auto& rec = m_model->row(r).recording;
        if (rec && rec->stage == LoadStage::Complete && std::find(out.begin(), out.end(), rec) == out.end())
            out.push_back(rec);
    }
    return out;
}

std::optional<std::pair<double, double>> SessionsPage::selectedRangeSeconds() const
{
    const SessionRow* row = currentRow();
    const auto range = m_timeline->selection();
    if (!row || !row->recording || !range)
        return std::nullopt;
    const auto origin = row->recording->store->session(row->sessionIndex).firstMs();
    return std::make_pair(static_cast<double>(range->first - origin) / 1000.0, static_cast<double>(range->second - origin) / 1000.0);
}

int SessionsPage::sessionCount() const
{
    return m_model->rowCount();
}

int SessionsPage::currentLiveId() const
{
    const SessionRow* row = currentRow();
    return row ? row->liveId : -1;
}

const SessionRow* SessionsPage::currentRow() const
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    return current.isValid() ? &m_model->row(current.row()) : nullptr;
}

bool SessionsPage::selectSession(int row)
{
    if (row < 0 || row >= m_proxy->rowCount())
        return false;
    m_table->setCurrentIndex(m_proxy->index(row, 0));
    return true;
}

void SessionsPage::showSelected()
{
    const SessionRow* row = currentRow();
    if (!row || !row->recording) {
        m_timeline->setSession(nullptr, nullptr);
        m_replay->clear();
        m_budgets->setSession(nullptr);
        m_gauge->clear();
        m_pendingBudgets->showView();
        showDetails(nullptr);
        if (row && row->droppedFromMemory)
            m_report->setPlainText(tr("Live session %1 ended and is no longer in memory (the live client keeps the "
                                      "newest ended sessions); its recording file has all of it.")
                                       .arg(row->sessionId));
        else if (row)
            m_report->setPlainText(tr("Live session %1: waiting for its first data…").arg(row->sessionId));
        else
            m_report->clear();
        updateLoadingNote();
        return;
    }
    const SessionModel& session = row->recording->store->session(row->sessionIndex);
    const SessionAnalytics& analytics = row->recording->analytics[row->sessionIndex];
    const bool preview = row->recording->stage == LoadStage::Preview;
    m_timeline->setSession(&session, analytics.pyramid.get());
    showDetails(row);
    setReplayRange(*row, session);
    // A preview's budgets would be figures of part of the file: they wait for the whole.
    m_budgets->setSession(preview ? nullptr : &session);
    if (preview)
        m_pendingBudgets->setPending(tr("Loading %1…\nThe budget verdicts appear once the whole recording is read; the timeline shows a preview meanwhile.")
                                         .arg(QFileInfo(row->recording->path).fileName()));
    else
        m_pendingBudgets->showView();
    m_compare->setCurrent(m_proxy->mapToSource(m_table->currentIndex()).row());
    m_gauge->setThresholds(session.info().thresholds);
    m_gauge->setDurations(analytics.pressureDurations);
    showGaugeAt(m_replayed ? std::optional<std::int64_t>(m_replay->position()) : std::nullopt);
    updateLoadingNote();
}

void SessionsPage::showDetails(const SessionRow* row)
{
    // The tables and the report wait for the Complete stage; meanwhile they hold nothing (no other session's data).
    const LoadedRecording* rec = row ? row->recording.get() : nullptr;
    if (!rec || rec->stage != LoadStage::Complete) {
        m_events->setEvents(nullptr, 0);
        m_allocations->setSession(nullptr, nullptr);
        m_statistics->setSession(nullptr, nullptr);
        m_report->clear();
        if (!rec) {
            for (PendingView* p : {m_pendingStatistics, m_pendingEvents, m_pendingAllocations, m_pendingReport})
                p->showView();
            return;
        }
        const QString file = QFileInfo(rec->path).fileName();
        const QString note = rec->stage == LoadStage::Preview
                                 ? tr("Loading %1…\nThe %2 appear once the whole recording is read; the timeline shows a preview meanwhile.").arg(file)
                                 : tr("Still computing the %2 of %1…").arg(file);
        m_pendingStatistics->setPending(note.arg(tr("statistics")));
        m_pendingEvents->setPending(note.arg(tr("events")));
        m_pendingAllocations->setPending(note.arg(tr("allocations")));
        m_pendingReport->setPending(note.arg(tr("memory report")));
        return;
    }
    const SessionModel& session = rec->store->session(row->sessionIndex);
    const SessionAnalytics& analytics = rec->analytics[row->sessionIndex];
    m_events->setEvents(analytics.events, session.firstMs());
    m_allocations->setSession(&session, analytics.allocationRows);
    m_statistics->setSession(&session, analytics.events, row->recording);
    for (PendingView* p : {m_pendingStatistics, m_pendingEvents, m_pendingAllocations, m_pendingReport})
        p->showView();
    updateReport();
}

void SessionsPage::showGaugeAt(std::optional<std::int64_t> timeMs)
{
    const SessionRow* row = currentRow();
    if (!row || !row->recording)
        return;
    const SessionModel& session = row->recording->store->session(row->sessionIndex);
    if (timeMs) {
        m_gauge->setCaption(tr(m_replay->isPlaying() ? "Replay at %1 s" : "Pressure at %1 s").arg(static_cast<double>(*timeMs - session.firstMs()) / 1000.0, 0, 'f', 3));
        m_gauge->setUsage(session.usedAt(*timeMs), session.info().totalBytes, std::nullopt);
    } else {
        if (row->recording->stage == LoadStage::Preview) // "now" would be wherever the read had got to
            m_gauge->setCaption(tr("Pressure so far (%1 % read)").arg(static_cast<int>(row->recording->loadedFraction * 100)));
        else
            m_gauge->setCaption(session.endedAt() ? tr("Pressure at the end") : tr("Pressure now"));
        m_gauge->setUsage(session.usedBytes(), session.info().totalBytes, session.reportedPressure());
    }
}

void SessionsPage::updateReport()
{
    const SessionRow* row = currentRow();
    if (!row || !row->recording || row->recording->stage != LoadStage::Complete) {
        m_report->clear();
        return;
    }
    const SessionModel& session = row->recording->store->session(row->sessionIndex);
    // Written on the loader's worker (a pass over every event); only the selection's lines are written here.
    const auto& written = row->recording->analytics[row->sessionIndex].memoryReport;
    QString text = QString::fromStdString(written ? *written : reports::textReport(session));
    if (const auto range = m_timeline->selection()) {
        const RangeSummary r = session.rangeSummary(range->first, range->second);
        const auto b = [](std::uint64_t v) { return formatSize(v); };
        text.prepend(tr("Selected range: %1 s .. %2 s\n  peak used %3 at %4 s, average %5\n"
                        "  %L6 allocations and %L7 frees in the range\n\n")
                         .arg(static_cast<double>(range->first - session.firstMs()) / 1000.0, 0, 'f', 3)
                         .arg(static_cast<double>(range->second - session.firstMs()) / 1000.0, 0, 'f', 3)
                         .arg(b(r.peakUsedBytes))
                         .arg(static_cast<double>(r.peakUsedAtMs - session.firstMs()) / 1000.0, 0, 'f', 3)
                         .arg(b(r.averageUsedBytes))
                         .arg(r.allocationsInRange)
                         .arg(r.freesInRange));
    }
    m_report->setPlainText(text);
}

void SessionsPage::updateCompareSessions()
{
    std::vector<SessionRef> refs;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const SessionRow& row = m_model->row(r);
        refs.push_back({tr("%1 · %2").arg(row.source, row.sessionId), row.recording, row.sessionIndex});
    }
    m_compare->setSessions(std::move(refs));
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    m_compare->setCurrent(current.isValid() ? current.row() : -1);
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

// --- closing one session --------------------------------------------------

void SessionsPage::setUpCloseSession()
{
    // Delete on the table, and its context menu; File › Close Session (Ctrl+W) calls the same.
    auto* close = new QAction(tr("&Close Session"), m_table);
    close->setShortcut(QKeySequence::Delete);
    close->setShortcutContext(Qt::WidgetShortcut);
    close->setStatusTip(tr("Close the selected session; the others stay open"));
    connect(close, &QAction::triggered, this, &SessionsPage::closeSelectedSession);
    m_table->addAction(close);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this, close](const QPoint& pos) {
        const QModelIndex at = m_table->indexAt(pos);
        if (!at.isValid())
            return;
        m_table->setCurrentIndex(at); // the menu acts on the row clicked
        QMenu menu(m_table);
        menu.addAction(close);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
}

bool SessionsPage::closeSelectedSession()
{
    return closeSession(m_table->currentIndex().row());
}

bool SessionsPage::closeSession(int row)
{
    if (row < 0 || row >= m_proxy->rowCount())
        return false;
    const int source = m_proxy->mapToSource(m_proxy->index(row, 0)).row();
    const SessionRow closed = m_model->row(source);
    // The views go to the session that takes its place (the next, or the previous at the end)
    // before the row goes, so that they are rebuilt once.
    if (m_table->currentIndex().row() == row && m_proxy->rowCount() > 1)
        m_table->setCurrentIndex(m_proxy->index(row + 1 < m_proxy->rowCount() ? row + 1 : row - 1, 0));
    m_model->removeSession(source);
    // A recording goes when its last session does.
    std::erase_if(m_recordings, [this](const LoadedRecordingPtr& r) {
        for (int i = 0; i < m_model->rowCount(); ++i)
            if (m_model->row(i).recording == r)
                return false;
        return true;
    });
    updateCompareSessions();
    updateProblems();
    if (m_proxy->rowCount() == 0)
        showSelected(); // the empty views
    Q_EMIT sessionClosed(closed.source, closed.sessionId, closed.liveId, closed.liveId >= 0 ? m_model->liveRowCount(closed.liveId) : 0);
    return true;
}

} // namespace flight::ui
