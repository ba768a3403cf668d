// SPDX-License-Identifier: MIT
#include "timeline_navigation.h"

#include "timeline_view.h"

namespace flight::ui {

void revealTime(TimelineView& timeline, std::int64_t t)
{
    const std::int64_t from = timeline.visibleFromMs();
    const std::int64_t to = timeline.visibleToMs();
    if (t >= from && t <= to)
        return;
    const std::int64_t half = (to - from) / 2;
    timeline.setVisibleRange(t - half, t - half + (to - from));
}

void keepNewestInView(TimelineView& timeline, std::int64_t fromMs, std::int64_t toMs, std::int64_t newestMs)
{
    const std::int64_t width = toMs - fromMs;
    timeline.setVisibleRange(newestMs - width, newestMs);
}

} // namespace flight::ui
