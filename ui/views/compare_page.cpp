// SPDX-License-Identifier: MIT
#include "compare_page.h"

#include "style/app_style.h"
#include "style/display_settings.h"
#include "timeline/plot_area_aligner.h"
#include "style/size_format.h"
#include "timeline/timeline_sync.h"
#include "timeline/timeline_view.h"

#include "budgets/budget_verdict.h"

#include <QComboBox>
#include <QLegend>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace flight::ui {
namespace {

QString change(std::int64_t a, std::int64_t b)
{
    const std::int64_t d = b - a;
    QString text = (d > 0 ? QStringLiteral("+") : QString()) + formatSignedSize(d);
    if (a > 0)
        text += QStringLiteral(" (%1%2 %)").arg(d > 0 ? QStringLiteral("+") : QString())
                    .arg(100.0 * static_cast<double>(d) / static_cast<double>(a), 0, 'f', 1);
    return text;
}

} // namespace

ComparePage::ComparePage(QWidget* parent)
    : QWidget(parent)
{
    m_other = new QComboBox(this);
    m_other->setMinimumContentsLength(30);
    m_other->setToolTip(tr("Session B. Session A is the one selected in the sessions list."));
    m_align = new QComboBox(this);
    m_align->addItem(tr("Relative to each start"), static_cast<int>(Alignment::Relative));
    m_align->addItem(tr("Absolute time"), static_cast<int>(Alignment::Absolute));
    m_align->setToolTip(tr("Relative: both axes count seconds from their own session's start, so recordings "
                           "made at different times line up.\nAbsolute: one clock for both, from the earlier start."));
    m_hint = new QLabel(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Compare the selected session with"), this));
    bar->addWidget(m_other, 1);
    bar->addWidget(new QLabel(tr("Align:"), this));
    bar->addWidget(m_align);
    bar->addWidget(m_hint);

    m_timelineA = new TimelineView(this);
    m_timelineA->setTitlePrefix(tr("A"));
    m_timelineB = new TimelineView(this);
    m_timelineB->setTitlePrefix(tr("B"));
    m_sync = new TimelineSync(m_timelineA, m_timelineB, this);
    // Their y axes may need different label widths ("15" MB, "400" MB): the plots stay one above the other.
    new PlotAreaAligner({m_timelineA, m_timelineB}, this);
    // The table below names the purposes with their colours: the plots keep the height.
    for (TimelineView* t : {m_timelineA, m_timelineB}) {
        t->chart()->legend()->hide();
        t->setMinimumHeight(140); // title, marker labels and a readable time axis; the window can still be short
    }
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    // One line per cell ("+486.4MB (+3090.9 %)", "End change"): each column as wide as its
    // text, the purposes take the rest; a narrow window scrolls sideways instead of wrapping.
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setToolTip(tr("Peak: the highest usage over the whole session. p95: 95 % of the session's time was at "
                           "or below it. End: usage at the last event. Change: B minus A, and in % of A."));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_timelineA);
    split->addWidget(m_timelineB);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 2);
    split->setSizes({300, 300, 200});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    connect(m_other, &QComboBox::currentIndexChanged, this, &ComparePage::refresh);
    connect(m_align, &QComboBox::currentIndexChanged, this, &ComparePage::alignTimelines);
    connect(&DisplaySettings::instance(), &DisplaySettings::changed, this, &ComparePage::refresh);
}

void ComparePage::setSessions(std::vector<SessionRef> sessions)
{
    m_sessions = std::move(sessions);
    const QSignalBlocker block(m_other);
    m_other->clear();
    for (std::size_t i = 0; i < m_sessions.size(); ++i)
        m_other->addItem(m_sessions[i].label, static_cast<int>(i));
    refresh();
}

void ComparePage::setCurrent(int index)
{
    m_current = index;
    // Default B: the first other session.
    if (otherIndex() == m_current || otherIndex() < 0)
        for (int i = 0; i < m_other->count(); ++i)
            if (i != m_current) {
                const QSignalBlocker block(m_other);
                m_other->setCurrentIndex(i);
                break;
            }
    refresh();
}

int ComparePage::otherIndex() const
{
    return m_other->currentIndex();
}

void ComparePage::setOther(int index)
{
    m_other->setCurrentIndex(index);
}

ComparePage::Alignment ComparePage::alignment() const
{
    return static_cast<Alignment>(m_align->currentData().toInt());
}

void ComparePage::setAlignment(Alignment a)
{
    m_align->setCurrentIndex(m_align->findData(static_cast<int>(a)));
}

void ComparePage::refresh()
{
    m_table->clear();
    m_table->setRowCount(0);
    const int b = otherIndex();
    if (m_current < 0 || b < 0 || b == m_current || static_cast<std::size_t>(m_current) >= m_sessions.size()
        || static_cast<std::size_t>(b) >= m_sessions.size() || !m_sessions[static_cast<std::size_t>(m_current)].recording
        || !m_sessions[static_cast<std::size_t>(b)].recording) {
        m_hint->setText(m_sessions.size() < 2 ? tr("Open a second session to compare.") : tr("Pick another session."));
        m_timelineA->setSession(nullptr, nullptr);
        m_timelineB->setSession(nullptr, nullptr);
        return;
    }
    m_hint->clear();
    const SessionRef& ra = m_sessions[static_cast<std::size_t>(m_current)];
    const SessionRef& rb = m_sessions[static_cast<std::size_t>(b)];
    m_timelineA->setSession(&ra.session(), ra.analytics().pyramid.get());
    m_timelineB->setSession(&rb.session(), rb.analytics().pyramid.get());
    alignTimelines();
    fillTable(ra, rb);
}

void ComparePage::alignTimelines()
{
    const int b = otherIndex();
    if (m_current < 0 || b < 0 || b == m_current || static_cast<std::size_t>(m_current) >= m_sessions.size()
        || static_cast<std::size_t>(b) >= m_sessions.size() || !m_sessions[static_cast<std::size_t>(m_current)].recording
        || !m_sessions[static_cast<std::size_t>(b)].recording)
        return;
    const SessionModel& a = m_sessions[static_cast<std::size_t>(m_current)].session();
    const SessionModel& sb = m_sessions[static_cast<std::size_t>(b)].session();
    if (alignment() == Alignment::Relative) {
        // Both span the longer session, each from its own start.
        const std::int64_t span = std::max(a.lastMs() - a.firstMs(), sb.lastMs() - sb.firstMs());
        m_timelineA->setTimeBase(a.firstMs(), a.firstMs(), a.firstMs() + span);
        m_timelineB->setTimeBase(sb.firstMs(), sb.firstMs(), sb.firstMs() + span);
        m_timelineA->setTimeAxisTitle(tr("time since A started (s)"));
        m_timelineB->setTimeAxisTitle(tr("time since B started (s)"));
        m_sync->setOffsetMs(sb.firstMs() - a.firstMs());
    } else {
        const std::int64_t from = std::min(a.firstMs(), sb.firstMs());
        const std::int64_t to = std::max(a.lastMs(), sb.lastMs());
        m_timelineA->setTimeBase(from, from, to);
        m_timelineB->setTimeBase(from, from, to);
        const QString title = tr("time since the earlier session started (s)");
        m_timelineA->setTimeAxisTitle(title);
        m_timelineB->setTimeAxisTitle(title);
        m_sync->setOffsetMs(0);
    }
}

void ComparePage::fillTable(const SessionRef& ra, const SessionRef& rb)
{
    const SessionModel& a = ra.session();
    const SessionModel& sb = rb.session();
    // Per purpose: value types make the diff a subtraction.
    const RangeSummary ra0 = a.rangeSummary(a.firstMs(), a.lastMs());
    const RangeSummary rb0 = sb.rangeSummary(sb.firstMs(), sb.lastMs());
    const PurposeUsage avgA = sessionUsage(a, UsagePoint::P95).byPurpose; // p95 stands for "typical"
    const PurposeUsage avgB = sessionUsage(sb, UsagePoint::P95).byPurpose;
    const PurposeUsage endA = a.usage();
    const PurposeUsage endB = sb.usage();
    const PurposeUsage peakDiff = rb0.peakByPurpose - ra0.peakByPurpose;

    const QStringList headers{tr("Purpose"), tr("Peak A"), tr("Peak B"), tr("Peak change"), tr("p95 A"), tr("p95 B"),
                              tr("End A"), tr("End B"), tr("End change")};
    m_table->setColumnCount(static_cast<int>(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch); // the purposes
    auto addRow = [&](const QString& name, std::int64_t pa, std::int64_t pb, std::int64_t qa, std::int64_t qb,
                      std::int64_t ea, std::int64_t eb, const QColor& colour) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto* item = new QTableWidgetItem(name);
        if (colour.isValid())
            item->setData(Qt::DecorationRole, colour);
        m_table->setItem(row, 0, item);
        const QString cells[] = {formatSignedSize(pa), formatSignedSize(pb), change(pa, pb), formatSignedSize(qa),
                                 formatSignedSize(qb), formatSignedSize(ea), formatSignedSize(eb), change(ea, eb)};
        for (int c = 0; c < 8; ++c) {
            auto* cell = new QTableWidgetItem(cells[c]);
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if ((c == 2 && pb > pa) || (c == 7 && eb > ea))
                cell->setForeground(worseColor());
            else if ((c == 2 && pb < pa) || (c == 7 && eb < ea))
                cell->setForeground(betterColor());
            m_table->setItem(row, c + 1, cell);
        }
    };
    addRow(tr("Used (total)"), static_cast<std::int64_t>(a.peakBytes()), static_cast<std::int64_t>(sb.peakBytes()),
           static_cast<std::int64_t>(sessionUsage(a, UsagePoint::P95).totalBytes),
           static_cast<std::int64_t>(sessionUsage(sb, UsagePoint::P95).totalBytes),
           static_cast<std::int64_t>(a.usedBytes()), static_cast<std::int64_t>(sb.usedBytes()), QColor());
    const std::size_t n = std::max(ra0.peakByPurpose.size(), rb0.peakByPurpose.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto p = MemoryPurpose::fromId(static_cast<std::uint16_t>(i));
        if (ra0.peakByPurpose[p] == 0 && rb0.peakByPurpose[p] == 0)
            continue;
        addRow(QString::fromStdString(p.displayName()), ra0.peakByPurpose[p], ra0.peakByPurpose[p] + peakDiff[p], avgA[p],
               avgB[p], endA[p], endB[p], purposeColor(static_cast<int>(i)));
    }
}

} // namespace flight::ui
