// SPDX-License-Identifier: MIT
#pragma once
// flight-agent generate: write a synthetic session (core/generator) as a recording.

#include <QStringList>

namespace flight::agent {

// args: the whole argv (program name first, then "generate", then options).
// Returns the process exit code: 0 written, 2 bad usage or could not write.
int generateMain(const QStringList& args);

} // namespace flight::agent
