// SPDX-License-Identifier: MIT
#pragma once
// The cursor's readout on the timeline: the instant, the used bytes and the
// usage of each purpose at that instant, as rich text for a QGraphicsTextItem.

#include "model/session_model.h"

#include <QPalette>
#include <QString>

#include <vector>

namespace flight::ui {

// Every instant the hover read-outs show (timeline, gauge, report's range), in
// seconds from the session start: "168.058 s" (not "2:48.058"), as the time axis,
// the tables and the replay bar count.
QString formatTimelineSeconds(double seconds);

// `purposes` bottom to top as stacked (listed top first, like the chart); purposes
// holding nothing at t are left out.
QString timelineReadoutHtml(const SessionModel& session, std::int64_t t, std::int64_t originMs,
                            const std::vector<MemoryPurpose>& purposes, const QPalette& palette);

} // namespace flight::ui
