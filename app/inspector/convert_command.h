// SPDX-License-Identifier: MIT
#pragma once

namespace flight::app {
// `flight-inspector convert IN OUT`: IN (JSON Lines, zstd JSON Lines or format
// 2, told apart by its bytes) rewritten as OUT in the format its name asks for
// (.fmr format 2, .zst zstd JSON Lines, else JSON Lines), every line kept
// (recording/convert_recording.h). Exit 0 written (lines the reader could not
// read are listed on stderr), 2 IN unreadable or OUT not writable.
int convertMain(int argc, char** argv);
} // namespace flight::app
