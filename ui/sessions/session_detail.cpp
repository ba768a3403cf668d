// SPDX-License-Identifier: MIT
#include "session_detail.h"

#include "pending_view.h"
#include "pressure_gauge.h"
#include "replay_bar.h"

#include "models/event_list_model.h"
#include "style/display_settings.h"
#include "style/size_format.h"
#include "timeline/timeline_readout.h"
#include "timeline/timeline_series_builder.h"
#include "timeline/timeline_navigation.h"
#include "timeline/timeline_view.h"
#include "views/allocations_page.h"
#include "views/budgets_page.h"
#include "views/report_view.h"
#include "views/compare_page.h"
#include "views/events_page.h"
#include "views/records_around_page.h"
#include "views/statistics_page.h"
#include "reports/text_report.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <QFontDatabase>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace flight::ui {

SessionDetail::SessionDetail(const SessionListModel* sessions, std::function<int()> currentModelRow, QWidget* parent)
    : QWidget(parent)
    , m_sessions(sessions)
    , m_currentModelRow(std::move(currentModelRow))
{
    m_report = new ReportView(this);

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
    m_seeker = new RecordSeeker(this);
    m_around = new RecordsAroundPage(this);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(timelineSplit, tr("&Timeline"));
    m_tabs->addTab(m_pendingStatistics, tr("&Statistics"));
    m_tabs->addTab(m_pendingEvents, tr("Eve&nts")); // Alt+E is the Edit menu's
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
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_loading);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_replay);

    connect(m_timeline, &TimelineView::cursorMoved, this, [this](std::int64_t t) { showGaugeAt(t); });
    connect(m_timeline, &TimelineView::cursorLeft, this, [this]() {
        showGaugeAt(m_replay->isPlaying() || m_replayed ? std::optional<std::int64_t>(m_replay->position()) : std::nullopt);
    });
    connect(m_replay, &ReplayBar::positionChanged, this, &SessionDetail::showReplayPosition);
    connect(m_timeline, &TimelineView::selectionChanged, this, &SessionDetail::updateReport);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_reportStale && m_tabs->currentWidget() == m_pendingReport)
            updateReport();
    });
    connect(m_timeline, &TimelineView::selectionChanged, m_allocations, &AllocationsPage::setSelectedRange);
    connect(m_timeline, &TimelineView::selectionChanged, m_budgets, &BudgetsPage::setSelectedRange);
    connect(m_timeline, &TimelineView::cursorPinned, m_allocations, [this](std::int64_t t) { m_allocations->setPinnedTime(t); });
    connect(m_timeline, &TimelineView::selectionChanged, m_statistics, &StatisticsPage::setSelectedRange);
    connect(m_statistics, &StatisticsPage::allocationChosen, this, [this](std::int64_t t) { moveCursorTo(t, false); });
    connect(m_allocations, &AllocationsPage::showOnTimelineRequested, this, &SessionDetail::showOnTimeline);
    connect(m_events, &EventsPage::eventSelected, this, [this](std::int64_t t) { moveCursorTo(t, false); });
    connect(m_events, &EventsPage::eventActivated, this, [this](std::int64_t t) { moveCursorTo(t, true); });
    connect(&DisplaySettings::instance(), &DisplaySettings::changed, this, &SessionDetail::updateReport);
    connect(m_events, &EventsPage::filterChanged, this, [this]() { m_replay->setStepTimes(m_events->model()->shownTimes()); });
    connect(m_tabs, &QTabWidget::currentChanged, this, &SessionDetail::catchUp);
    connect(m_timeline, &TimelineView::cursorPinned, this, &SessionDetail::seekRecordsAround);
    connect(m_seeker, &RecordSeeker::recordsReady, this, &SessionDetail::showRecordsAround);
    connect(m_around, &RecordsAroundPage::recordActivated, this, [this](std::int64_t t) { moveCursorTo(t, true); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this]() {
        if (showsDetails() != m_detailsShownSignalled) {
            m_detailsShownSignalled = showsDetails();
            Q_EMIT detailsShownChanged(m_detailsShownSignalled);
        }
    });
}

namespace {
enum Tab { TimelineTab, StatisticsTab, EventsTab, AllocationsTab, BudgetsTab, CompareTab, ReportTab };
} // namespace

bool SessionDetail::showsDetails() const
{
    return m_tabs->currentIndex() != TimelineTab;
}

bool SessionDetail::tabHidden(int tab) const
{
    return m_tabs->currentIndex() != tab;
}

void SessionDetail::catchUp()
{
    if (m_aroundStale && !tabHidden(EventsTab))
        seekRecordsAround(m_replay->position());
    if (m_staleCompare && !tabHidden(CompareTab)) {
        m_compare->setSessions(std::move(*m_staleCompare));
        m_staleCompare.reset();
        m_compare->setCurrent(m_currentModelRow());
    }
    if (!m_detailsStale || m_tabs->currentIndex() == TimelineTab)
        return;
    m_detailsStale = false;
    const SessionRow* row = currentRow();
    const bool preview = !row || !row->recording || row->recording->stage == LoadStage::Preview;
    showDetails(row);
    if (!preview)
        m_budgets->setSession(&row->recording->store->session(row->sessionIndex));
    if (const auto range = m_timeline->selection()) { // the views following the selection get it back
        m_allocations->setSelectedRange(*range);
        m_budgets->setSelectedRange(*range);
        m_statistics->setSelectedRange(*range);
    }
}

const SessionRow* SessionDetail::currentRow() const
{
    const int row = m_currentModelRow();
    return row >= 0 ? &m_sessions->row(row) : nullptr;
}

void SessionDetail::moveCursorTo(std::int64_t timeMs, bool showTimeline)
{
    if (!m_replay->isEnabled())
        return;
    m_replay->seek(timeMs);
    revealTime(*m_timeline, m_replay->position());
    if (showTimeline)
        m_tabs->setCurrentIndex(0);
}

void SessionDetail::showOnTimeline(std::int64_t fromMs, std::int64_t toMs)
{
    m_timeline->setSelection(std::make_pair(fromMs, toMs));
    // In view with a margin on each side, unless it is already.
    if (fromMs < m_timeline->visibleFromMs() || toMs > m_timeline->visibleToMs()) {
        const std::int64_t margin = std::max<std::int64_t>((toMs - fromMs) / 4, 50);
        m_timeline->setVisibleRange(std::min(fromMs - margin, m_timeline->visibleFromMs()), std::max(toMs + margin, m_timeline->visibleToMs()));
    }
    m_tabs->setCurrentIndex(0);
}

void SessionDetail::showNextView(int step)
{
    const int n = m_tabs->count();
    m_tabs->setCurrentIndex(((m_tabs->currentIndex() + step) % n + n) % n);
}

void SessionDetail::showReplayPosition(std::int64_t t)
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
    seekRecordsAround(t);
}

void SessionDetail::setReplayRange(const SessionRow& row, const SessionModel& session)
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

void SessionDetail::setLoadProgress(double fraction)
{
    m_loadProgress = fraction;
    updateLoadingNote();
}

void SessionDetail::updateLoadingNote()
{
    const SessionRow* row = currentRow();
    const LoadedRecording* rec = row ? row->recording.get() : nullptr;
    if (!rec || rec->stage == LoadStage::Complete) {
        m_loading->hide();
        m_loading->clear();
        return;
    }
    const QString file = QFileInfo(rec->path).fileName();
    if (rec->stage == LoadStage::Preview && rec->fromSummary)
        m_loading->setText(tr("Loading %1… %2 % read. The timeline shows the recording's summary (its whole range, "
                              "coarse); the whole recording replaces it when it is read.")
                               .arg(file)
                               .arg(static_cast<int>(m_loadProgress * 100)));
    else if (rec->stage == LoadStage::Preview)
        m_loading->setText(tr("Loading %1… %2 % read. The timeline shows a preview of the first %3 %; "
                              "the whole recording replaces it when it is read.")
                               .arg(file)
                               .arg(static_cast<int>(std::max(m_loadProgress, rec->loadedFraction) * 100))
                               .arg(static_cast<int>(rec->loadedFraction * 100)));
    else
        m_loading->setText(tr("%1 is read; still computing its statistics, events and allocations…").arg(file));
    m_loading->show();
}

QString SessionDetail::loadingNote() const
{
    return m_loading->isHidden() ? QString() : m_loading->text();
}

QString SessionDetail::pendingNote(const QString& view) const
{
    const QString v = view.toLower();
    const PendingView* p = v == QLatin1String("statistics") ? m_pendingStatistics
                         : v == QLatin1String("events") ? m_pendingEvents
                         : v == QLatin1String("allocations") ? m_pendingAllocations
                         : v == QLatin1String("budgets") ? m_pendingBudgets
                         : v == QLatin1String("report") ? m_pendingReport : nullptr;
    return p ? p->note() : QString();
}

void SessionDetail::reshowKeepingView()
{
    // Show the new data, keeping the user's zoom, selection and tab.
    const bool zoomed = !m_timeline->isFullRange(); // else follow the growing session
    const auto from = m_timeline->visibleFromMs();
    const auto to = m_timeline->visibleToMs();
    const auto selection = m_timeline->selection();
    const int tab = m_tabs->currentIndex();
    // A recording's later stage (the summary or a preview giving way to the whole file): the playhead stays.
    const bool keepPlayhead = m_replayed && !m_replay->isLive() && currentRow() && currentRow()->liveId < 0;
    const std::int64_t playhead = m_replay->position();
    m_refreshingLive = true;
    showCurrent();
    m_refreshingLive = false;
    if (keepPlayhead)
        m_replay->seek(playhead);
    if (zoomed && m_replay->isFollowing())
        keepNewestInView(*m_timeline, from, to, m_replay->rangeEnd());
    else if (zoomed || (m_replay->isLive() && !m_replay->isFollowing()))
        m_timeline->setVisibleRange(from, to); // a live session with Follow off: the view stays where the user left it
    if (selection)
        m_timeline->setSelection(selection); // the views following the selection get it back
    m_tabs->setCurrentIndex(tab);
}

void SessionDetail::showCurrentDetails()
{
    showDetails(currentRow());
    updateLoadingNote();
}

void SessionDetail::setCompareSessions(std::vector<SessionRef> sessions, bool live)
{
    if (live && tabHidden(CompareTab)) { // its table reads every session: not at every live refresh
        m_staleCompare = std::move(sessions);
        return;
    }
    m_staleCompare.reset();
    m_compare->setSessions(std::move(sessions));
    m_compare->setCurrent(m_currentModelRow());
}

void SessionDetail::clear()
{
    m_detailsStale = false;
    m_detailsShown.reset();
    m_staleCompare.reset();
    m_timeline->setSession(nullptr, nullptr);
    m_allocations->setSession(nullptr, nullptr);
    m_budgets->setSession(nullptr);
    m_statistics->setSession(nullptr, nullptr);
    m_events->setEvents(nullptr, 0);
    m_seeker->cancel();
    m_around->clear();
    m_replay->clear();
    m_gauge->clear();
    m_report->showNote({});
}

bool SessionDetail::showView(const QString& name)
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

std::optional<std::pair<double, double>> SessionDetail::selectedRangeSeconds() const
{
    const SessionRow* row = currentRow();
    const auto range = m_timeline->selection();
    if (!row || !row->recording || !range)
        return std::nullopt;
    const auto origin = row->recording->store->session(row->sessionIndex).firstMs();
    return std::make_pair(static_cast<double>(range->first - origin) / 1000.0, static_cast<double>(range->second - origin) / 1000.0);
}

void SessionDetail::showCurrent()
{
    // Filters belong to the session they were set on: another session starts unfiltered
    // (a live session's refresh, which comes through reshowKeepingView, keeps them).
    if (!m_refreshingLive)
        m_allocations->resetFilters();
    const SessionRow* row = currentRow();
    if (!row || !row->recording) {
        m_detailsStale = false;
        // A producer's next session before its first data: the timeline keeps its legend
        // and axes (the plot would otherwise move twice, empty and back, per new session).
        if (row && row->liveId >= 0 && !row->droppedFromMemory)
            m_timeline->holdForNextSession(row->sessionId);
        else
            m_timeline->setSession(nullptr, nullptr);
        m_replay->clear();
        m_budgets->setSession(nullptr);
        m_gauge->clear();
        m_pendingBudgets->showView();
        showDetails(nullptr);
        if (row && row->droppedFromMemory)
            m_report->showNote(tr("Live session %1 ended and is no longer in memory (the live client keeps the "
                                      "newest ended sessions); its recording file has all of it.")
                                       .arg(row->sessionId));
        else if (row)
            m_report->showNote(tr("Live session %1: waiting for its first data…").arg(row->sessionId));
        else
            m_report->showNote({});
        updateLoadingNote();
        return;
    }
    const SessionModel& session = row->recording->store->session(row->sessionIndex);
    const SessionAnalytics& analytics = row->recording->analytics[row->sessionIndex];
    const bool preview = row->recording->stage == LoadStage::Preview;
    m_timeline->setSession(&session, analytics.pyramid.get());
    // A live refresh with the timeline in view: the detail tabs wait until shown
    // (they keep the copy they point into, m_detailsShown).
    const bool deferDetails = m_refreshingLive && row->liveId >= 0 && m_tabs->currentIndex() == TimelineTab;
    if (deferDetails) {
        m_detailsStale = true;
        setReplayRange(*row, session);
        if (!tabHidden(CompareTab))
            m_compare->setCurrent(m_currentModelRow());
        m_gauge->setThresholds(session.info().thresholds);
        m_gauge->setDurations(analytics.pressureDurations);
        showGaugeAt(m_replayed ? std::optional<std::int64_t>(m_replay->position()) : std::nullopt);
        updateLoadingNote();
        return;
    }
    m_detailsStale = false;
    showDetails(row);
    setReplayRange(*row, session);
    // A preview's budgets would be figures of part of the file: they wait for the whole.
    m_budgets->setSession(preview ? nullptr : &session);
    if (preview)
        m_pendingBudgets->setPending(tr("Loading %1…\nThe budget verdicts appear once the whole recording is read; the timeline shows a preview meanwhile.")
                                         .arg(QFileInfo(row->recording->path).fileName()));
    else
        m_pendingBudgets->showView();
    m_compare->setCurrent(m_currentModelRow());
    m_gauge->setThresholds(session.info().thresholds);
    m_gauge->setDurations(analytics.pressureDurations);
    showGaugeAt(m_replayed ? std::optional<std::int64_t>(m_replay->position()) : std::nullopt);
    updateLoadingNote();
    if (m_aroundStale)
        seekRecordsAround(m_replay->position());
}

void SessionDetail::showDetails(const SessionRow* row)
{
    // The tables and the report wait for the Complete stage; meanwhile they hold nothing (no other session's data).
    const LoadedRecording* rec = row ? row->recording.get() : nullptr;
    // A live copy taken while the timeline was in view carries no details: the next one will.
    const bool liveWithoutDetails = rec && row->liveId >= 0 && !rec->analytics[row->sessionIndex].events;
    if (!rec || rec->stage != LoadStage::Complete || liveWithoutDetails) {
        m_events->setEvents(nullptr, 0);
        m_allocations->setSession(nullptr, nullptr);
        m_statistics->setSession(nullptr, nullptr);
        m_report->showNote({});
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
        if (rec->stage == LoadStage::Preview && rec->fromSummary)
            m_summaryLoadId = rec->loadId;
        if (seeksWhileLoading(row)) { // the records around the playhead meanwhile (seekRecordsAround)
            m_pendingEvents->showStandIn(m_around);
            m_aroundStale = true;
        } else {
            m_seeker->cancel();
            m_around->clear();
        }
        m_pendingAllocations->setPending(note.arg(tr("allocations")));
        m_pendingReport->setPending(note.arg(tr("memory report")));
        return;
    }
    m_seeker->cancel();
    m_around->clear();
    m_detailsShown = row->recording; // the tables point into it
    const SessionModel& session = rec->store->session(row->sessionIndex);
    const SessionAnalytics& analytics = rec->analytics[row->sessionIndex];
    m_events->setEvents(analytics.events, session.firstMs());
    m_allocations->setSession(&session, analytics.allocationRows);
    m_statistics->setSession(&session, analytics.events, row->recording);
    for (PendingView* p : {m_pendingStatistics, m_pendingEvents, m_pendingAllocations, m_pendingReport})
        p->showView();
    updateReport();
}

bool SessionDetail::seeksWhileLoading(const SessionRow* row) const
{
    if (!row || row->liveId >= 0 || !row->recording)
        return false;
    const LoadedRecording& rec = *row->recording;
    // From the summary until the events are computed (the Timeline stage of the same load).
    return (rec.stage == LoadStage::Preview && rec.fromSummary)
        || (rec.stage == LoadStage::Timeline && rec.loadId != 0 && rec.loadId == m_summaryLoadId);
}

bool SessionDetail::showsRecordsAround() const
{
    return m_pendingEvents->showsStandIn(m_around);
}

void SessionDetail::seekRecordsAround(std::int64_t timeMs)
{
    const SessionRow* row = currentRow();
    if (!seeksWhileLoading(row))
        return;
    // Read only for the tab that shows it: playback moves the playhead many times a second.
    if (tabHidden(EventsTab)) {
        m_aroundStale = true;
        return;
    }
    m_aroundStale = false;
    const LoadedRecording& rec = *row->recording;
    const SessionModel& session = rec.store->session(row->sessionIndex);
    m_around->setSeeking(QFileInfo(rec.path).fileName(), timeMs, session.firstMs());
    m_seeker->seek(rec.path, QString::fromStdString(std::string(session.info().sessionId)), timeMs);
}

void SessionDetail::showRecordsAround(const SeekResultPtr& result)
{
    const SessionRow* row = currentRow();
    if (!seeksWhileLoading(row) || row->recording->path != result->path)
        return; // the full load arrived, or another session is shown: the seek is stale
    const SessionModel& session = row->recording->store->session(row->sessionIndex);
    if (QString::fromStdString(std::string(session.info().sessionId)) != result->sessionId)
        return;
    m_around->setResult(result, QFileInfo(result->path).fileName(), session.firstMs());
}

void SessionDetail::showGaugeAt(std::optional<std::int64_t> timeMs)
{
    const SessionRow* row = currentRow();
    if (!row || !row->recording)
        return;
    const SessionModel& session = row->recording->store->session(row->sessionIndex);
    if (timeMs) {
        // The timeline's read-out writes the same instant the same way (one formatter).
        m_gauge->setCaption(tr(m_replay->isPlaying() ? "Replay at %1" : "Pressure at %1").arg(formatTimelineSeconds(toSeconds(*timeMs, session.firstMs()))));
        m_gauge->setUsage(session.usedAt(*timeMs), session.info().totalBytes, std::nullopt);
    } else {
        if (row->recording->stage == LoadStage::Preview && row->recording->fromSummary)
            m_gauge->setCaption(tr("Pressure at the end (from the summary)"));
        else if (row->recording->stage == LoadStage::Preview) // "now" would be wherever the read had got to
            m_gauge->setCaption(tr("Pressure so far (%1 % read)").arg(static_cast<int>(row->recording->loadedFraction * 100)));
        else
            m_gauge->setCaption(session.endedAt()            ? tr("Pressure at the end")
                                : row->disconnectedSinceMs != 0 ? SessionListModel::disconnectedCaption(row->disconnectedSinceMs)
                                                                : tr("Pressure now"));
        if (row->liveId >= 0 && !session.endedAt()) {
            // A live session: its latest snapshot's figures (the table's), newer
            // than the copy the views were refreshed from (once a second when quiet).
            m_gauge->setUsage(row->usedBytes, row->totalBytes,
                              row->reportedPressure >= 0 ? std::optional(static_cast<MemoryPressure>(row->reportedPressure))
                                                         : std::nullopt);
        } else {
            m_gauge->setUsage(session.usedBytes(), session.info().totalBytes, session.reportedPressure());
        }
    }
}

void SessionDetail::refreshLiveState()
{
    showGaugeAt(m_replayed ? std::optional<std::int64_t>(m_replay->position()) : std::nullopt);
}

void SessionDetail::updateReport()
{
    const SessionRow* row = currentRow();
    if (!row || !row->recording || row->recording->stage != LoadStage::Complete) {
        m_reportStale = false;
        m_report->showNote({});
        return;
    }
    // Written on a worker, and only while the tab is shown: a live session refreshes often.
    if (m_tabs->currentWidget() != m_pendingReport) {
        m_reportStale = true;
        return;
    }
    m_reportStale = false;
    m_report->showSession(row->recording, row->sessionIndex, m_timeline->selection());
}

} // namespace flight::ui
