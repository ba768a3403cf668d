// SPDX-License-Identifier: MIT
#pragma once
// Sessions built by hand for tests, shared by the core and ui tests (their
// figures are stated here, so a test can assert them without the code under test).

#include "model/session_model.h"

#include <cstdint>

namespace flight::test {

// n allocations over n ms (one a ms) across the first four purposes, sizes
// 1..100000 B from a fixed seed; every third from 500 ms on frees the one
// allocated 500 ms before it.
SessionModel churnSession(int n);

// vm-heap: `baseBytes` from 0 ms, plus `spikeBytes` from `spikeFromMs` to the
// end at `endMs` (a marker). Total 1 GiB, platform custom.
SessionModel spikeSession(std::uint64_t baseBytes, std::uint64_t spikeBytes, std::int64_t spikeFromMs, std::int64_t endMs);

} // namespace flight::test
