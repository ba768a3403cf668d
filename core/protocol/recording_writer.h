// SPDX-License-Identifier: MIT
#pragma once
// Writes a recording (protocol.md section 5): the header line, then each message
// in canonical form with `receivedAt` added, appended as it goes. Data reaches
// the file (fflush) at least every `flushInterval` or `flushEveryMessages`
// messages, checked on append; call flushIfDue() from a timer when messages
// may pause. With zstd, each flush ends a zstd frame (ZSTD_e_end) so a killed
// process's file decodes up to its last flush, and a reader resynchronises at
// the next frame after corrupt data; close() ends the file with a skippable
// frame that marks it closed (zstd_resync.h). In format 2 each flush ends a
// block, and close() writes the footer (recording/compact_writer.h); blocks
// are compressed and written on a thread of the writer's own
// (CompactWriteThread): flush() and close() return once the data is in the
// file, a flush due on append or flushIfDue() as soon as the block is handed over.

#include "model/memory_error.h"
#include "protocol/message.h"

#include <chrono>
#include <optional>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace flight::protocol {

// JSON Lines (flight-memory-recording/1, plain or zstd with `compress`) or
// format 2 (flight-memory-recording/2, docs/recordings.md; `compress` unused).
enum class RecordingFormat : std::uint8_t { Jsonl, Compact };

struct RecordingWriterOptions {
    RecordingFormat format = RecordingFormat::Jsonl;
    bool compress = false;
    // zstd's level; unset: the format's own (recording::kCompactLevel for
    // format 2, kJsonlZstdLevel for JSON Lines with `compress`).
    std::optional<int> compressionLevel;
    std::string source;                        // "ws://127.0.0.1:8765" (never a token)
    std::string application = std::string("flight-inspector ") + FLIGHT_VERSION;
    std::int64_t createdAt = 0;                // ms; 0 = now
    std::chrono::milliseconds flushInterval{250};
    std::size_t flushEveryMessages = 1000;
    // Create a new file only (fopen "wbx", O_CREAT|O_EXCL): fails with EEXIST
    // when anything is at `path`, a symlink included, so it never truncates
    // an existing file nor writes through a link.
    bool exclusive = false;
    // false: no header line/record is written (convert writes the input's own).
    bool header = true;
};

inline constexpr std::string_view kRecordingFormat = "flight-memory-recording/1";
// The zstd level of a JSON Lines recording written with `compress`.
inline constexpr int kJsonlZstdLevel = 3;

class RecordingWriter {
public:
    // Creates (truncates) `path` and writes the header line.
    static Result<RecordingWriter> create(const std::string& path, RecordingWriterOptions options = {});

    RecordingWriter(RecordingWriter&&) noexcept;
    RecordingWriter& operator=(RecordingWriter&&) noexcept;
    ~RecordingWriter(); // closes (flushes) the file

    // `message` with receivedAt set to `receivedAtMs`.
    Result<void> append(const Message& message, std::int64_t receivedAtMs);
    // A frame that did not decode, kept as received so that a replay shows
    // the same decode error: its bytes as one line, except that each '\n'
    // becomes 0x01 (a control character keeps the line invalid JSON wherever
    // the newline was) and a frame over kMaxMalformedFrameBytes keeps its
    // first kMaxMalformedFrameBytes, then 0x01 and "... (N bytes received)".
    static constexpr std::size_t kMaxMalformedFrameBytes = 64 * 1024;
    Result<void> appendMalformed(std::string_view frame);
    // For converting a recording: `message` as it is (its receivedAt kept, or
    // absent), and a line kept byte for byte (it must hold no '\n').
    Result<void> appendKept(const Message& message);
    Result<void> appendLine(std::string_view line);
    Result<void> flushIfDue();
    Result<void> flush();
    // Flushes, ends the zstd frame, closes. Later appends fail with io-error.
    Result<void> close();
    // Moves the file to `target` with rename(2) (same file system): atomic;
    // whatever was at `target` is replaced, a symlink there is replaced itself
    // (never followed). Writing goes on into the moved file; later errors
    // name `target`.
    Result<void> moveTo(const std::string& target);
    const std::string& path() const;

    std::uint64_t messagesWritten() const;
    std::uint64_t flushCount() const;

private:
    RecordingWriter();
    struct Impl;
    std::unique_ptr<Impl> d;
};

std::int64_t nowMs();

} // namespace flight::protocol
