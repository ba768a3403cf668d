// SPDX-License-Identifier: MIT
#pragma once

namespace flight::app {
// `flight-inspector report FILE... --format json|html|pdf|md|csv [-o OUT]
// [--platform P] [--budgets FILE]... [--range T0..T1] [--resolution MS]` and
// `report FILE... --chart timeline|pressure|purposes|budgets -o FILE.png|.svg`,
// headless (docs/reports.md). Exit 0 when the report was written, 2 when an
// input or budget file cannot be read, the output cannot be written or the
// arguments are wrong (reason on stderr).
int reportMain(int argc, char** argv);
} // namespace flight::app
