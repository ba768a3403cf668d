// SPDX-License-Identifier: MIT
#pragma once
// Is a file that was read a Flight recording at all? A README, a log or a
// binary opened by mistake reads as N "not JSON" lines and no session, which
// is not the same thing as a recording with some bad lines: the first is
// refused as a whole (one clear sentence), the second is loaded with its
// problems listed.

#include "protocol/recording_reader.h"
#include "protocol/session_store.h"

#include <optional>
#include <string>

namespace flight::protocol {

// Why `store` (filled from a file, `read` its result) holds no Flight content,
// or nullopt when it does. Flight content is a recording header, a hello, or
// any message of a known type that reached the store (applied, refused by the
// session model, or dropped as a duplicate); lines of unknown types alone do
// not make a recording. The reason completes "FILE is not a Flight recording":
//   "(no line of its 37 is a Flight message)", "(the file is empty)".
// A file that could not be read (read.ioError) is not judged here.
std::optional<std::string> notARecordingReason(const RecordingReadResult& read, const SessionStore& store);

} // namespace flight::protocol

namespace flight::protocol {

// What a file holds, judged by its first line (decompressed): a Flight
// recording, or another tool's file the inspector imports (core/import):
// heaptrack's data file starts "v VERSION FILEVERSION" (hex), massif's "desc:".
enum class RecordingKind : std::uint8_t { Flight, Heaptrack, Massif };
RecordingKind recordingKindOf(std::string_view firstLine);

} // namespace flight::protocol
