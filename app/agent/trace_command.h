// SPDX-License-Identifier: MIT
#pragma once
// flight-agent run -- PROGRAM ARGS...: starts any program with
// libflight-preload.so preloaded and serves its allocations live by purpose
// (live/tracer/tracer_source.h), as `serve` serves its sources, until it has ended.

#include <QStringList>

namespace flight::agent {

// args: the whole argv (program name first, then "run"). Returns the
// program's exit code (128+N when signal N ended it), 2 bad usage or it could not start.
int traceMain(const QStringList& args);

} // namespace flight::agent
