// SPDX-License-Identifier: MIT
#pragma once
// The plain-text report of one session (the window's Report tab): its figures
// now, by purpose, its limits, the trend over the whole session and counts of
// its events, one "label: value" line each.

#include "model/memory_size.h"
#include "model/session_model.h"

#include <string>

namespace flight::reports {

// Sizes in `units` (the inspector's Units preference); Protocol is the recordings' own "512.0MB".
std::string textReport(const SessionModel& session, ByteUnits units = ByteUnits::Protocol);

} // namespace flight::reports
