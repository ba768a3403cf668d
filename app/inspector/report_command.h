#pragma once

namespace flight::app {
// `flight-inspector report FILE... --format json [-o OUT]`, headless.
// Exit 0 when every file was read (bad lines are listed in the report), 2 when
// one cannot be read at all or the arguments are wrong (reason on stderr).
int reportMain(int argc, char** argv);
} // namespace flight::app
