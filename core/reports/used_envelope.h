// SPDX-License-Identifier: MIT
#pragma once
// The used-bytes series of a session over [from, to] reduced to at most two
// points per pixel column (the column's minimum and maximum, in the order they
// happened), so a chart of any recording stays small. Large sessions go
// through the UsagePyramid (cost by columns, not events); small ones are read
// event by event (exact).

#include "model/session_model.h"

#include <cstdint>
#include <vector>

namespace flight::reports {

struct UsedPoint {
    double timeMs = 0;
    std::uint64_t used = 0;
};

std::vector<UsedPoint> usedEnvelope(const SessionModel& session, std::int64_t fromMs, std::int64_t toMs, int columns);

} // namespace flight::reports
