// SPDX-License-Identifier: MIT
#include "allocations_page.h"

#include "analytics/leak_candidates.h"
#include "models/allocation_table_model.h"
#include "style/app_style.h"

#include "style/display_settings.h"
#include "style/size_format.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace flight::ui {

AllocationsPage::AllocationsPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new AllocationTableModel(this))
{
    m_purpose = new QComboBox(this);
    m_mode = new QComboBox(this);
    m_mode->addItem(tr("All allocations"));
    m_mode->addItem(tr("Live at the pinned cursor"));
    m_mode->addItem(tr("Leak candidates in the selection"));
    m_mode->setToolTip(tr("Click the timeline to pin the cursor; Ctrl+drag on it to select a range. A leak candidate is "
                          "%1, as in every report.")
                           .arg(QString::fromUtf8(kLeakCandidateDefinition.data(),
                                                  static_cast<qsizetype>(kLeakCandidateDefinition.size()))));
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Filter by id…"));
    m_text->setClearButtonEnabled(true);
    m_textDelay = new QTimer(this);
    m_textDelay->setSingleShot(true);
    m_textDelay->setInterval(200); // don't requery a million rows on every keystroke

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_mode);
    bar->addWidget(m_purpose);
    bar->addWidget(m_text, 1);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(static_cast<int>(AllocationColumn::Size), Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures a million rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(0, 160);
    m_table->setColumnWidth(1, 170);
    m_table->setAlternatingRowColors(true);
    m_table->setAccessibleName(tr("Allocations"));
    setUpRowActions();

    m_totals = new QLabel(this);
    m_totals->setWordWrap(true);
    m_totals->setTextFormat(Qt::RichText);

    m_empty = new QLabel(tr("<p><b>No allocation records in this session.</b></p>"
                            "<p>It carries memory totals by purpose only. A history from Prometheus holds what the "
                            "agents' metrics hold (bytes by purpose over time, sampled at each scrape), never "
                            "individual allocations or markers; a producer may also send memory updates only.</p>"
                            "<p>The Timeline, Statistics, Budgets and Report views show its figures. For allocations, "
                            "open a recording or connect to the session live (Go Live in the Fleet view).</p>"),
                         this);
    m_empty->setObjectName(QStringLiteral("allocationsEmptyNote"));
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setMargin(24);
    m_empty->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_totals);

    connect(m_mode, &QComboBox::currentIndexChanged, this, &AllocationsPage::applyFilter);
    connect(&DisplaySettings::instance(), &DisplaySettings::changed, this, &AllocationsPage::updateTotals);
    connect(m_purpose, &QComboBox::currentIndexChanged, this, &AllocationsPage::applyFilter);
    connect(m_text, &QLineEdit::textChanged, m_textDelay, qOverload<>(&QTimer::start));
    connect(m_textDelay, &QTimer::timeout, this, &AllocationsPage::applyFilter);
    connect(m_model, &AllocationTableModel::queryFinished, this, &AllocationsPage::updateTotals);
}

void AllocationsPage::setSession(const SessionModel* session, std::shared_ptr<const std::vector<AllocationRow>> rows)
{
    m_session = session;
    m_pinned.reset();
    m_range.reset();
    {
        const QSignalBlocker block(m_purpose);
        const QVariant keep = m_purpose->currentData(); // a live refresh keeps the user's filter
        m_purpose->clear();
        m_purpose->addItem(tr("All purposes"));
        if (session) {
            const PurposeUsage peak = session->rangeSummary(session->firstMs(), session->lastMs()).peakByPurpose;
            for (std::size_t p = 0; p < peak.size(); ++p) {
                const auto purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(p));
                if (peak[purpose] > 0)
                    m_purpose->addItem(QString::fromStdString(purpose.displayName()), static_cast<int>(p));
            }
        }
        if (const int i = m_purpose->findData(keep); keep.isValid() && i >= 0)
            m_purpose->setCurrentIndex(i);
    }
    const bool none = session && session->allocationCount() == 0;
    m_table->setVisible(!none);
    m_empty->setVisible(none);
    m_totals->setVisible(!none); // "0 allocations" says nothing the note does not
    for (QWidget* w : {static_cast<QWidget*>(m_mode), static_cast<QWidget*>(m_purpose), static_cast<QWidget*>(m_text)})
        w->setEnabled(!none);
    m_model->setSession(session, std::move(rows));
    applyFilter();
}

void AllocationsPage::setUpRowActions()
{
    auto* copy = new QAction(tr("&Copy"), m_table);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &AllocationsPage::copySelectedRows);
    m_table->addAction(copy);
    // Double-click, or Enter on the current row (activated covers both).
    connect(m_table, &QAbstractItemView::activated, this, &AllocationsPage::showOnTimeline);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this, copy](const QPoint& pos) {
        const QModelIndex at = m_table->indexAt(pos);
        if (!at.isValid())
            return;
        if (!m_table->selectionModel()->isRowSelected(at.row(), {}))
            m_table->selectRow(at.row()); // the menu acts on the row clicked
        QMenu menu(this);
        menu.addAction(tr("&Show on Timeline"), this, [this, at]() { showOnTimeline(at); });
        menu.addAction(copy);
        menu.addAction(tr("&Filter by This Purpose"), this, [this, at]() { filterByPurposeOf(at); });
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
}

void AllocationsPage::showOnTimeline(const QModelIndex& index)
{
    const AllocationRow* row = m_session ? m_model->rowAt(index.row()) : nullptr;
    if (row)
        Q_EMIT showOnTimelineRequested(row->allocatedAt, row->freed() ? row->freedAt : m_session->lastMs());
}

void AllocationsPage::copySelectedRows()
{
    QList<int> rows;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows())
        rows << i.row();
    if (rows.isEmpty() && m_table->currentIndex().isValid())
        rows << m_table->currentIndex().row();
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (const int r : rows) {
        QStringList cells;
        for (int c = 0; c < m_model->columnCount(); ++c)
            cells << m_model->index(r, c).data().toString();
        lines << cells.join(QLatin1Char('\t'));
    }
    if (!lines.isEmpty())
        QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

void AllocationsPage::filterByPurposeOf(const QModelIndex& index)
{
    const AllocationRow* row = m_model->rowAt(index.row());
    if (!row)
        return;
    if (const int i = m_purpose->findData(static_cast<int>(row->purpose)); i >= 0)
        m_purpose->setCurrentIndex(i); // applies the filter
}

void AllocationsPage::resetFilters()
{
    const QSignalBlocker mode(m_mode);
    const QSignalBlocker purpose(m_purpose);
    const QSignalBlocker text(m_text);
    m_mode->setCurrentIndex(0);
    m_purpose->setCurrentIndex(0);
    m_text->clear();
    m_textDelay->stop();
}

void AllocationsPage::setPinnedTime(std::optional<std::int64_t> timeMs)
{
    m_pinned = timeMs;
    if (m_mode->currentIndex() == 1)
        applyFilter();
}

void AllocationsPage::setSelectedRange(std::optional<std::pair<std::int64_t, std::int64_t>> range)
{
    m_range = range;
    if (m_mode->currentIndex() == 2)
        applyFilter();
}

void AllocationsPage::applyFilter()
{
    if (!m_session)
        return;
    AllocationFilter f;
    f.text = m_text->text().trimmed();
    if (m_purpose->currentIndex() > 0)
        f.purpose = static_cast<std::uint16_t>(m_purpose->currentData().toInt());
    switch (m_mode->currentIndex()) {
    case 1:
        f.mode = AllocationFilter::Mode::LiveAt;
        f.atMs = m_pinned.value_or(m_session->lastMs());
        break;
    case 2:
        f.mode = AllocationFilter::Mode::LeakCandidates;
        f.fromMs = m_range ? m_range->first : m_session->firstMs();
        f.toMs = m_range ? m_range->second : m_session->lastMs();
        break;
    default:
        break;
    }
    m_model->setFilter(f);
    m_totals->setText(tr("Filtering…"));
}

void AllocationsPage::updateTotals()
{
    if (!m_session) {
        m_totals->clear();
        return;
    }
    const auto& r = m_model->result();
    QString where;
    const auto& f = m_model->filter();
    const auto secs = [&](std::int64_t t) { return static_cast<double>(t - m_session->firstMs()) / 1000.0; };
    if (f.mode == AllocationFilter::Mode::LiveAt)
        where = tr(" live at %1 s").arg(secs(f.atMs), 0, 'f', 3);
    else if (f.mode == AllocationFilter::Mode::LeakCandidates)
        where = tr(" in %1 s .. %2 s, leak candidates: %3")
                    .arg(secs(f.fromMs), 0, 'f', 3)
                    .arg(secs(f.toMs), 0, 'f', 3)
                    .arg(QString::fromUtf8(kLeakCandidateDefinition.data(), static_cast<qsizetype>(kLeakCandidateDefinition.size())));
    QString text = tr("<b>%L1</b> allocations%2, <b>%3</b>").arg(r.rows.size()).arg(where,
        formatSize(r.totalBytes));
    QStringList parts;
    for (std::size_t p = 0; p < r.totals.size(); ++p) {
        const auto purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(p));
        if (r.totals[purpose] <= 0)
            continue;
        parts << QStringLiteral("<span style='color:%1'>■</span> %2 %3")
                     .arg(purposeColor(static_cast<int>(p)).name(), QString::fromStdString(purpose.displayName()),
                          formatSize(static_cast<std::uint64_t>(r.totals[purpose])));
    }
    if (!parts.isEmpty())
        text += QStringLiteral(" — ") + parts.join(QStringLiteral(" · "));
    m_totals->setText(text);
}

} // namespace flight::ui
