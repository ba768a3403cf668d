// SPDX-License-Identifier: MIT
#pragma once
// The documentation as the tests read it: the pages of docs/ and the man pages
// of packaging/man/ (FLIGHT_SOURCE_DIR), and the fenced blocks marked in them
// with an "<!-- example: NAME -->" line, so a test runs a command as written.

#include <QString>
#include <QStringList>

namespace flight::apptest {

// Roff's escaped dashes ("\-\-zstd\-level") as typed ("--zstd-level").
QString normaliseRoff(QString text);

// docs/*.md and packaging/man/*.1, one text, roff normalised.
QString documentationText();

// True when `option` ("--at", "-o") stands in `text` as a word of its own:
// "--at" is not found in "--at-preview", nor "-o" in "-output".
bool mentionsOption(const QString& text, const QString& option);

// The lines of the fenced block after "<!-- example: NAME -->" in docs/PAGE;
// empty when there is none.
QStringList docExample(const QString& page, const QString& name);

} // namespace flight::apptest
