// SPDX-License-Identifier: MIT
#pragma once
// Where a headless subcommand's document goes: standard output, or a file.

#include <QString>

#include <string>

namespace flight::app {

// Writes `text` to `out` ("" or "-": standard output). Returns 0, or 2 after
// printing "flight-inspector COMMAND: cannot write OUT: why" on stderr.
int writeCommandOutput(const char* command, const QString& out, const std::string& text);

} // namespace flight::app
