// SPDX-License-Identifier: MIT
#pragma once
// Text a peer sent (a close reason, an error text, a session id, a label),
// made safe to print on a terminal or show in a window: control characters
// cannot move the cursor, clear the screen, change colours, ring the bell or
// rewrite the line (docs/reliability.md, "Trust at the edges").
//
// Escaped: C0 controls and DEL as \n, \r, \t or \xHH (0x1b -> \x1b); C1
// controls (U+0080..U+009F, which some terminals take as ESC [) and the
// bidirectional overrides/isolates (U+202A..U+202E, U+2066..U+2069, which
// reorder what is shown) as \u{HHHH}; bytes that are not valid UTF-8 as \xHH.
// Everything else, other UTF-8 text included, is kept as is. A backslash is
// kept too, so escaping is idempotent (an escaped text has nothing left to
// escape). Newlines and tabs are escaped unless `keepLayout` (a multi-line
// document of our own that holds peer strings, printed whole).
//
// Used wherever something a peer sent is printed: the live connection's
// state texts, `flight-inspector capture`'s lines, and every message and
// document the other subcommands print on a terminal (app/inspector).

#include <string>
#include <string_view>

namespace flight::protocol {

std::string printableText(std::string_view text, bool keepLayout = false);

} // namespace flight::protocol
