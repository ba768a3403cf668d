// SPDX-License-Identifier: MIT
#pragma once
// Small moves of the timeline's visible window that several views ask for,
// kept out of the widgets so each stays one concept.

#include <cstdint>

namespace flight::ui {

class TimelineView;

// Pans (keeping the zoom) so that t is visible, centred, when it is outside
// the visible window; does nothing when it is already visible.
void revealTime(TimelineView& timeline, std::int64_t t);

// For a live session that grew: a zoomed view slides so its right edge is the
// newest instant (the zoom width is kept); a full view stays full.
void keepNewestInView(TimelineView& timeline, std::int64_t fromMs, std::int64_t toMs, std::int64_t newestMs);

} // namespace flight::ui
