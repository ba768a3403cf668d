// SPDX-License-Identifier: MIT
#pragma once
// A chart as a list of plain drawing primitives in pixel coordinates (origin
// top-left, y down). Built once in core from the report figures; written as
// SVG by svg_chart.h (HTML reports, --chart x.svg) and painted with QPainter
// by ui/export/report_painter.h (PDF, --chart x.png): one drawing, every output.

#include <string>
#include <vector>

namespace flight::reports {

struct ChartPoint {
    double x = 0;
    double y = 0;
};

enum class ChartItemKind { Polyline, Polygon, Rect, Line, Text };
enum class TextAnchor { Start, Middle, End };

struct ChartItem {
    ChartItemKind kind = ChartItemKind::Line;
    std::vector<ChartPoint> points;  // Polyline, Polygon; Line uses two
    double x = 0, y = 0, w = 0, h = 0; // Rect; Text anchor point (y = baseline)
    std::string stroke;              // "#rrggbb", empty = none
    std::string fill;                // "#rrggbb", empty = none
    double fillOpacity = 1.0;
    double strokeWidth = 1.0;
    bool dashed = false;
    std::string text;                // Text
    double fontSize = 11;
    TextAnchor anchor = TextAnchor::Start;
    bool bold = false;
    std::string series;              // what it draws ("vm-heap", "used", "axis"...), for tests and SVG classes
};

struct ChartScene {
    double width = 0;
    double height = 0;
    std::string title;
    std::vector<ChartItem> items;

    ChartItem& line(double x1, double y1, double x2, double y2, std::string stroke, double width = 1.0,
                    bool dashed = false)
    {
        ChartItem i;
        i.kind = ChartItemKind::Line;
        i.points = {{x1, y1}, {x2, y2}};
        i.stroke = std::move(stroke);
        i.strokeWidth = width;
        i.dashed = dashed;
        return items.emplace_back(std::move(i));
    }
    ChartItem& rect(double x, double y, double w, double h, std::string fill, double opacity = 1.0)
    {
        ChartItem i;
        i.kind = ChartItemKind::Rect;
        i.x = x;
        i.y = y;
        i.w = w;
        i.h = h;
        i.fill = std::move(fill);
        i.fillOpacity = opacity;
        return items.emplace_back(std::move(i));
    }
    ChartItem& label(double x, double y, std::string text, double size = 11, TextAnchor anchor = TextAnchor::Start,
                     std::string colour = "#1f2a44", bool bold = false)
    {
        ChartItem i;
        i.kind = ChartItemKind::Text;
        i.x = x;
        i.y = y;
        i.text = std::move(text);
        i.fontSize = size;
        i.anchor = anchor;
        i.fill = std::move(colour);
        i.bold = bold;
        return items.emplace_back(std::move(i));
    }
    ChartItem& path(ChartItemKind kind, std::vector<ChartPoint> pts, std::string stroke, std::string fill,
                    std::string series)
    {
        ChartItem i;
        i.kind = kind;
        i.points = std::move(pts);
        i.stroke = std::move(stroke);
        i.fill = std::move(fill);
        i.series = std::move(series);
        return items.emplace_back(std::move(i));
    }
};

// Rough width of a text in the charts' sans-serif font (for layout in core,
// where no font metrics exist): 0.56 em per character on average.
inline double approxTextWidth(const std::string& text, double fontSize)
{
    std::size_t chars = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80)
            ++chars;
    return static_cast<double>(chars) * fontSize * 0.56;
}

} // namespace flight::reports
