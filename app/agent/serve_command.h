// SPDX-License-Identifier: MIT
#pragma once
// flight-agent serve: stream live sessions over WebSocket (core/live AgentServer).

#include "live/sources/agent_source.h"

#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace flight::agent {

// args: the whole argv (program name first, then "serve", then options).
// Runs the event loop until SIGINT/SIGTERM. Returns the exit code: 0 stopped
// cleanly (signal, or every source finished), 2 bad usage or could not start.
// `extraSources` are served beside the --source specs (then none is needed):
// flight-agent run's traced program.
// `onStopped` runs when serving has stopped, while the sources still exist.
int serveMain(const QStringList& args, std::vector<std::unique_ptr<live::AgentSource>> extraSources = {},
              const std::function<void()>& onStopped = {});

} // namespace flight::agent
