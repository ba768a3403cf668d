// SPDX-License-Identifier: MIT
#pragma once
// Where a headless subcommand's document goes: standard output, or a file.

#include <QByteArray>
#include <QString>

#include <string>

namespace flight::app {

// Writes `text` to `out` ("" or "-": standard output). Returns 0, or 2 after
// printing "flight-inspector COMMAND: cannot write OUT: why" on stderr.
// On a terminal, control characters (from session ids, labels, ... a
// producer chose) are escaped, newlines and tabs kept; to a pipe or a file
// the document goes as it is.
int writeCommandOutput(const char* command, const QString& out, const std::string& text);

// Text for one terminal line that holds something a peer sent (a session id,
// a close reason, a decode error): protocol::printableText, as UTF-8.
QByteArray printable(const QString& text);
QByteArray printable(const std::string& text);

} // namespace flight::app
