// SPDX-License-Identifier: MIT
#pragma once
// How often the views of a live session are refreshed from a copy of its store.

#include <QtGlobal>

#include <algorithm>
#include <cstdint>

namespace flight::ui {

inline constexpr int kMinLiveRefreshMs = 250;
inline constexpr int kMaxLiveRefreshMs = 2000;

// From what the last refresh cost: a copy + analysis on a worker (`workerMs`)
// and the redraw on the UI thread (`uiMs`). Keeps the UI thread at most ~1/5
// busy and the worker at most half a core, so a small session updates four
// times a second and a huge one stays responsive.
constexpr int liveRefreshIntervalMs(qint64 workerMs, qint64 uiMs)
{
    const qint64 wanted = std::max({qint64{kMinLiveRefreshMs}, 5 * uiMs, 2 * workerMs});
    return static_cast<int>(std::min(wanted, qint64{kMaxLiveRefreshMs}));
}

// A quiet session (fewer than kBusyLiveMessages new messages since its last
// refresh) is refreshed once kQuietLiveRefreshMs have passed, not at every
// tick: at 200 msg/s four redraws a second of a timeline that moved by a few
// pixels were a third of the window's CPU. The sessions table and the gauge
// still follow every snapshot (40 ms); a busy session, the first data and a
// view that wants details are refreshed at the next tick.
inline constexpr std::uint64_t kBusyLiveMessages = 1000;
inline constexpr int kQuietLiveRefreshMs = 1000;

// Whether a connection with `newMessages` since its last refresh, `sinceLastMs`
// ago, is refreshed at this tick of `tickMs` (the timer's interval).
constexpr bool liveRefreshDue(std::uint64_t newMessages, bool firstData, qint64 sinceLastMs, int tickMs)
{
    if (newMessages == 0)
        return false;
    return firstData || newMessages >= kBusyLiveMessages || sinceLastMs + tickMs / 2 >= kQuietLiveRefreshMs;
}

} // namespace flight::ui
