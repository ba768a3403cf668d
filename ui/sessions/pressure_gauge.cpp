// SPDX-License-Identifier: MIT
#include "pressure_gauge.h"

#include "style/app_style.h"

#include "style/display_settings.h"
#include "style/size_format.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace flight::ui {
namespace {
const char* const kLevelNames[] = {QT_TRANSLATE_NOOP("PressureGauge", "low"), QT_TRANSLATE_NOOP("PressureGauge", "medium"),
                                   QT_TRANSLATE_NOOP("PressureGauge", "high"), QT_TRANSLATE_NOOP("PressureGauge", "critical")};

QString duration(std::int64_t ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 120'000)
        return QStringLiteral("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1 min").arg(static_cast<double>(ms) / 60000.0, 0, 'f', 1);
}
} // namespace

PressureGauge::PressureGauge(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    connect(&DisplaySettings::instance(), &DisplaySettings::changed, this, qOverload<>(&QWidget::update));
    setToolTip(tr("Used / total of the session now, or at the timeline's cursor or replay position.\n"
                  "The bands are the session's pressure thresholds; \"computed\" is the level those give,\n"
                  "\"reported\" the level the producer sent. Below: time spent at each level."));
}

void PressureGauge::setThresholds(const PressureThresholds& t)
{
    const QString before = shown();
    m_thresholds = t;
    updateIfChanged(before);
}

void PressureGauge::setUsage(std::uint64_t used, std::uint64_t total, std::optional<MemoryPressure> reported)
{
    const QString before = shown();
    m_used = used;
    m_total = total;
    m_reported = reported;
    m_empty = false;
    updateIfChanged(before);
}

void PressureGauge::setDurations(const PressureDurations& d)
{
    const QString before = shown();
    m_durations = d;
    updateIfChanged(before);
}

void PressureGauge::setCaption(const QString& caption)
{
    const QString before = shown();
    m_caption = caption;
    updateIfChanged(before);
}

void PressureGauge::clear()
{
    const QString before = shown();
    m_empty = true;
    m_used = 0;
    m_total = 0;
    m_reported.reset();
    m_durations.reset();
    updateIfChanged(before);
}

QString PressureGauge::percentText() const
{
    return m_empty ? QStringLiteral("—")
           : m_total ? QStringLiteral("%1 %").arg(fraction() * 100.0, 0, 'f', 1)
                     : tr("total unknown");
}

QStringList PressureGauge::durationTexts() const
{
    QStringList values;
    if (!m_durations || m_durations->totalMs() <= 0)
        return values;
    const double total = static_cast<double>(m_durations->totalMs());
    for (int level = 0; level < 4; ++level) {
        const auto ms = m_durations->ms[static_cast<std::size_t>(level)];
        values << QStringLiteral("%1 (%2 %)").arg(duration(ms)).arg(static_cast<double>(ms) / total * 100.0, 0, 'f', 0);
    }
    return values;
}

QString PressureGauge::shown() const
{
    // Everything the paint depends on, at the precision it is drawn: the needle
    // moves with the percentage (0.1 % is under a pixel at the widget's sizes),
    // the bars with their rounded percentages.
    QString out = m_caption;
    out += u'\n' + percentText();
    if (!m_empty) {
        out += u'\n' + formatSize(m_used) + u'/' + (m_total ? formatSize(m_total) : QStringLiteral("?"));
        out += u'\n' + QString::number(static_cast<int>(computed()))
               + (m_reported ? QString::number(static_cast<int>(*m_reported)) : QString());
    }
    out += u'\n' + durationTexts().join(u'|');
    out += QStringLiteral("\n%1 %2 %3").arg(m_thresholds.medium).arg(m_thresholds.high).arg(m_thresholds.critical);
    return out;
}

void PressureGauge::updateIfChanged(const QString& before)
{
    // A live session sets the same figures 4 times a second: repainted only
    // when what is drawn changes.
    if (shown() != before)
        update();
}

double PressureGauge::fraction() const
{
    return m_total ? static_cast<double>(m_used) / static_cast<double>(m_total) : 0.0;
}

MemoryPressure PressureGauge::computed() const
{
    return computePressure(m_used, m_total, m_thresholds);
}

void PressureGauge::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF area = rect().adjusted(8, 8, -8, -8);
    const QFontMetricsF fm(font());
    const double line = fm.height();

    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRectF(area.left(), area.top(), area.width(), line), Qt::AlignHCenter, m_caption.isEmpty() ? tr("Pressure") : m_caption);

    // The dial: a half ring across the top part of the widget.
    const double tableHeight = m_durations ? line * 5.5 : 0;
    const double dialHeight = std::max(60.0, area.height() - line * 4.2 - tableHeight);
    const double radius = std::min(area.width() / 2.0, dialHeight) - 4;
    const QPointF centre(area.center().x(), area.top() + line * 1.4 + radius);
    const double ring = std::max(10.0, radius * 0.2);
    const QRectF outer(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius);

    const double edges[] = {0.0, m_thresholds.medium, m_thresholds.high, m_thresholds.critical, 1.0};
    for (int level = 0; level < 4; ++level) {
        // Angles: 180 deg at 0 %, 0 deg at 100 %; Qt counts in 1/16 degree, counter-clockwise.
        const double a0 = 180.0 - edges[level] * 180.0;
        const double a1 = 180.0 - edges[level + 1] * 180.0;
        QPainterPath path;
        path.arcMoveTo(outer, a0);
        path.arcTo(outer, a0, a1 - a0);
        const QRectF inner = outer.adjusted(ring, ring, -ring, -ring);
        path.arcTo(inner, a1, a0 - a1);
        path.closeSubpath();
        QColor c = pressureColor(level);
        if (m_empty)
            c.setAlpha(70);
        p.fillPath(path, c);
    }

    // The needle.
    if (!m_empty && m_total > 0) {
        const double f = std::clamp(fraction(), 0.0, 1.0);
        const double angle = (180.0 - f * 180.0) * M_PI / 180.0;
        const QPointF tip(centre.x() + std::cos(angle) * (radius - 2), centre.y() - std::sin(angle) * (radius - 2));
        p.setPen(QPen(inkColor(), std::max(2.0, radius / 40.0), Qt::SolidLine, Qt::RoundCap));
        p.drawLine(centre, tip);
        p.setBrush(inkColor());
        p.drawEllipse(centre, radius / 16.0, radius / 16.0);
    }

    // Figures under the dial.
    double y = centre.y() + radius / 16.0 + line * 0.4;
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    p.setFont(big);
    const QString percent = percentText();
    const double bigLine = QFontMetricsF(big).height();
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRectF(area.left(), y, area.width(), bigLine), Qt::AlignHCenter, percent);
    y += bigLine;
    p.setFont(font());
    if (!m_empty) {
        p.drawText(QRectF(area.left(), y, area.width(), line), Qt::AlignHCenter,
                   tr("%1 of %2").arg(formatSize(m_used), m_total ? formatSize(m_total) : tr("?")));
        y += line;
        const int level = static_cast<int>(computed());
        QString text = tr("computed: %1").arg(tr(kLevelNames[level]));
        if (m_reported)
            text += tr(" · reported: %1").arg(tr(kLevelNames[static_cast<int>(*m_reported)]));
        if (m_reported && static_cast<int>(*m_reported) != level)
            p.setPen(worseColor()); // disagreement stands out
        if (m_reported && QFontMetricsF(p.font()).horizontalAdvance(text) > area.width()) {
            // a narrow dock: computed and reported on a line each rather than clipped
            p.drawText(QRectF(area.left(), y, area.width(), line), Qt::AlignHCenter,
                       tr("computed: %1").arg(tr(kLevelNames[level])));
            y += line;
            text = tr("reported: %1").arg(tr(kLevelNames[static_cast<int>(*m_reported)]));
        }
        p.drawText(QRectF(area.left(), y, area.width(), line), Qt::AlignHCenter, text);
        p.setPen(palette().color(QPalette::WindowText));
        y += line * 1.3;
    }

    // Time spent at each level.
    if (m_durations && m_durations->totalMs() > 0) {
        const double total = static_cast<double>(m_durations->totalMs());
        // Names left, figures right, the bar in what is left between them, so a
        // long duration ("163.2 min (96 %)") never runs over its bar.
        const QFontMetricsF fm(p.font());
        const QStringList values = durationTexts();
        double nameWidth = 0;
        double valueWidth = 0;
        for (int level = 0; level < 4; ++level) {
            nameWidth = std::max(nameWidth, fm.horizontalAdvance(tr(kLevelNames[level])));
            valueWidth = std::max(valueWidth, fm.horizontalAdvance(values[level]));
        }
        const double swatchSize = line * 0.7;
        const double barLeft = area.left() + 4 + swatchSize + 6 + nameWidth + 8;
        const double barSpace = std::max(0.0, area.right() - 2 - valueWidth - 8 - barLeft);
        for (int level = 0; level < 4; ++level) {
            const double share = static_cast<double>(m_durations->ms[static_cast<std::size_t>(level)]) / total;
            const QRectF swatch(area.left() + 4, y + line * 0.2, swatchSize, swatchSize);
            p.fillRect(swatch, pressureColor(level));
            p.drawText(QRectF(swatch.right() + 6, y, nameWidth + 2, line), Qt::AlignLeft | Qt::AlignVCenter,
                       tr(kLevelNames[level]));
            if (barSpace >= 8)
                p.fillRect(QRectF(barLeft, y + line * 0.25, barSpace * share, line * 0.5), pressureColor(level).lighter(110));
            p.drawText(QRectF(area.left(), y, area.width() - 2, line), Qt::AlignRight | Qt::AlignVCenter,
                       values[level]);
            y += line * 1.1;
        }
    }
}

} // namespace flight::ui
