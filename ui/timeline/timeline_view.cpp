// SPDX-License-Identifier: MIT
#include "timeline_view.h"

#include "style/app_style.h"
#include "export/chart_image_export.h"
#include "style/theme_colors.h"

#include "analytics/usage_pyramid.h"
#include "style/display_settings.h"
#include "marker_label_layout.h"
#include "timeline_inputs.h"
#include "timeline_plot_item.h"
#include "timeline_readout.h"

#include <QAreaSeries>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QKeyEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QRubberBand>
#include <QTimer>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace flight::ui {
namespace {

constexpr int kMaxMarkersDrawn = 40;

// Cosmetic pens are drawn by the rasteriser's fast path; a pen with a width in
// scene units goes through the general stroker (joins, atan2 per vertex), which
// was most of a frame's painting (docs/performance.md, "Timeline").
QPen cosmeticPen(const QColor& colour, qreal width, Qt::PenStyle style = Qt::SolidLine)
{
    QPen pen(colour, width, style);
    pen.setCosmetic(true);
    return pen;
}
constexpr std::int64_t kMinSpanMs = 10;

// The data is painted by TimelinePlotItem; these series hold no points and only
// give the legend its entries, drawn by Qt Charts with their brush and pen.
void addLegendArea(QChart* chart, const QString& name, const QColor& fill, const QPen& edge)
{
    auto* area = new QAreaSeries(new QLineSeries, new QLineSeries);
    area->setName(name);
    area->setBrush(fill);
    area->setPen(edge);
    chart->addSeries(area);
}

void addLegendLine(QChart* chart, const QString& name, const QPen& pen)
{
    auto* line = new QLineSeries;
    line->setName(name);
    line->setPen(pen);
    chart->addSeries(line);
}

void setLabelFormatIfNew(QValueAxis* axis, const QString& format)
{
    if (axis->labelFormat() != format)
        axis->setLabelFormat(format);
}

} // namespace

TimelineView::TimelineView(QWidget* parent)
    : QChartView(parent)
{
    auto* chart = new QChart;
    // A column beside the plot: the twelve names of a large session never fit a row under it whole.
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->legend()->setShowToolTips(true); // full names when a label is elided
    QFont legendFont = chart->legend()->font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    chart->legend()->setFont(legendFont);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setRubberBand(QChartView::NoRubberBand);
    addSaveImageAction(this, QStringLiteral("timeline.png"));

    m_x = new QValueAxis(this);
    m_x->setTitleText(tr("time (s)"));
    m_x->setLabelFormat(QStringLiteral("%.1f"));
    m_y = new QValueAxis(this);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_plot = new TimelinePlotItem(chart);
    connect(chart, &QChart::plotAreaChanged, this, &TimelineView::plotAreaChanged);

    m_cursorLine = new QGraphicsLineItem(chart);
    m_cursorLine->setPen(QPen(mutedInkColor(), 1, Qt::DashLine));
    m_cursorLine->setZValue(20);
    m_cursorLine->hide();
    m_readout = new QGraphicsTextItem(chart);
    m_readout->setZValue(21);
    m_readout->hide();
    m_selectionRect = new QGraphicsRectItem(chart);
    m_selectionRect->setZValue(10);
    m_selectionRect->hide();
    m_playheadLine = new QGraphicsLineItem(chart);
    m_playheadLine->setZValue(19);
    m_playheadLine->hide();
    m_band = new QRubberBand(QRubberBand::Rectangle, this);
    restyle();
    connect(&DisplaySettings::instance(), &DisplaySettings::changed, this, &TimelineView::restyle);
    setToolTip(timelineInputsToolTip()); // Help › Keyboard Shortcuts reads the same list
    setAccessibleName(tr("Timeline"));
}

TimelineView::~TimelineView() = default;

void TimelineView::clearSeries()
{
    m_legendKey.clear();
    chart()->removeAllSeries(); // deletes them
    m_plot->clear();
    m_levelValues.clear();
    m_builtFor = QSize();
    for (auto* l : m_markerLabels)
        delete l;
    m_markerLabels.clear();
}

namespace {
// What the legend, the bands and the levels are made of: while it stays the same
// (a live session that grew), setSession keeps them and only redraws the data.
QString legendKey(const SessionModel& session, const std::vector<MemoryPurpose>& purposes, const QString& unit)
{
    // Not the session's id: a producer's next session with the same legend keeps it (the title says which).
    QString key = QString::fromStdString(session.info().platform);
    key += QStringLiteral("|%1|%2").arg(session.info().totalBytes).arg(unit);
    if (const auto limits = session.limits())
        key += QStringLiteral("|%1|%2").arg(limits->softLimit.bytes).arg(limits->hardLimit.bytes);
    for (const MemoryPurpose p : purposes)
        key += QStringLiteral("|%1").arg(p.id());
    const auto th = session.info().thresholds;
    return key + QStringLiteral("|%1|%2|%3").arg(th.medium).arg(th.high).arg(th.critical);
}
} // namespace

void TimelineView::setSession(const SessionModel* session, const UsagePyramid* pyramid)
{
    m_selection.reset();
    m_selectionRect->hide();
    m_playhead.reset();
    m_playheadLine->hide();
    if (!session || !pyramid) {
        clearSeries();
        m_legendHeld = false;
        m_session = session;
        m_pyramid = pyramid;
        chart()->setTitle(QString());
        return;
    }
    const std::int64_t fullFrom = session->firstMs();
    const std::int64_t fullTo = std::max(session->lastMs(), fullFrom + kMinSpanMs);
    // Bands for every purpose that ever held bytes, in a fixed order.
    const RangeSummary whole = session->rangeSummary(fullFrom, fullTo);
    std::vector<MemoryPurpose> purposes;
    for (std::size_t p = 0; p < whole.peakByPurpose.size(); ++p) {
        const auto purpose = MemoryPurpose::fromId(static_cast<std::uint16_t>(p));
        if (whole.peakByPurpose[purpose] > 0)
            purposes.push_back(purpose);
    }
    const std::uint64_t total = session->info().totalBytes;
    const double top = static_cast<double>(std::max<std::uint64_t>(total, session->peakBytes()));
    double unitBytes = 1;
    QString unitName;
    chooseUnit(top, &unitBytes, &unitName);
    const QString key = legendKey(*session, purposes, unitName);
    const bool sameLegend = ((m_session && m_pyramid) || m_legendHeld) && key == m_legendKey && unitBytes == m_unitBytes;
    m_legendHeld = false;
    m_session = session;
    m_pyramid = pyramid;
    m_originMs = fullFrom;
    m_fullFromMs = fullFrom;
    m_fullToMs = fullTo;
    m_fromMs = m_fullFromMs;
    m_toMs = m_fullToMs;
    if (sameLegend) { // a live session grew: the series, legend and bands stay, the data is redrawn
        setSessionTitle(*session);
        rebuild();
        return;
    }
    clearSeries();
    m_legendKey = key;
    m_purposes = std::move(purposes);
    m_unitBytes = unitBytes;
    m_unitName = unitName;
    m_y->setTitleText(m_unitName);

    // Pressure bands behind everything (not in the legend).
    std::vector<TimelinePlotItem::Band> bands;
    if (total > 0) {
        const auto th = session->info().thresholds;
        const double edges[] = {th.medium, th.high, th.critical, 1.0};
        for (int level = 1; level <= 3; ++level) {
            QColor c = pressureColor(level);
            c.setAlpha(38);
            bands.push_back({edges[level - 1] * static_cast<double>(total) / m_unitBytes,
                             edges[level] * static_cast<double>(total) / m_unitBytes, c});
        }
    }
    m_plot->setBands(std::move(bands));
    // The legend column lists the stack from the top down, as it is drawn.
    for (auto it = m_purposes.rbegin(); it != m_purposes.rend(); ++it) {
        const MemoryPurpose p = *it;
        const QColor c = purposeColor(p.id());
        const QPen edge = cosmeticPen(isDarkAppearance() ? c.lighter(120) : c.darker(120), 1);
        m_plot->setPurposeStyle(p, c, edge);
        addLegendArea(chart(), QString::fromStdString(p.displayName()), c, edge);
    }
    m_plot->setUsedPen(cosmeticPen(inkColor(), 1));
    addLegendLine(chart(), tr("used"), cosmeticPen(inkColor(), 1));

    std::vector<TimelinePlotItem::Level> levels;
    auto addLevel = [&](const QString& name, std::uint64_t bytes, QColor colour, Qt::PenStyle style) {
        if (bytes == 0)
            return;
        const QPen pen = cosmeticPen(colour, 1.5, style);
        addLegendLine(chart(), name, pen);
        levels.push_back({static_cast<double>(bytes) / m_unitBytes, pen});
        m_levelValues.push_back(levels.back().y);
    };
    addLevel(tr("total %1").arg(formatSize(total)), total, inkColor(), Qt::SolidLine);
    if (auto limits = session->limits()) {
        addLevel(tr("soft limit"), limits->softLimit.bytes, pressureColor(2), Qt::DashLine);
        addLevel(tr("hard limit"), limits->hardLimit.bytes, pressureColor(3), Qt::DashLine);
    }
    m_plot->setLevels(std::move(levels));
    m_plot->setMarkerPen(cosmeticPen(mutedInkColor(), 1, Qt::DotLine));
    setSessionTitle(*session);
    styleChart(chart());
    m_cursorLine->setPen(QPen(mutedInkColor(), 1, Qt::DashLine));
    rebuild();
}

void TimelineView::setSessionTitle(const SessionModel& session)
{
    const QString title = (m_titlePrefix.isEmpty() ? QString() : m_titlePrefix + QStringLiteral(": "))
                        + tr("%1 · %2").arg(QString::fromStdString(session.info().sessionId),
                                            QString::fromStdString(session.info().platform));
    if (chart()->title() != title) // setTitle lays the chart out again, even for the same text
        chart()->setTitle(title);
}

void TimelineView::holdForNextSession(const QString& sessionId)
{
    if (m_legendKey.isEmpty()) { // nothing built to keep
        setSession(nullptr, nullptr);
        return;
    }
    m_selection.reset();
    m_selectionRect->hide();
    m_playhead.reset();
    m_playheadLine->hide();
    m_session = nullptr;
    m_pyramid = nullptr;
    m_legendHeld = true;
    m_plot->setSeries({});
    m_plot->setMarkers({});
    for (auto* l : m_markerLabels)
        delete l;
    m_markerLabels.clear();
    chart()->setTitle((m_titlePrefix.isEmpty() ? QString() : m_titlePrefix + QStringLiteral(": "))
                      + tr("%1 · waiting for its first data…").arg(sessionId));
}

void TimelineView::setTimeBase(std::int64_t originMs, std::int64_t domainFromMs, std::int64_t domainToMs)
{
    m_originMs = originMs;
    m_fullFromMs = domainFromMs;
    m_fullToMs = std::max(domainToMs, domainFromMs + kMinSpanMs);
    m_fromMs = m_fullFromMs;
    m_toMs = m_fullToMs;
    rebuild();
    Q_EMIT visibleRangeChanged(m_fromMs, m_toMs);
}

void TimelineView::setTitlePrefix(const QString& prefix)
{
    m_titlePrefix = prefix;
}

void TimelineView::setTimeAxisTitle(const QString& title)
{
    m_x->setTitleText(title);
}

void TimelineView::restyle()
{
    m_selectionRect->setBrush(selectionFillColor(palette()));
    m_selectionRect->setPen(QPen(selectionEdgeColor(palette()), 1));
    m_playheadLine->setPen(QPen(playheadColor(palette()), 2));
    if (!m_session) {
        styleChart(chart());
        return;
    }
    const auto origin = m_originMs, fullFrom = m_fullFromMs, fullTo = m_fullToMs, from = m_fromMs, to = m_toMs;
    const auto selection = m_selection;
    const auto playhead = m_playhead;
    m_legendKey.clear(); // new colours: the legend and bands are built again
    setSession(m_session, m_pyramid);
    m_originMs = origin;
    m_fullFromMs = fullFrom;
    m_fullToMs = fullTo;
    m_fromMs = from;
    m_toMs = to;
    m_selection = selection;
    m_playhead = playhead;
    rebuild();
}

void TimelineView::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        restyle();
}

void TimelineView::resetZoom()
{
    setVisibleRange(m_fullFromMs, m_fullToMs);
}

void TimelineView::setVisibleRange(std::int64_t fromMs, std::int64_t toMs)
{
    const std::int64_t span = std::clamp<std::int64_t>(toMs - fromMs, kMinSpanMs, m_fullToMs - m_fullFromMs);
    fromMs = std::clamp(fromMs, m_fullFromMs, m_fullToMs - span);
    if (fromMs == m_fromMs && fromMs + span == m_toMs)
        return;
    m_fromMs = fromMs;
    m_toMs = fromMs + span;
    scheduleRebuild();
    Q_EMIT visibleRangeChanged(m_fromMs, m_toMs);
}

void TimelineView::setSelection(std::optional<std::pair<std::int64_t, std::int64_t>> range)
{
    m_selection = range;
    updateOverlays();
    Q_EMIT selectionChanged(m_selection);
}

void TimelineView::setPlayhead(std::optional<std::int64_t> timeMs)
{
    m_playhead = timeMs;
    updateOverlays();
}

qsizetype TimelineView::pointCount() const
{
    return static_cast<qsizetype>(m_plot->series().pointCount());
}

const TimelineSeries& TimelineView::drawnSeries() const
{
    return m_plot->series();
}

void TimelineView::scheduleRebuild()
{
    if (m_rebuildPending)
        return;
    m_rebuildPending = true;
    QTimer::singleShot(0, this, [this]() {
        m_rebuildPending = false;
        rebuild();
    });
}

void TimelineView::rebuild()
{
    if (!m_session || !m_pyramid)
        return;
    const int columns = std::max(16, static_cast<int>(chart()->plotArea().width()));
    // Under a shared time base the view may reach past the session: draw only where it has data.
    const std::int64_t dataFrom = std::max(m_fromMs, m_session->firstMs());
    const std::int64_t dataTo = std::min(m_toMs, std::max(m_session->lastMs(), m_session->firstMs() + kMinSpanMs));
    const int dataColumns = dataTo > dataFrom
        ? std::max(1, static_cast<int>(static_cast<double>(columns) * static_cast<double>(dataTo - dataFrom)
                                       / static_cast<double>(m_toMs - m_fromMs)))
        : 0;
    TimelineSeries data = buildTimelineSeries(*m_session, *m_pyramid, m_originMs, dataFrom, dataTo, dataColumns,
                                              m_unitBytes, m_purposes);
    m_builtFor = chart()->plotArea().size().toSize();

    const double x0 = toSeconds(m_fromMs, m_originMs);
    const double x1 = toSeconds(m_toMs, m_originMs);
    double top = data.maxY;
    for (double y : m_levelValues)
        top = std::max(top, y);
    top = top > 0 ? top * 1.12 : 1.0; // headroom for the marker labels
    m_plot->setSeries(std::move(data));

    // Markers in view, as labelled vertical lines. A label whose text is the same
    // as the one already in its place is kept (a live session redraws 4 times a
    // second: laying out the same texts again was a good part of each redraw).
    std::vector<double> markerXs;
    std::size_t kept = 0;
    for (const Marker& mk : m_session->markers()) {
        if (mk.timeMs < m_fromMs || mk.timeMs > m_toMs || static_cast<int>(markerXs.size()) >= kMaxMarkersDrawn)
            continue;
        const double x = toSeconds(mk.timeMs, m_originMs);
        markerXs.push_back(x);
        const QString text = QString::fromStdString(mk.label);
        QGraphicsSimpleTextItem* label = kept < m_markerLabels.size() ? m_markerLabels[kept] : nullptr;
        if (!label) {
            label = new QGraphicsSimpleTextItem(chart());
            label->setZValue(15);
            m_markerLabels.push_back(label);
        }
        if (label->text() != text)
            label->setText(text);
        const QBrush ink(palette().color(QPalette::WindowText));
        if (label->brush() != ink)
            label->setBrush(ink);
        label->setData(0, x);
        ++kept;
    }
    while (m_markerLabels.size() > kept) {
        delete m_markerLabels.back();
        m_markerLabels.pop_back();
    }
    m_plot->setMarkers(std::move(markerXs));
    m_plot->setRanges(x0, x1, 0, top);
    m_plot->setPlotArea(chart()->plotArea());

    m_x->setRange(x0, x1);
    // Ticks at round values whatever the zoom. Each setting is made only when it
    // differs: QValueAxis::setLabelFormat lays the whole chart out again even for
    // the same format, at every refresh of a live session.
    const double step = niceStep(x1 - x0, 7);
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0);
    m_x->setTickInterval(step);
    setLabelFormatIfNew(m_x, step >= 1 ? QStringLiteral("%.0f") : step >= 0.1 ? QStringLiteral("%.1f") : QStringLiteral("%.3f"));
    m_y->setRange(0, top);
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(0);
    // About five intervals, fewer on a short chart (the compare page's) so labels never overlap.
    const double yStep = niceStep(top, std::clamp(chart()->plotArea().height() / 32.0, 2.0, 5.0));
    m_y->setTickInterval(yStep);
    // As many decimals as the step has: 0.5 GB steps read 0.5, 1.0, 1.5, not 0, 1, 1, 2.
    const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(yStep) - 1e-9)), 0, 3);
    setLabelFormatIfNew(m_y, QStringLiteral("%.%1f").arg(decimals));
    updateOverlays();
}

void TimelineView::updateOverlays()
{
    const QRectF plot = chart()->plotArea();
    std::vector<MarkerLabel> labels;
    for (auto* label : m_markerLabels)
        labels.push_back({m_plot->xToPixel(label->data(0).toDouble()), label->boundingRect().width()});
    const double rowHeight = fontMetrics().height();
    const int rows = std::clamp(static_cast<int>((plot.height() - 4) / rowHeight), 1, 3);
    const auto placed = layoutMarkerLabels(labels, plot.left(), plot.right(), rows);
    for (std::size_t i = 0; i < placed.size(); ++i) {
        m_markerLabels[i]->setPos(placed[i].x, plot.top() + 2 + placed[i].row * rowHeight);
        m_markerLabels[i]->setVisible(placed[i].shown);
    }
    if (m_playhead && m_session && *m_playhead >= m_fromMs && *m_playhead <= m_toMs) {
        const double x = plotX(*m_playhead);
        m_playheadLine->setLine(x, plot.top(), x, plot.bottom());
        m_playheadLine->show();
    } else {
        m_playheadLine->hide();
    }
    if (m_selection && m_session) {
        const double a = std::max(plot.left(), static_cast<double>(plotX(m_selection->first)));
        const double b = std::min(plot.right(), static_cast<double>(plotX(m_selection->second)));
        if (b > a) {
            m_selectionRect->setRect(QRectF(a, plot.top(), b - a, plot.height()));
            m_selectionRect->show();
        } else {
            m_selectionRect->hide();
        }
    } else {
        m_selectionRect->hide();
    }
}

void TimelineView::plotAreaChanged(const QRectF& plot)
{
    // Axis labels of another width move the plot's edges, and the first layout
    // may come after the first rebuild: the drawing follows at once, and is
    // rebuilt when its pixel columns or its y ticks (chosen for the plot's
    // height) no longer match. A move alone (the compare page's aligned margins)
    // only re-places the drawing and the overlays: nothing is built again for it.
    m_plot->setPlotArea(plot);
    updateOverlays();
    if (m_session && plot.size().toSize() != m_builtFor)
        scheduleRebuild();
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    scheduleRebuild();
}

} // namespace flight::ui
