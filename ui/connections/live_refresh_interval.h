// SPDX-License-Identifier: MIT
#pragma once
// How often the views of a live session are refreshed from a copy of its store.

#include <QtGlobal>

#include <algorithm>

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

} // namespace flight::ui
