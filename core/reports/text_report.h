// SPDX-License-Identifier: MIT
#pragma once
// The plain-text report of one session (the window's Report tab): its figures
// now, by purpose, its limits, the trend over the whole session and counts of
// its events, one "label: value" line each.

#include "model/session_model.h"

#include <string>

namespace flight::reports {

std::string textReport(const SessionModel& session);

} // namespace flight::reports
