// SPDX-License-Identifier: MIT
#pragma once

namespace flight::app {
// `flight-inspector diff A B [--format text|json|html|md] [--fail-on-growth PCT]
// [-o OUT]`: what changed between two recordings, per session and purpose.
// Exit 0, 1 when --fail-on-growth is given and a purpose's peak grew by more
// than PCT percent (or from 0), 2 on an unreadable input, an unwritable output
// or bad arguments.
int diffMain(int argc, char** argv);
} // namespace flight::app
