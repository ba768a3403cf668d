// SPDX-License-Identifier: MIT
#pragma once
// A ChartScene as SVG 1.1 text: inline in the HTML report, or a file of its
// own (`report --chart timeline -o chart.svg`). No script, no external
// resources; series carry class names (class="series vm-heap").

#include "reports/chart_scene.h"

#include <string>

namespace flight::reports {

// standalone: with the XML declaration (for a .svg file); else for inlining.
std::string toSvg(const ChartScene& scene, bool standalone = false);

} // namespace flight::reports
