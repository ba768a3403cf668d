// SPDX-License-Identifier: MIT
#pragma once
// The HTML report: one self-contained file (inline CSS and SVG charts, no
// script, no network), readable on screen and when printed (@media print).

#include "reports/report_data.h"

#include "reports/chart_scene.h"

#include "model/memory_size.h"

#include <functional>
#include <string>

namespace flight::reports {

struct HtmlReportOptions {
    // What stands in a chart's <figure>: inline SVG when empty. The window's
    // Report tab (a QTextBrowser, which draws no SVG) puts an <img> there and
    // paints the scene to an image with the PDF's painter.
    std::function<std::string(const ChartScene&)> chartMarkup;
    // How sizes are written (the window's Units preference; the command line's is Protocol).
    ByteUnits units = ByteUnits::Protocol;
    // The layout for a QTextBrowser, which has no grid or flex layout and no
    // CSS padding on cells: the summary figures as a table of four columns
    // instead of a grid of cards (which would stack in one column), and every
    // table with cellpadding.
    bool figuresAsTable = false;
};

std::string htmlReport(const ReportData& data, const HtmlReportOptions& options = {});

} // namespace flight::reports
