// SPDX-License-Identifier: MIT
#include "reports/svg_chart.h"

#include "reports/report_format.h"

#include <cstdio>

namespace flight::reports {
namespace {

void num(std::string& out, double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    out += buf;
}

void attr(std::string& out, const char* name, double v)
{
    out += ' ';
    out += name;
    out += "=\"";
    num(out, v);
    out += '"';
}

void paint(std::string& out, const ChartItem& i)
{
    out += " fill=\"" + (i.fill.empty() ? std::string("none") : i.fill) + "\"";
    if (!i.fill.empty() && i.fillOpacity < 1.0)
        attr(out, "fill-opacity", i.fillOpacity);
    if (!i.stroke.empty()) {
        out += " stroke=\"" + i.stroke + "\"";
        attr(out, "stroke-width", i.strokeWidth);
        if (i.dashed)
            out += " stroke-dasharray=\"5 3\"";
    }
    if (!i.series.empty())
        out += " class=\"" + xmlEscape(i.series) + "\"";
}

void points(std::string& out, const ChartItem& i)
{
    out += " points=\"";
    bool first = true;
    for (const ChartPoint& p : i.points) {
        if (!first)
            out += ' ';
        first = false;
        num(out, p.x);
        out += ',';
        num(out, p.y);
    }
    out += '"';
}

} // namespace

std::string toSvg(const ChartScene& scene, bool standalone)
{
    std::string out;
    if (standalone)
        out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"";
    attr(out, "width", scene.width);
    attr(out, "height", scene.height);
    out += " viewBox=\"0 0 ";
    num(out, scene.width);
    out += ' ';
    num(out, scene.height);
    out += "\" role=\"img\" aria-label=\"" + xmlEscape(scene.title) + "\"";
    out += " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
    out += "<title>" + xmlEscape(scene.title) + "</title>\n";
    out += "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    for (const ChartItem& i : scene.items) {
        switch (i.kind) {
        case ChartItemKind::Line:
            if (i.points.size() < 2)
                break;
            out += "<line";
            attr(out, "x1", i.points[0].x);
            attr(out, "y1", i.points[0].y);
            attr(out, "x2", i.points[1].x);
            attr(out, "y2", i.points[1].y);
            paint(out, i);
            out += "/>\n";
            break;
        case ChartItemKind::Rect:
            out += "<rect";
            attr(out, "x", i.x);
            attr(out, "y", i.y);
            attr(out, "width", i.w < 0 ? 0 : i.w);
            attr(out, "height", i.h < 0 ? 0 : i.h);
            paint(out, i);
            out += "/>\n";
            break;
        case ChartItemKind::Polyline:
        case ChartItemKind::Polygon:
            out += i.kind == ChartItemKind::Polygon ? "<polygon" : "<polyline";
            points(out, i);
            paint(out, i);
            out += " stroke-linejoin=\"round\"/>\n";
            break;
        case ChartItemKind::Text:
            out += "<text";
            attr(out, "x", i.x);
            attr(out, "y", i.y);
            attr(out, "font-size", i.fontSize);
            if (i.anchor != TextAnchor::Start)
                out += i.anchor == TextAnchor::Middle ? " text-anchor=\"middle\"" : " text-anchor=\"end\"";
            if (i.bold)
                out += " font-weight=\"bold\"";
            out += " fill=\"" + (i.fill.empty() ? std::string(kInkColor) : i.fill) + "\">";
            out += xmlEscape(i.text);
            out += "</text>\n";
            break;
        }
    }
    out += "</svg>\n";
    return out;
}

} // namespace flight::reports
