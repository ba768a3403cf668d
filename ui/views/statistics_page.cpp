// SPDX-License-Identifier: MIT
#include "statistics_page.h"

#include "models/ranked_allocation_model.h"

#include "style/display_settings.h"
#include "style/size_format.h"

#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace flight::ui {
namespace {
constexpr std::size_t kTopN = 20;

QString bytes(std::uint64_t b)
{
    return formatSize(b);
}

QString duration(double seconds)
{
    if (seconds < 120)
        return QObject::tr("%1 s").arg(seconds, 0, 'f', 1);
    if (seconds < 7200)
        return QObject::tr("%1 min").arg(seconds / 60.0, 0, 'f', 1);
    return QObject::tr("%1 h").arg(seconds / 3600.0, 0, 'f', 1);
}

QString trendName(TrendDirection d)
{
    switch (d) {
    case TrendDirection::Increasing: return QObject::tr("increasing ↗");
    case TrendDirection::Decreasing: return QObject::tr("decreasing ↘");
    case TrendDirection::Stable: return QObject::tr("stable →");
    case TrendDirection::Volatile: return QObject::tr("volatile ↕");
    }
    return {};
}

} // namespace

StatisticsPage::StatisticsPage(QWidget* parent)
    : QWidget(parent)
    , m_largest(new RankedAllocationModel(this))
    , m_longest(new RankedAllocationModel(this))
{
    m_scope = new QLabel(this);
    m_scope->setWordWrap(true);

    auto* memory = new QGroupBox(tr("Memory"), this);
    auto* mf = new QFormLayout(memory);
    addFigure(mf, QStringLiteral("used"), tr("Used"), tr("Memory in use (tracked allocations plus untracked memory) at the end of the session or of the selected range."));
    addFigure(mf, QStringLiteral("tracked"), tr("Tracked"), tr("Bytes of the allocations the producer reported and that were live then."));
    addFigure(mf, QStringLiteral("untracked"), tr("Untracked"), tr("Reported used minus tracked allocations: memory the producer's samples count but no allocation message explains (runtime overhead, allocations it does not report)."));
    addFigure(mf, QStringLiteral("efficiency"), tr("Efficiency ratio"), tr("Tracked ÷ used, 0–100 %. 100 % means every used byte belongs to a known allocation; lower means untracked memory."));
    addFigure(mf, QStringLiteral("peak"), tr("Peak used"), tr("The highest used of the session, or within the selected range (and when)."));
    addFigure(mf, QStringLiteral("average"), tr("Average used"), tr("Used averaged over time (time-weighted) across the session or the selected range."));
    addFigure(mf, QStringLiteral("allocations"), tr("Allocations"), tr("Made so far (by the end of the range): still live / freed."));
    addFigure(mf, QStringLiteral("in-range"), tr("In the range"), tr("Allocations made and frees done within the session or the selected range."));
    addFigure(mf, QStringLiteral("average-size"), tr("Average allocation"), tr("Mean size over every allocation made so far."));
    addFigure(mf, QStringLiteral("fragmentation"), tr("Fragmentation"), tr("The last fragmentation ratio the producer reported (0 when it never did)."));

    auto* trend = new QGroupBox(tr("Trend"), this);
    auto* tf = new QFormLayout(trend);
    addFigure(tf, QStringLiteral("trend"), tr("Direction"), tr("A time-weighted least-squares line through used over the session or the range: stable when it changes less than 5 % of the mean, volatile when it swings back and forth around the line."));
    addFigure(tf, QStringLiteral("slope"), tr("Slope"), tr("The fitted line's change of used per second."));
    addFigure(tf, QStringLiteral("predicted-peak"), tr("Predicted peak"), tr("Used one more window ahead on the fitted line (at least the highest seen): where memory is heading if nothing changes."));
    addFigure(tf, QStringLiteral("until-critical"), tr("Time until critical"), tr("At the fitted slope, how long until used reaches the critical threshold of the session's total. \"—\" when not rising or the total is unknown."));

    auto* errors = new QGroupBox(tr("Errors by code"), this);
    auto* ef = new QFormLayout(errors);
    addFigure(ef, QStringLiteral("errors"), tr("Errors"), tr("Errors reported by the producer, memory-operations errors and decode errors in the session or the range, by code; the Events view lists each one."));

    auto* left = new QWidget(this);
    m_left = left;
    auto* ll = new QVBoxLayout(left);
    ll->addWidget(m_scope);
    ll->addWidget(memory);
    ll->addWidget(trend);
    ll->addWidget(errors);
    ll->addStretch(1);
    auto* scroll = new QScrollArea(this);
    m_leftScroll = scroll;
    scroll->setWidget(left);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // The figures scroll up and down on a short window; sideways they are never cut:
    // the column is kept as wide as its widest figure (fitFiguresColumn).
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_largestView = makeTable(m_largest);
    m_longestView = makeTable(m_longest);
    auto* right = new QWidget(this);
    auto* rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    auto* largestTitle = new QLabel(tr("<b>Largest allocations</b>"), this);
    largestTitle->setToolTip(tr("The %1 biggest allocations live at some instant of the session or the selected range.").arg(kTopN));
    rl->addWidget(largestTitle);
    rl->addWidget(m_largestView, 1);
    auto* longestTitle = new QLabel(tr("<b>Longest-lived allocations</b>"), this);
    longestTitle->setToolTip(tr("The %1 allocations with the longest lifetime (to their free, or to the end of the session while live).").arg(kTopN));
    rl->addWidget(longestTitle);
    rl->addWidget(m_longestView, 1);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scroll);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1); // the tables take the spare width
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
    showStatistics(nullptr);
}

QTableView* StatisticsPage::makeTable(RankedAllocationModel* model)
{
    auto* view = new QTableView(this);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->setAlternatingRowColors(true);
    // Ids take the spare width, so the figures stay next to each other.
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setSectionResizeMode(RankedAllocationModel::Id, QHeaderView::Stretch);
    const auto choose = [this, model](const QModelIndex& i) {
        if (i.isValid())
            Q_EMIT allocationChosen(model->data(i, RankedAllocationModel::AllocatedAtRole).toLongLong());
    };
    connect(view, &QAbstractItemView::clicked, this, choose);
    connect(&DisplaySettings::instance(), &DisplaySettings::changed, this, &StatisticsPage::recompute, Qt::UniqueConnection);
    connect(view, &QAbstractItemView::activated, this, choose);
    return view;
}

QLabel* StatisticsPage::addFigure(QFormLayout* form, const QString& key, const QString& title, const QString& tip)
{
    auto* label = new QLabel(this);
    label->setObjectName(QStringLiteral("stat-") + key);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setToolTip(tip);
    auto* name = new QLabel(title + QLatin1Char(':'), this);
    name->setToolTip(tip);
    form->addRow(name, label);
    m_figures.insert(key, label);
    return label;
}

QString StatisticsPage::figure(const QString& key) const
{
    const QLabel* l = m_figures.value(key);
    return l ? l->text() : QString();
}

void StatisticsPage::setSession(const SessionModel* session, std::shared_ptr<const std::vector<EventLogEntry>> events,
                                std::shared_ptr<const void> owner)
{
    m_session = session;
    m_events = std::move(events);
    m_owner = std::move(owner);
    m_range.reset();
    recompute();
}

void StatisticsPage::setSelectedRange(std::optional<std::pair<std::int64_t, std::int64_t>> range)
{
    if (range == m_range)
        return;
    m_range = range;
    recompute();
}

void StatisticsPage::recompute()
{
    const quint64 generation = ++m_generation; // anything in flight is for an older range or session
    if (!m_session) {
        m_computing = false;
        m_stats.reset();
        showStatistics(nullptr);
        return;
    }
    m_computing = true;
    m_scope->setText(tr("Computing…"));
    QPointer<StatisticsPage> self(this);
    const SessionModel* session = m_session;
    auto events = m_events ? m_events : std::make_shared<const std::vector<EventLogEntry>>();
    const auto range = m_range;
    (void)QtConcurrent::run([self, generation, session, events, range, owner = m_owner]() {
        auto stats = std::make_shared<const SessionStatistics>(computeSessionStatistics(*session, *events, range, kTopN));
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, generation, stats]() {
            if (!self || generation != self->m_generation)
                return;
            self->m_computing = false;
            self->m_stats = stats;
            self->showStatistics(stats);
            Q_EMIT self->statisticsReady();
        }, Qt::QueuedConnection);
    });
}

void StatisticsPage::showStatistics(std::shared_ptr<const SessionStatistics> stats)
{
    if (!stats || !m_session) {
        for (QLabel* l : std::as_const(m_figures))
            l->setText(QStringLiteral("—"));
        m_scope->setText(tr("Select a session to see its statistics; select a range on the timeline to see the range's."));
        m_largest->setRows(nullptr, {});
        m_longest->setRows(nullptr, {});
        fitFiguresColumn();
        return;
    }
    const SessionStatistics& s = *stats;
    const auto at = [this](std::int64_t ms) { return static_cast<double>(ms - m_session->firstMs()) / 1000.0; };
    m_scope->setText(s.wholeSession ? tr("<b>Whole session</b> (%1 s). Select a range on the timeline to see its figures.").arg(at(s.toMs), 0, 'f', 3)
                                    : tr("<b>Selected range</b> %1 s – %2 s: figures at its end, peak and counts within it.")
                                          .arg(at(s.fromMs), 0, 'f', 3)
                                          .arg(at(s.toMs), 0, 'f', 3));
    const MemoryStats& st = s.stats;
    const auto set = [this](const QString& key, const QString& text) { m_figures.value(key)->setText(text); };
    set(QStringLiteral("used"), bytes(st.currentBytes));
    set(QStringLiteral("tracked"), bytes(st.trackedBytes));
    set(QStringLiteral("untracked"), bytes(s.untrackedBytes));
    set(QStringLiteral("efficiency"), QStringLiteral("%1 %").arg(st.efficiencyRatio * 100.0, 0, 'f', 1));
    set(QStringLiteral("peak"), tr("%1 at %2 s").arg(bytes(s.wholeSession ? st.peakBytes : s.range.peakUsedBytes)).arg(at(s.range.peakUsedAtMs), 0, 'f', 3));
    set(QStringLiteral("average"), bytes(s.range.averageUsedBytes));
    set(QStringLiteral("allocations"), tr("%L1 (%L2 live, %L3 freed)").arg(st.totalAllocations).arg(st.activeAllocations).arg(st.freedAllocations));
    set(QStringLiteral("in-range"), tr("%L1 allocations, %L2 frees").arg(s.range.allocationsInRange).arg(s.range.freesInRange));
    set(QStringLiteral("average-size"), bytes(st.averageAllocationSize));
    set(QStringLiteral("fragmentation"), QStringLiteral("%1").arg(st.fragmentationRatio, 0, 'f', 2));

    const MemoryTrend& t = s.trend;
    set(QStringLiteral("trend"), trendName(t.direction));
    const double slope = t.slopeBytesPerSecond;
    set(QStringLiteral("slope"), (slope < 0 ? QStringLiteral("−") : QStringLiteral("+")) +
                                     tr("%1/s").arg(bytes(static_cast<std::uint64_t>(std::llround(std::abs(slope))))));
    set(QStringLiteral("predicted-peak"), bytes(t.predictedPeakBytes));
    set(QStringLiteral("until-critical"), !t.secondsUntilCritical ? QStringLiteral("—")
                                          : *t.secondsUntilCritical <= 0 ? tr("critical already")
                                                                         : duration(*t.secondsUntilCritical));

    QStringList errors;
    for (const ErrorCount& e : s.errorsByCode)
        errors << QStringLiteral("%1 × %L2").arg(QString::fromUtf8(toString(e.code).data(), static_cast<qsizetype>(toString(e.code).size()))).arg(e.count);
    set(QStringLiteral("errors"), errors.isEmpty() ? tr("none") : errors.join(QLatin1Char('\n')));

    m_largest->setRows(m_session, s.largest);
    m_longest->setRows(m_session, s.longestLived);
    fitFiguresColumn();
}

void StatisticsPage::fitFiguresColumn()
{
    // Wide enough for the longest name and figure (the form's minimum) plus the vertical
    // scroll bar, which appears on a short window; the tables beside it get the rest.
    // The figures' new texts reach the column's layout only at the next layout pass (the
    // group boxes' sizes are cached there): refresh them now, so the minimum is that of the
    // texts just set.
    for (QGroupBox* group : m_left->findChildren<QGroupBox*>())
        group->updateGeometry();
    const int needed = m_left->minimumSizeHint().width() + m_leftScroll->verticalScrollBar()->sizeHint().width();
    if (needed > m_leftScroll->minimumWidth())
        m_leftScroll->setMinimumWidth(needed); // never narrower again: the column does not jitter as figures change
    // Now rather than at the next layout pass: a screenshot or a test may look right away.
    if (auto* split = qobject_cast<QSplitter*>(m_leftScroll->parentWidget()))
        split->refresh();
}

} // namespace flight::ui
