// SPDX-License-Identifier: MIT
#pragma once
// Keeps two timelines on the same stretch of time: zooming or panning either
// one moves the other to match. b's time = a's time + offset, so the offset is
// the difference of the sessions' starts when they are compared "relative to
// each start", and 0 when they are compared in absolute (wall-clock) time.

#include <QObject>

#include <cstdint>

namespace flight::ui {

class TimelineView;

class TimelineSync : public QObject {
    Q_OBJECT
public:
    TimelineSync(TimelineView* a, TimelineView* b, QObject* parent = nullptr);

    std::int64_t offsetMs() const { return m_offsetMs; }
    // Sets the offset and brings b to a's current range.
    void setOffsetMs(std::int64_t offsetMs);

private:
    void follow(TimelineView* to, std::int64_t fromMs, std::int64_t toMs, std::int64_t shift);

    TimelineView* m_a;
    TimelineView* m_b;
    std::int64_t m_offsetMs = 0;
    bool m_following = false; // the other view's answer must not echo back
};

} // namespace flight::ui
