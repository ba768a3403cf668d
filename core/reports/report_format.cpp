// SPDX-License-Identifier: MIT
#include "reports/report_format.h"

#include "model/memory_size.h"
#include "model/time_text.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace flight::reports {

std::string secondsText(std::int64_t ms)
{
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
    return buf;
}

std::string percentText(double fraction)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", fraction * 100.0);
    return buf;
}

std::string utcText(std::int64_t ms) { return formatUtc(ms); }

std::string xmlEscape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
                out += ' '; // not allowed in XML 1.0
            else
                out.push_back(c);
        }
    }
    return out;
}

std::string markdownCell(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r')
            out += ' ';
        else
            out.push_back(c);
    }
    return out;
}

std::string csvField(std::string_view text)
{
    if (text.find_first_of(",\"\n\r") == std::string_view::npos)
        return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '\n' || c == '\r') { // one record per line: the CSV report's tables are split at an empty line
            out.push_back(' ');
            continue;
        }
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string purposeColor(MemoryPurpose p)
{
    static constexpr std::array<std::string_view, kStandardPurposeCount> standard = {
        "#0072b2", "#56b4e9", "#009e73", "#cc79a7", "#999999", "#7b61b8", "#e69f00", "#d55e00"};
    if (!p.isCustom())
        return std::string(standard[p.id()]);
    // Same ring as the window: hue (id * 67) % 360, saturation 140/255, value 200/255.
    const double h = static_cast<double>((p.id() * 67) % 360);
    const double s = 140.0 / 255.0;
    const double v = 200.0 / 255.0;
    const double c = v * s;
    const double x = c * (1 - std::fabs(std::fmod(h / 60.0, 2.0) - 1));
    const double m = v - c;
    double r = 0, g = 0, b = 0;
    if (h < 60) { r = c; g = x; }
    else if (h < 120) { r = x; g = c; }
    else if (h < 180) { g = c; b = x; }
    else if (h < 240) { g = x; b = c; }
    else if (h < 300) { r = x; b = c; }
    else { r = c; b = x; }
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround((r + m) * 255)),
                  static_cast<int>(std::lround((g + m) * 255)), static_cast<int>(std::lround((b + m) * 255)));
    return buf;
}

std::string pressureColor(MemoryPressure p)
{
    switch (p) {
    case MemoryPressure::Low: return "#43a047";
    case MemoryPressure::Medium: return "#f2c12e";
    case MemoryPressure::High: return "#f08a24";
    case MemoryPressure::Critical: return "#d93025";
    }
    return "#43a047";
}

} // namespace flight::reports
