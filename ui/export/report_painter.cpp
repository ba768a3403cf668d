// SPDX-License-Identifier: MIT
#include "report_painter.h"

#include "reports/svg_chart.h"

#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>

namespace flight::ui {
namespace {

QColor colour(const std::string& hex, double opacity = 1.0)
{
    QColor c(QString::fromStdString(hex));
    if (!c.isValid())
        c = QColor(0x1f, 0x2a, 0x44);
    c.setAlphaF(static_cast<float>(std::clamp(opacity, 0.0, 1.0)));
    return c;
}

void setPenBrush(QPainter& p, const reports::ChartItem& i)
{
    if (i.stroke.empty()) {
        p.setPen(Qt::NoPen);
    } else {
        QPen pen(colour(i.stroke), i.strokeWidth);
        pen.setCapStyle(Qt::FlatCap);
        pen.setJoinStyle(Qt::RoundJoin);
        if (i.dashed)
            pen.setDashPattern({5.0 / std::max(0.1, i.strokeWidth), 3.0 / std::max(0.1, i.strokeWidth)});
        p.setPen(pen);
    }
    p.setBrush(i.fill.empty() ? QBrush(Qt::NoBrush) : QBrush(colour(i.fill, i.fillOpacity)));
}

QPolygonF polygon(const reports::ChartItem& i)
{
    QPolygonF poly;
    poly.reserve(static_cast<qsizetype>(i.points.size()));
    for (const auto& pt : i.points)
        poly << QPointF(pt.x, pt.y);
    return poly;
}

} // namespace

void paintChart(QPainter& p, const reports::ChartScene& scene, const QRectF& target)
{
    if (scene.width <= 0 || scene.height <= 0)
        return;
    const double s = std::min(target.width() / scene.width, target.height() / scene.height);
    p.save();
    p.translate(target.topLeft());
    p.scale(s, s);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.setClipRect(QRectF(0, 0, scene.width, scene.height));
    p.fillRect(QRectF(0, 0, scene.width, scene.height), Qt::white);
    QFont font(QStringLiteral("DejaVu Sans"));
    for (const reports::ChartItem& i : scene.items) {
        switch (i.kind) {
        case reports::ChartItemKind::Line:
            if (i.points.size() >= 2) {
                setPenBrush(p, i);
                p.drawLine(QPointF(i.points[0].x, i.points[0].y), QPointF(i.points[1].x, i.points[1].y));
            }
            break;
        case reports::ChartItemKind::Rect:
            setPenBrush(p, i);
            p.drawRect(QRectF(i.x, i.y, std::max(0.0, i.w), std::max(0.0, i.h)));
            break;
        case reports::ChartItemKind::Polyline:
            setPenBrush(p, i);
            p.setBrush(Qt::NoBrush);
            p.drawPolyline(polygon(i));
            break;
        case reports::ChartItemKind::Polygon:
            setPenBrush(p, i);
            p.drawPolygon(polygon(i));
            break;
        case reports::ChartItemKind::Text: {
            font.setPixelSize(std::max(1, static_cast<int>(i.fontSize + 0.5)));
            font.setBold(i.bold);
            p.setFont(font);
            p.setPen(colour(i.fill.empty() ? std::string("#1f2a44") : i.fill));
            const QString text = QString::fromStdString(i.text);
            const double w = QFontMetricsF(font).horizontalAdvance(text);
            double x = i.x;
            if (i.anchor == reports::TextAnchor::Middle)
                x -= w / 2;
            else if (i.anchor == reports::TextAnchor::End)
                x -= w;
            p.drawText(QPointF(x, i.y), text);
            break;
        }
        }
    }
    p.restore();
}

QImage renderChart(const reports::ChartScene& scene, QSize size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter p(&image);
    paintChart(p, scene, QRectF(QPointF(0, 0), QSizeF(size)));
    p.end();
    return image;
}

Result<void> writeChartFile(const reports::ChartScene& scene, QSize size, const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QStringLiteral("svg")) {
        QFile f(path);
        const std::string svg = reports::toSvg(scene, true);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || f.write(svg.data(), static_cast<qint64>(svg.size())) != static_cast<qint64>(svg.size()))
            return makeError(MemoryErrorCode::IoError,
                             QStringLiteral("cannot write %1: %2").arg(path, f.errorString()).toStdString());
        return {};
    }
    if (suffix != QStringLiteral("png"))
        return makeError(MemoryErrorCode::MalformedInput,
                         QStringLiteral("--chart writes .png or .svg files, got \"%1\"").arg(path).toStdString());
    if (!renderChart(scene, size).save(path, "PNG"))
        return makeError(MemoryErrorCode::IoError,
                         QStringLiteral("cannot write %1: check the folder exists and is writable").arg(path).toStdString());
    return {};
}

} // namespace flight::ui
