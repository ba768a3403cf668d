#pragma once
// Chart adapter: turns a session's model into the points the timeline draws
// for a visible range and a pixel width. Stacked areas by purpose take one
// point per column, read at the column's peak instant (so the stack's top is
// the peak and peaks never vanish); the used line takes two points per column
// (its minimum and maximum). The cost depends on the columns, not the events.

#include "model/purpose_usage.h"
#include "model/session_model.h"
#include "size_format.h"

#include <QList>
#include <QPointF>
#include <QString>

#include <vector>

namespace flight {
class UsagePyramid;
}

namespace flight::ui {

struct PurposeSeries {
    MemoryPurpose purpose;
    QList<QPointF> upper; // cumulative top of this purpose's band (x: seconds from origin, y: scaled bytes)
    QList<QPointF> lower; // cumulative top of the band below
};

struct TimelineSeries {
    std::vector<PurposeSeries> stacked; // bottom to top
    QList<QPointF> used;                // min/max pairs per column
    double unitBytes = 1.0;             // y values are bytes / unitBytes
    QString unitName = QStringLiteral("B");
    double maxY = 0;                    // highest value drawn (scaled)
};

// 1, 2 or 5 x 10^k: a round tick interval giving about `ticks` intervals over `span`.
double niceStep(double span, double ticks);

// x values are seconds since originMs. `purposes` fixes the bands (bottom to top)
// so they stay stable while zooming; empty: every purpose with bytes in view.
TimelineSeries buildTimelineSeries(const SessionModel& session, const UsagePyramid& pyramid, std::int64_t originMs,
                                   std::int64_t fromMs, std::int64_t toMs, int columns, double unitBytes,
                                   const std::vector<MemoryPurpose>& purposes = {});

// Seconds since origin for a time in ms, and back.
inline double toSeconds(std::int64_t ms, std::int64_t originMs) { return static_cast<double>(ms - originMs) / 1000.0; }
inline std::int64_t toMs(double seconds, std::int64_t originMs) { return originMs + static_cast<std::int64_t>(seconds * 1000.0); }

} // namespace flight::ui
