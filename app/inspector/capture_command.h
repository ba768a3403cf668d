// SPDX-License-Identifier: MIT
#pragma once

namespace flight::app {
// `flight-inspector capture URL -o FILE [--duration S] [--token-file F]
// [--trust-cert PEM] [--compress]`, headless (QCoreApplication, no display).
// Connects (reconnecting with backoff), records every message to FILE as it
// arrives, and stops at the end of the duration or on SIGINT/SIGTERM; the
// file is then flushed and closed, so it is always a valid recording.
// Prints one summary line to stdout. Exit codes (also in --help):
//   0  the capture ran and was connected at least once
//   2  wrong arguments, unreadable token/certificate file, or FILE cannot be written
//   3  never connected for the whole run, or a final connection error
//      (the token or the TLS certificate refused); FILE is still a valid
//      (header-only or partial) recording
int captureMain(int argc, char** argv);
} // namespace flight::app
