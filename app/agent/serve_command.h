// SPDX-License-Identifier: MIT
#pragma once
// flight-agent serve: stream live sessions over WebSocket (core/live AgentServer).

#include <QStringList>

namespace flight::agent {

// args: the whole argv (program name first, then "serve", then options).
// Runs the event loop until SIGINT/SIGTERM. Returns the exit code: 0 stopped
// cleanly (signal, or every source finished), 2 bad usage or could not start.
int serveMain(const QStringList& args);

} // namespace flight::agent
