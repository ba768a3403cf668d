// SPDX-License-Identifier: MIT
#pragma once
// Everything the timeline draws inside its plot area, as one graphics item in
// the chart (Qt Charts keeps the axes, legend and title): pressure bands, the
// stacked purpose areas, the used line as a vertical min..max segment per pixel
// column (so no peak vanishes), the total and limit lines, the marker lines.
// The pixel geometry is computed once when the data, the ranges or the plot
// area change; paint() only draws precomputed polygons (docs/performance.md).

#include "timeline_series_builder.h"

#include <QBrush>
#include <QGraphicsItem>
#include <QLineF>
#include <QPen>
#include <QPolygonF>

#include <vector>

namespace flight::ui {

class TimelinePlotItem : public QGraphicsItem {
public:
    // A horizontal band of the background (a pressure level), y in scaled units.
    struct Band {
        double lo = 0;
        double hi = 0;
        QColor colour;
    };
    // A horizontal line across the plot (total, soft and hard limits).
    struct Level {
        double y = 0;
        QPen pen;
    };

    explicit TimelinePlotItem(QGraphicsItem* parent = nullptr);

    // Fill and edge of a purpose's band; purposes without a style are not drawn.
    void setPurposeStyle(MemoryPurpose purpose, const QColor& fill, const QPen& edge);
    void setUsedPen(const QPen& pen);
    void setMarkerPen(const QPen& pen);
    void setBands(std::vector<Band> bands);
    void setLevels(std::vector<Level> levels);
    // Marker lines at these x values (seconds), from the bottom to the top of the plot.
    void setMarkers(std::vector<double> xs);
    void setSeries(TimelineSeries series);
    // The value ranges the plot area shows (the axes' ranges) and where it is in the chart.
    void setRanges(double x0, double x1, double y0, double y1);
    void setPlotArea(const QRectF& plot);
    // Drops the data and everything drawn from it.
    void clear();

    const TimelineSeries& series() const { return m_series; }
    const QPen& usedPen() const { return m_usedPen; }
    const QRectF& plotArea() const { return m_plot; }
    double xToPixel(double x) const;
    double yToPixel(double y) const;
    // The used line's segment in column i as painted (pixels; for tests).
    QLineF usedSegment(std::size_t column) const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    struct AreaStyle {
        QBrush fill;
        QPen edge;
        bool set = false;
    };
    struct Area {
        QPolygonF outline; // upper edge left to right, lower edge back
        QPolygonF edge;    // upper edge only
        const AreaStyle* style = nullptr;
    };
    void invalidate();
    void layoutPixels() const;

    TimelineSeries m_series;
    std::vector<AreaStyle> m_areaStyles; // by purpose id
    std::vector<Band> m_bands;
    std::vector<Level> m_levels;
    std::vector<double> m_markers;
    QPen m_usedPen;
    QPen m_markerPen;
    double m_x0 = 0, m_x1 = 1, m_y0 = 0, m_y1 = 1;
    QRectF m_plot;

    // Pixel geometry, rebuilt lazily after a change (paint of an unchanged item reuses it).
    mutable bool m_dirty = true;
    mutable std::vector<Area> m_areas;
    mutable std::vector<QLineF> m_usedLines;
    mutable std::vector<std::pair<QRectF, QColor>> m_bandRects;
    mutable std::vector<QLineF> m_levelLines;
    mutable std::vector<QLineF> m_markerLines;
};

} // namespace flight::ui
