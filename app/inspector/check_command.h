// SPDX-License-Identifier: MIT
#pragma once

namespace flight::app {
// `flight-inspector check INPUT... --platform P [--budgets FILE]... [--at end|peak|p95]
// [--format text|json]`: the CI gate. Exit 0 when every session fits every
// budget checked, 1 when any is over (a session whose byte totals overflowed,
// SessionModel::overflowErrors, is over every budget), 2 when an input or
// budget cannot be read.
int checkMain(int argc, char** argv);
} // namespace flight::app
