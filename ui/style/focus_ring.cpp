// SPDX-License-Identifier: MIT
#include "focus_ring.h"

#include <QApplication>
#include <QEvent>
#include <QMenu>
#include <QPainter>

namespace flight::ui {
namespace {
constexpr int kWidth = 2;
} // namespace

FocusRing::FocusRing(QWidget* window)
    : QWidget(window)
    , m_window(window)
{
    setObjectName(QStringLiteral("FocusRing"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    hide();
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) { follow(now); });
}

void FocusRing::follow(QWidget* focus)
{
    // A menu or a dialog taking focus for a moment leaves the ring where it was.
    if (focus && (qobject_cast<QMenu*>(focus) || !m_window || (focus->window() != m_window && !m_window->isAncestorOf(focus))))
        return;
    if (focus == this)
        return;
    if (m_target)
        watch(m_target, false);
    m_target = focus;
    if (!m_target || m_target->size().width() < 2 * kWidth + 2) {
        hide();
        return;
    }
    watch(m_target, true);
    place();
}

void FocusRing::watch(QWidget* target, bool on)
{
    // The target moves when it or any of its parents does (splitters, docks, layouts).
    for (QWidget* w = target; w; w = w->parentWidget()) {
        if (on)
            w->installEventFilter(this);
        else
            w->removeEventFilter(this);
        if (w->isWindow())
            break;
    }
}

bool FocusRing::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::Move:
    case QEvent::Resize:
    case QEvent::Show:
    case QEvent::Hide:
    case QEvent::ParentChange:
        if (m_target)
            place();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void FocusRing::place()
{
    if (!m_target || !m_target->isVisible()) {
        hide();
        return;
    }
    QWidget* host = m_target->window();
    if (parentWidget() != host)
        setParent(host); // a floating dock: the ring goes with it
    setGeometry(QRect(m_target->mapTo(host, QPoint(0, 0)), m_target->size()));
    raise();
    show();
    update();
}

void FocusRing::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    QPen pen(palette().color(QPalette::Highlight), kWidth);
    pen.setJoinStyle(Qt::MiterJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(rect()).adjusted(kWidth / 2.0, kWidth / 2.0, -kWidth / 2.0, -kWidth / 2.0));
}

} // namespace flight::ui
