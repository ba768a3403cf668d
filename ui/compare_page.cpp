#include "compare_page.h"

#include "app_style.h"
#include "chart_image_export.h"
#include "timeline_series_builder.h"

#include "budgets/budget_verdict.h"
#include "model/memory_size.h"

#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace flight::ui {
namespace {

constexpr int kChartColumns = 800;

QString bytes(std::int64_t b)
{
    return QString::fromStdString(b < 0 ? formatSignedBytes(b) : formatBytes(static_cast<std::uint64_t>(b)));
}

QString change(std::int64_t a, std::int64_t b)
{
    const std::int64_t d = b - a;
    QString text = (d > 0 ? QStringLiteral("+") : QString()) + bytes(d);
    if (a > 0)
        text += QStringLiteral(" (%1%2 %)").arg(d > 0 ? QStringLiteral("+") : QString())
                    .arg(100.0 * static_cast<double>(d) / static_cast<double>(a), 0, 'f', 1);
    return text;
}

QLineSeries* usedLine(const SessionRef& ref, const QString& name, const QColor& colour, double unit)
{
    const SessionModel& s = ref.session();
    auto* line = new QLineSeries;
    line->setName(name);
    line->setPen(QPen(colour, 1.5));
    const std::int64_t from = s.firstMs();
    const std::int64_t to = std::max(s.lastMs(), from + 1);
    QList<QPointF> points;
    for (const UsageExtent& e : ref.analytics().pyramid.columns(from, to, kChartColumns)) {
        const double lo = static_cast<double>(e.empty ? s.usedAt(e.fromMs) : e.minUsed) / unit;
        const double hi = static_cast<double>(e.empty ? s.usedAt(e.fromMs) : e.maxUsed) / unit;
        points << QPointF(toSeconds(e.fromMs, from), lo) << QPointF(toSeconds(std::max(e.fromMs, e.toMs - 1), from), hi);
    }
    line->replace(points);
    return line;
}

} // namespace

ComparePage::ComparePage(QWidget* parent)
    : QWidget(parent)
{
    m_other = new QComboBox(this);
    m_other->setMinimumContentsLength(30);
    m_hint = new QLabel(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Compare the selected session with"), this));
    bar->addWidget(m_other, 1);
    bar->addWidget(m_hint);

    m_chart = new QChartView(this);
    m_chart->setRenderHint(QPainter::Antialiasing);
    addSaveImageAction(m_chart, QStringLiteral("compare.png"));
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_chart);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    connect(m_other, &QComboBox::currentIndexChanged, this, &ComparePage::refresh);
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

void ComparePage::refresh()
{
    auto* chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_table->clear();
    m_table->setRowCount(0);
    const int b = otherIndex();
    if (m_current < 0 || b < 0 || b == m_current || static_cast<std::size_t>(m_current) >= m_sessions.size()
        || static_cast<std::size_t>(b) >= m_sessions.size() || !m_sessions[static_cast<std::size_t>(m_current)].recording
        || !m_sessions[static_cast<std::size_t>(b)].recording) {
        m_hint->setText(m_sessions.size() < 2 ? tr("Open a second session to compare.") : tr("Pick another session."));
        m_chart->setChart(chart);
        return;
    }
    m_hint->clear();
    const SessionRef& ra = m_sessions[static_cast<std::size_t>(m_current)];
    const SessionRef& rb = m_sessions[static_cast<std::size_t>(b)];
    const SessionModel& a = ra.session();
    const SessionModel& sb = rb.session();

    double unit = 1;
    QString unitName;
    chooseUnit(static_cast<double>(std::max(a.peakBytes(), sb.peakBytes())), &unit, &unitName);
    auto* la = usedLine(ra, tr("A: %1").arg(ra.label), QColor(0x1f, 0x4e, 0x99), unit);
    auto* lb = usedLine(rb, tr("B: %1").arg(rb.label), QColor(0xd5, 0x5e, 0x00), unit);
    chart->addSeries(la);
    chart->addSeries(lb);
    auto* x = new QValueAxis;
    x->setTitleText(tr("time since the session started (s)"));
    auto* y = new QValueAxis;
    y->setTitleText(tr("used (%1)").arg(unitName));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (auto* s : {la, lb}) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    // Never an empty range: a tick interval over nothing would ask for millions of ticks.
    const double top = std::max(1.0, static_cast<double>(std::max(a.peakBytes(), sb.peakBytes())) / unit * 1.05);
    const double right = std::max(1.0, static_cast<double>(std::max(a.lastMs() - a.firstMs(), sb.lastMs() - sb.firstMs())) / 1000.0);
    y->setRange(0, top);
    y->setTickType(QValueAxis::TicksDynamic);
    y->setTickAnchor(0);
    y->setTickInterval(niceStep(top, 5));
    y->setLabelFormat(QStringLiteral("%.0f"));
    x->setRange(0, right);
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(niceStep(right, 7));
    x->setLabelFormat(QStringLiteral("%.0f"));
    m_chart->setChart(chart);

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
    auto addRow = [&](const QString& name, std::int64_t pa, std::int64_t pb, std::int64_t qa, std::int64_t qb,
                      std::int64_t ea, std::int64_t eb, const QColor& colour) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto* item = new QTableWidgetItem(name);
        if (colour.isValid())
            item->setData(Qt::DecorationRole, colour);
        m_table->setItem(row, 0, item);
        const QString cells[] = {bytes(pa), bytes(pb), change(pa, pb), bytes(qa), bytes(qb), bytes(ea), bytes(eb), change(ea, eb)};
        for (int c = 0; c < 8; ++c) {
            auto* cell = new QTableWidgetItem(cells[c]);
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if ((c == 2 && pb > pa) || (c == 7 && eb > ea))
                cell->setForeground(QColor(0x9b, 0x1c, 0x13));
            else if ((c == 2 && pb < pa) || (c == 7 && eb < ea))
                cell->setForeground(QColor(0x2e, 0x7d, 0x32));
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
