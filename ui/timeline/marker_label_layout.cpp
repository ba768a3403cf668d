// SPDX-License-Identifier: MIT
#include "marker_label_layout.h"

#include <limits>

namespace flight::ui {

std::vector<MarkerLabelSlot> layoutMarkerLabels(const std::vector<MarkerLabel>& labels, double plotLeft, double plotRight,
                                                int rows, double gap)
{
    constexpr double kFromLine = 3;
    std::vector<double> rowEnd(static_cast<std::size_t>(rows > 0 ? rows : 0), -std::numeric_limits<double>::infinity());
    std::vector<MarkerLabelSlot> placed;
    placed.reserve(labels.size());
    for (const MarkerLabel& l : labels) {
        MarkerLabelSlot slot;
        slot.x = l.lineX + kFromLine;
        if (slot.x + l.width > plotRight)
            slot.x = l.lineX - kFromLine - l.width; // the end of the plot: the label reads leftwards
        if (slot.x < plotLeft || slot.x + l.width > plotRight) {
            placed.push_back(slot); // wider than the room on either side
            continue;
        }
        for (std::size_t r = 0; r < rowEnd.size(); ++r) {
            if (slot.x >= rowEnd[r] + gap) {
                slot.row = static_cast<int>(r);
                slot.shown = true;
                rowEnd[r] = slot.x + l.width;
                break;
            }
        }
        placed.push_back(slot);
    }
    return placed;
}

} // namespace flight::ui
