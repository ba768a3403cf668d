// SPDX-License-Identifier: MIT
#pragma once
// Chart adapter: turns a session's model into the values the timeline draws
// for a visible range and a pixel width, one entry per pixel column. Stacked
// areas by purpose take the usage at the column's peak instant (so the stack's
// top is the peak and peaks never vanish); the used line takes the column's
// minimum and maximum. The cost depends on the columns, not the events.

#include "model/purpose_usage.h"
#include "model/session_model.h"
#include "style/size_format.h"

#include <QString>

#include <utility>
#include <vector>

namespace flight {
class UsagePyramid;
}

namespace flight::ui {

// x values are seconds since the origin, y values bytes / unitBytes.
struct TimelineSeries {
    double fromX = 0;                          // left edge of the first column
    double toX = 0;                            // right edge of the last column
    std::vector<double> columnX;               // each column's centre
    std::vector<std::pair<std::int64_t, std::int64_t>> columnMs; // and its instants [from, to), in ms
    std::vector<double> usedMin;               // the used line: lowest value in each column
    std::vector<double> usedMax;               // and highest (never below any event's value in it)
    std::vector<MemoryPurpose> purposes;       // stacked bands, bottom to top
    std::vector<std::vector<double>> stackTop; // [band][column]: cumulative top of the band
    double unitBytes = 1.0;
    QString unitName = QStringLiteral("B");
    double maxY = 0;                           // highest value drawn

    std::size_t columns() const { return columnX.size(); }
    // Vertices drawn: two per column for the used line, one per column per band.
    std::size_t pointCount() const { return columns() * (2 + purposes.size()); }
};

// 1, 2 or 5 x 10^k: a round tick interval giving about `ticks` intervals over `span`.
double niceStep(double span, double ticks);

// `purposes` fixes the bands (bottom to top) so they stay stable while zooming;
// empty: every purpose with bytes in view.
TimelineSeries buildTimelineSeries(const SessionModel& session, const UsagePyramid& pyramid, std::int64_t originMs,
                                   std::int64_t fromMs, std::int64_t toMs, int columns, double unitBytes,
                                   const std::vector<MemoryPurpose>& purposes = {});

// Seconds since origin for a time in ms, and back.
inline double toSeconds(std::int64_t ms, std::int64_t originMs) { return static_cast<double>(ms - originMs) / 1000.0; }
inline std::int64_t toMs(double seconds, std::int64_t originMs) { return originMs + static_cast<std::int64_t>(seconds * 1000.0); }

} // namespace flight::ui
