// SPDX-License-Identifier: MIT
#include "palette_icon.h"

#include <QFile>
#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace flight::ui {
namespace {

class PaletteIconEngine : public QIconEngine {
public:
    explicit PaletteIconEngine(QString resource)
        : m_resource(std::move(resource))
    {
        QFile f(m_resource);
        if (f.open(QIODevice::ReadOnly))
            m_svg = f.readAll();
    }

    QIconEngine* clone() const override { return new PaletteIconEngine(*this); }
    QString key() const override { return QStringLiteral("flight-palette-svg"); }
    bool isNull() override { return m_svg.isEmpty(); }

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override
    {
        draw(*painter, rect, paletteIconColor(QGuiApplication::palette(), mode));
    }

    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize& size, QIcon::Mode mode, QIcon::State, qreal scale) override
    {
        // Read at paint time: the palette may have changed since the icon was made.
        const QColor colour = paletteIconColor(QGuiApplication::palette(), mode);
        const QString cacheKey = QStringLiteral("flight-icon:%1:%2x%3:%4")
                                     .arg(m_resource).arg(size.width()).arg(size.height()).arg(colour.rgba(), 0, 16);
        QPixmap pm;
        if (QPixmapCache::find(cacheKey, &pm))
            return pm;
        pm = QPixmap(size);
        pm.fill(Qt::transparent);
        if (!size.isEmpty()) {
            QPainter p(&pm);
            draw(p, QRectF(QPointF(0, 0), QSizeF(size)), colour);
        }
        pm.setDevicePixelRatio(scale);
        QPixmapCache::insert(cacheKey, pm);
        return pm;
    }

private:
    void draw(QPainter& p, const QRectF& rect, const QColor& colour) const
    {
        QByteArray svg = m_svg;
        svg.replace("currentColor", colour.name(QColor::HexRgb).toLatin1());
        QSvgRenderer renderer(svg);
        p.save();
        p.setOpacity(p.opacity() * colour.alphaF());
        renderer.render(&p, rect);
        p.restore();
    }

    QString m_resource;
    QByteArray m_svg;
};

} // namespace

QColor paletteIconColor(const QPalette& p, QIcon::Mode mode)
{
    switch (mode) {
    case QIcon::Disabled: return p.color(QPalette::Disabled, QPalette::ButtonText);
    case QIcon::Selected: return p.color(QPalette::Active, QPalette::HighlightedText);
    case QIcon::Normal:
    case QIcon::Active: break;
    }
    return p.color(QPalette::Active, QPalette::ButtonText);
}

QIcon paletteIcon(const QString& resource)
{
    return QIcon(new PaletteIconEngine(resource));
}

} // namespace flight::ui
