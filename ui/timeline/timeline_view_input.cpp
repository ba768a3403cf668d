// SPDX-License-Identifier: MIT
// TimelineView's input: the cursor and its readout under the mouse, drag to
// select a range or (middle button) pan, wheel to zoom, keys to zoom and pan,
// double click to reset. What is drawn is in timeline_view.cpp.
#include "timeline_view.h"

#include "timeline_plot_item.h"
#include "timeline_readout.h"

#include <QGraphicsLineItem>
#include <QGraphicsTextItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QRubberBand>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace flight::ui {

int TimelineView::plotX(std::int64_t t) const
{
    return static_cast<int>(m_plot->xToPixel(toSeconds(t, m_originMs)));
}

std::int64_t TimelineView::timeAt(const QPoint& pos) const
{
    const QRectF plot = chart()->plotArea();
    const double f = plot.width() > 0 ? (pos.x() - plot.left()) / plot.width() : 0.0;
    return m_fromMs + static_cast<std::int64_t>(std::clamp(f, 0.0, 1.0) * static_cast<double>(m_toMs - m_fromMs));
}

void TimelineView::updateCursor(const QPoint& pos)
{
    const QRectF plot = chart()->plotArea();
    if (!m_session || !plot.contains(pos)) {
        m_cursorLine->hide();
        m_readout->hide();
        return;
    }
    const std::int64_t t = timeAt(pos);
    m_cursorLine->setLine(pos.x(), plot.top(), pos.x(), plot.bottom());
    m_cursorLine->show();
    m_readout->setHtml(timelineReadoutHtml(*m_session, t, m_originMs, m_purposes, palette()));
    const QSizeF size = m_readout->boundingRect().size();
    const double x = pos.x() + 12 + size.width() > plot.right() ? pos.x() - 12 - size.width() : pos.x() + 12;
    m_readout->setPos(x, plot.top() + 8);
    m_readout->show();
    Q_EMIT cursorMoved(t);
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    if (!m_session)
        return;
    const double notches = event->angleDelta().y() / 120.0;
    const double factor = std::pow(0.8, notches);
    const std::int64_t t = timeAt(event->position().toPoint());
    const auto from = t - static_cast<std::int64_t>(static_cast<double>(t - m_fromMs) * factor);
    const auto to = t + static_cast<std::int64_t>(static_cast<double>(m_toMs - t) * factor);
    setVisibleRange(from, to);
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !m_session) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_pressPos = event->position().toPoint();
    m_pressFromMs = m_fromMs;
    m_pressToMs = m_toMs;
    if (event->modifiers() & Qt::ShiftModifier) {
        m_drag = Drag::Zoom;
        m_band->setGeometry(QRect(m_pressPos, QSize()));
        m_band->show();
    } else if (event->modifiers() & Qt::ControlModifier) {
        m_drag = Drag::Select;
    } else {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    const QRectF plot = chart()->plotArea();
    switch (m_drag) {
    case Drag::Pan: {
        const double msPerPixel = static_cast<double>(m_pressToMs - m_pressFromMs) / std::max(1.0, plot.width());
        const auto shift = static_cast<std::int64_t>((pos.x() - m_pressPos.x()) * msPerPixel);
        setVisibleRange(m_pressFromMs - shift, m_pressToMs - shift);
        break;
    }
    case Drag::Zoom:
        m_band->setGeometry(QRect(QPoint(std::min(m_pressPos.x(), pos.x()), static_cast<int>(plot.top())),
                                  QPoint(std::max(m_pressPos.x(), pos.x()), static_cast<int>(plot.bottom())))
                                .normalized());
        break;
    case Drag::Select: {
        auto a = timeAt(m_pressPos);
        auto b = timeAt(pos);
        if (a > b)
            std::swap(a, b);
        m_selection = std::make_pair(a, b);
        updateOverlays();
        break;
    }
    case Drag::None:
        break;
    }
    updateCursor(pos);
    event->accept();
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    const Drag drag = m_drag;
    m_drag = Drag::None;
    unsetCursor();
    if (drag == Drag::Zoom) {
        m_band->hide();
        auto a = timeAt(m_pressPos);
        auto b = timeAt(pos);
        if (a > b)
            std::swap(a, b);
        if (std::abs(pos.x() - m_pressPos.x()) > 3)
            setVisibleRange(a, b);
    } else if (drag == Drag::Pan && std::abs(pos.x() - m_pressPos.x()) <= 3 && chart()->plotArea().contains(pos)) {
        Q_EMIT cursorPinned(timeAt(pos));
    } else if (drag == Drag::Select) {
        if (std::abs(pos.x() - m_pressPos.x()) > 3)
            setSelection(m_selection);
        else
            setSelection(std::nullopt);
    }
    event->accept();
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event)
{
    resetZoom();
    event->accept();
}

void TimelineView::leaveEvent(QEvent* event)
{
    m_cursorLine->hide();
    m_readout->hide();
    Q_EMIT cursorLeft();
    QChartView::leaveEvent(event);
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Home:
    case Qt::Key_R:
        resetZoom();
        break;
    case Qt::Key_Escape:
        setSelection(std::nullopt);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: {
        const auto span = (m_toMs - m_fromMs) / 4;
        setVisibleRange(m_fromMs + span, m_toMs - span);
        break;
    }
    case Qt::Key_Minus: {
        const auto span = (m_toMs - m_fromMs) / 2;
        setVisibleRange(m_fromMs - span, m_toMs + span);
        break;
    }
    case Qt::Key_Left:
    case Qt::Key_Right: {
        const auto step = (m_toMs - m_fromMs) / 10 * (event->key() == Qt::Key_Left ? -1 : 1);
        setVisibleRange(m_fromMs + step, m_toMs + step);
        break;
    }
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace flight::ui
