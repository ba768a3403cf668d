// SPDX-License-Identifier: MIT
#pragma once
// Where the timeline's marker labels go: each just right of its line (left of
// it where it would leave the plot), on the first of `rows` rows where it keeps
// `gap` px from the others. A label with no room anywhere is not shown (its
// line stays; zooming in brings it back), so labels never overlap or get
// clipped at the plot's edge, however narrow the window.

#include <vector>

namespace flight::ui {

struct MarkerLabel {
    double lineX = 0; // the marker's line, in scene px
    double width = 0; // the label's text width
};

struct MarkerLabelSlot {
    double x = 0; // left edge of the label
    int row = 0;
    bool shown = false;
};

// `labels` in time order; the result has one slot per label.
std::vector<MarkerLabelSlot> layoutMarkerLabels(const std::vector<MarkerLabel>& labels, double plotLeft, double plotRight,
                                                int rows, double gap = 6);

} // namespace flight::ui
