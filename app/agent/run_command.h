// SPDX-License-Identifier: MIT
#pragma once
// flight-agent run --v8 -- node app.js: starts a node program with an
// inspector port of its own choosing, then serves it as `serve --source
// v8:127.0.0.1:PORT` would, until the program has ended.

#include <QStringList>

namespace flight::agent {

// args: the whole argv (program name first, then "run"). Returns the exit
// code: the program's own when it ran to its end, 2 bad usage or could not start.
int runMain(const QStringList& args);

} // namespace flight::agent
