// SPDX-License-Identifier: MIT
#include "views/sparkline_delegate.h"

#include "models/fleet_table_model.h"

#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace flight::ui {

void SparklineDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyledItemDelegate::paint(painter, option, index);
    const QList<double> points = index.data(FleetTableModel::SparklineRole).value<QList<double>>();
    if (points.size() < 2)
        return;
    double top = 0;
    for (const double v : points)
        if (std::isfinite(v))
            top = std::max(top, v);
    if (top <= 0)
        return;
    const QRectF r = QRectF(option.rect).adjusted(4, 4, -4, -4);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(option.state & QStyle::State_Selected ? option.palette.highlightedText().color()
                                                               : option.palette.link().color(),
                         1.5));
    // Each run of known points is one polyline; a gap (no sample) breaks the line.
    QPolygonF line;
    const auto flush = [&] {
        if (line.size() == 1)
            painter->drawPoint(line.front());
        else if (line.size() > 1)
            painter->drawPolyline(line);
        line.clear();
    };
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (!std::isfinite(points[i])) {
            flush();
            continue;
        }
        line << QPointF(r.left() + r.width() * static_cast<double>(i) / static_cast<double>(points.size() - 1),
                        r.bottom() - r.height() * std::clamp(points[i] / top, 0.0, 1.0));
    }
    flush();
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    return QStyledItemDelegate::sizeHint(option, index).expandedTo(QSize(120, 22));
}

} // namespace flight::ui
