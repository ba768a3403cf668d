// SPDX-License-Identifier: MIT
#pragma once
// The lines of a file another tool wrote (heaptrack, massif), streamed: zstd
// and plain through readRecording, gzip (magic 1F 8B, whatever the name)
// through zlib in 1 MiB chunks. Same result and problems as readRecording.

#include "protocol/recording_reader.h"

#include <string>
#include <string_view>

namespace flight::import {

bool looksLikeGzip(std::string_view firstBytes);

protocol::RecordingReadResult readImportLines(const std::string& path, const protocol::LineSink& sink,
                                              const protocol::RecordingReadOptions& options = {});

// The first line of a file (decompressed), at most `max` bytes; empty when
// unreadable. For content detection (native_recording.h).
std::string firstLineOf(const std::string& path, std::size_t max = 4096);

} // namespace flight::import
