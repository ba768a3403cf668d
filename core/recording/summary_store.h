// SPDX-License-Identifier: MIT
#pragma once
// A format-2 file's usage summary (usage_summary.h) turned into sessions the
// views already know how to draw: each session started with its platform and
// total, each summary point applied as one memory_update setting used and the
// standard purposes' levels. What the window shows while the file loads; the
// full load replaces it.

#include "protocol/session_store.h"
#include "recording/usage_summary.h"

namespace flight::recording {

// Applies `summary` to `store` (an empty one). O(sessions × points).
void applySummary(const RecordingSummary& summary, protocol::SessionStore& store);

} // namespace flight::recording
