// SPDX-License-Identifier: MIT
#include "timeline_sync.h"

#include "timeline_view.h"

namespace flight::ui {

TimelineSync::TimelineSync(TimelineView* a, TimelineView* b, QObject* parent)
    : QObject(parent)
    , m_a(a)
    , m_b(b)
{
    connect(a, &TimelineView::visibleRangeChanged, this,
            [this](std::int64_t from, std::int64_t to) { follow(m_b, from, to, m_offsetMs); });
    connect(b, &TimelineView::visibleRangeChanged, this,
            [this](std::int64_t from, std::int64_t to) { follow(m_a, from, to, -m_offsetMs); });
}

void TimelineSync::setOffsetMs(std::int64_t offsetMs)
{
    m_offsetMs = offsetMs;
    follow(m_b, m_a->visibleFromMs(), m_a->visibleToMs(), m_offsetMs);
}

void TimelineSync::follow(TimelineView* to, std::int64_t fromMs, std::int64_t toMs, std::int64_t shift)
{
    if (m_following)
        return;
    m_following = true;
    to->setVisibleRange(fromMs + shift, toMs + shift);
    m_following = false;
}

} // namespace flight::ui
