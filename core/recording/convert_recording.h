// SPDX-License-Identifier: MIT
#pragma once
// `flight-inspector convert IN OUT`: a recording rewritten in another format
// (docs/recordings.md, "Converting"), every line kept. Lines in canonical
// form become messages of the output format; any other line (another
// dialect, a malformed frame, a blank line) is kept byte for byte, so
// converting back gives the input again. Only the header's format changes.

#include "model/memory_error.h"
#include "protocol/recording_writer.h"

#include <cstdint>
#include <string>

namespace flight::recording {

enum class OutputFormat : std::uint8_t { Jsonl, JsonlZstd, Compact };

// The format a file name asks for: ".fmr" format 2, ".zst" zstd JSON Lines,
// anything else plain JSON Lines.
OutputFormat outputFormatFor(const std::string& path);

struct ConvertResult {
    std::uint64_t lines = 0;      // lines of the input written
    std::uint64_t kept = 0;       // of them, kept as they were (not canonical)
    std::uint64_t problems = 0;   // reader problems (lost or refused lines), listed in `notes`
    std::vector<std::string> notes;
};

// Fails when IN cannot be read or OUT written (OUT is then removed).
Result<ConvertResult> convertRecording(const std::string& in, const std::string& out, OutputFormat format);

} // namespace flight::recording
