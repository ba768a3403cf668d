// SPDX-License-Identifier: MIT
#include "timeline_plot_item.h"

#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace flight::ui {
namespace {

// Flat stretches (a quiet session, a zoomed view) would be runs of points at the
// same height; keep only the ends of each run so the rasteriser sees fewer edges.
void appendMerged(QPolygonF& poly, const QPointF& p)
{
    const qsizetype n = poly.size();
    if (n >= 2 && poly[n - 1].y() == p.y() && poly[n - 2].y() == p.y()) {
        poly[n - 1].setX(p.x());
        return;
    }
    poly.append(p);
}

} // namespace

TimelinePlotItem::TimelinePlotItem(QGraphicsItem* parent)
    : QGraphicsItem(parent)
{
    // Above the grid and axes, below the legend (Qt Charts' SeriesZValue).
    setZValue(4);
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
}

void TimelinePlotItem::setPurposeStyle(MemoryPurpose purpose, const QColor& fill, const QPen& edge)
{
    if (m_areaStyles.size() <= purpose.id())
        m_areaStyles.resize(purpose.id() + 1u);
    m_areaStyles[purpose.id()] = AreaStyle{QBrush(fill), edge, true};
    invalidate();
}

void TimelinePlotItem::setUsedPen(const QPen& pen)
{
    m_usedPen = pen;
    m_usedPen.setCapStyle(Qt::FlatCap); // segments end where the column's values do
    update();
}

void TimelinePlotItem::setMarkerPen(const QPen& pen)
{
    m_markerPen = pen;
    update();
}

void TimelinePlotItem::setBands(std::vector<Band> bands)
{
    m_bands = std::move(bands);
    invalidate();
}

void TimelinePlotItem::setLevels(std::vector<Level> levels)
{
    m_levels = std::move(levels);
    invalidate();
}

void TimelinePlotItem::setMarkers(std::vector<double> xs)
{
    m_markers = std::move(xs);
    invalidate();
}

void TimelinePlotItem::setSeries(TimelineSeries series)
{
    m_series = std::move(series);
    invalidate();
}

void TimelinePlotItem::setRanges(double x0, double x1, double y0, double y1)
{
    if (x0 == m_x0 && x1 == m_x1 && y0 == m_y0 && y1 == m_y1)
        return;
    m_x0 = x0;
    m_x1 = x1 > x0 ? x1 : x0 + 1e-9;
    m_y0 = y0;
    m_y1 = y1 > y0 ? y1 : y0 + 1e-9;
    invalidate();
}

void TimelinePlotItem::setPlotArea(const QRectF& plot)
{
    if (plot == m_plot)
        return;
    prepareGeometryChange();
    m_plot = plot;
    invalidate();
}

void TimelinePlotItem::clear()
{
    m_series = TimelineSeries{};
    m_bands.clear();
    m_levels.clear();
    m_markers.clear();
    m_areaStyles.clear();
    invalidate();
}

void TimelinePlotItem::invalidate()
{
    m_dirty = true;
    update();
}

// The same mapping as Qt Charts' axes, so the drawing sits on their grid.
double TimelinePlotItem::xToPixel(double x) const
{
    return m_plot.left() + (x - m_x0) * m_plot.width() / (m_x1 - m_x0);
}

double TimelinePlotItem::yToPixel(double y) const
{
    return m_plot.bottom() - (y - m_y0) * m_plot.height() / (m_y1 - m_y0);
}

QLineF TimelinePlotItem::usedSegment(std::size_t column) const
{
    layoutPixels();
    return column < m_usedLines.size() ? m_usedLines[column] : QLineF();
}

void TimelinePlotItem::layoutPixels() const
{
    if (!m_dirty)
        return;
    m_dirty = false;
    const TimelineSeries& s = m_series;
    const std::size_t n = s.columns();

    m_bandRects.clear();
    for (const Band& b : m_bands) {
        const double top = yToPixel(std::min(b.hi, m_y1));
        const double bottom = yToPixel(std::min(b.lo, m_y1));
        if (bottom > top)
            m_bandRects.emplace_back(QRectF(m_plot.left(), top, m_plot.width(), bottom - top), b.colour);
    }

    // Stacked areas: the column values at the column centres, held flat out to the
    // data's edges; each band's polygon is its upper edge and the band below's, back.
    m_areas.clear();
    if (n > 0) {
        std::vector<double> xs(n);
        for (std::size_t i = 0; i < n; ++i)
            xs[i] = xToPixel(s.columnX[i]);
        const double left = xToPixel(s.fromX);
        const double right = xToPixel(s.toX);
        std::vector<double> lower(n, yToPixel(0));
        std::vector<double> upper(n);
        for (std::size_t b = 0; b < s.purposes.size() && b < s.stackTop.size(); ++b) {
            for (std::size_t i = 0; i < n; ++i)
                upper[i] = yToPixel(s.stackTop[b][i]);
            const auto id = s.purposes[b].id();
            const bool empty = std::equal(upper.begin(), upper.end(), lower.begin());
            if (!empty && id < m_areaStyles.size() && m_areaStyles[id].set) {
                Area area;
                area.style = &m_areaStyles[id];
                area.edge.reserve(static_cast<qsizetype>(n) + 2);
                area.edge.append(QPointF(left, upper.front()));
                for (std::size_t i = 0; i < n; ++i)
                    appendMerged(area.edge, QPointF(xs[i], upper[i]));
                appendMerged(area.edge, QPointF(right, upper.back()));
                area.outline.reserve(area.edge.size() * 2);
                area.outline = area.edge;
                appendMerged(area.outline, QPointF(right, lower.back()));
                for (std::size_t i = n; i-- > 0;)
                    appendMerged(area.outline, QPointF(xs[i], lower[i]));
                appendMerged(area.outline, QPointF(left, lower.front()));
                m_areas.push_back(std::move(area));
            }
            lower.swap(upper);
        }
    }

    // The used line: one vertical segment per column from its minimum to its
    // maximum, stretched to meet the previous column's so the line stays joined
    // (usage is a step function: a column starts at the value the last one ended
    // on), and at least a pixel tall so flat stretches still show. Centred on the
    // pixel column so a 1 px pen stays crisp.
    m_usedLines.clear();
    m_usedLines.reserve(n);
    double prevLo = 0, prevHi = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double lo = s.usedMin[i];
        double hi = s.usedMax[i];
        if (i > 0) {
            lo = std::min(lo, prevHi);
            hi = std::max(hi, prevLo);
        }
        prevLo = s.usedMin[i];
        prevHi = s.usedMax[i];
        const double x = std::floor(xToPixel(s.columnX[i])) + 0.5;
        const double top = yToPixel(hi) - 0.5;
        const double bottom = yToPixel(lo) + 0.5;
        m_usedLines.emplace_back(x, bottom, x, top);
    }

    m_levelLines.clear();
    for (const Level& l : m_levels) {
        const double y = yToPixel(l.y);
        m_levelLines.emplace_back(m_plot.left(), y, m_plot.right(), y);
    }
    m_markerLines.clear();
    for (double x : m_markers) {
        const double px = xToPixel(x);
        m_markerLines.emplace_back(px, m_plot.bottom(), px, m_plot.top());
    }
}

QRectF TimelinePlotItem::boundingRect() const
{
    return m_plot.adjusted(-2, -2, 2, 2);
}

void TimelinePlotItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    if (m_plot.isEmpty())
        return;
    layoutPixels();
    painter->save();
    painter->setClipRect(m_plot);
    painter->setPen(Qt::NoPen);
    for (const auto& [rect, colour] : m_bandRects)
        painter->fillRect(rect, colour);
    // Every fill first, then every edge: an edge straddles two bands, and the
    // band above would otherwise cover half of it. The fills are not antialiased:
    // with a vertex per pixel column the antialiased rasteriser spent most of a
    // frame on the jagged edges of a busy session (13 of 18 ms at 10 M events);
    // the antialiased edge drawn over each fill's top hides the steps.
    const bool antialiased = painter->testRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::Antialiasing, false);
    for (const Area& a : m_areas) {
        painter->setBrush(a.style->fill);
        painter->drawPolygon(a.outline);
    }
    painter->setRenderHint(QPainter::Antialiasing, antialiased);
    painter->setBrush(Qt::NoBrush);
    for (const Area& a : m_areas) {
        painter->setPen(a.style->edge);
        painter->drawPolyline(a.edge);
    }
    painter->setPen(m_usedPen);
    if (painter->paintEngine() && painter->paintEngine()->type() == QPaintEngine::Raster) {
        painter->drawLines(m_usedLines.data(), static_cast<int>(m_usedLines.size()));
    } else {
        // SVG and PDF: one path rather than an element per column.
        QPainterPath path;
        for (const QLineF& l : m_usedLines) {
            path.moveTo(l.p1());
            path.lineTo(l.p2());
        }
        painter->drawPath(path);
    }
    for (std::size_t i = 0; i < m_levelLines.size(); ++i) {
        painter->setPen(m_levels[i].pen);
        painter->drawLine(m_levelLines[i]);
    }
    painter->setPen(m_markerPen);
    painter->drawLines(m_markerLines.data(), static_cast<int>(m_markerLines.size()));
    painter->restore();
}

} // namespace flight::ui
