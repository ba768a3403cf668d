// SPDX-License-Identifier: MIT
#pragma once
// Streams a recording (protocol.md section 5) line by line: plain JSON Lines or
// zstd (detected by its magic bytes 28 B5 2F FD, whatever the file name), read
// in chunks with a carry-over buffer: the file is never held whole. Lines over
// the limit are refused and skipped; a file cut mid-line delivers everything
// before the cut and says so. Corrupt zstd data costs only its frame: the
// reader goes on at the next zstd frame and reports the compressed bytes it
// skipped (CompressedCorrupt; zstd_resync.h). Cancellable from another thread.

#include "model/memory_error.h"
#include "protocol/message_decoder.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace flight::protocol {

enum class ReadProblemKind : std::uint8_t { LineTooLong, EndsMidLine, CompressedCut, CompressedCorrupt, Io };

struct ReadProblem {
    ReadProblemKind kind;
    std::uint64_t line = 0;  // the line concerned (for a cut: the unfinished line)
    std::string message;     // "line 3: 20971520 bytes, over the 16777216-byte limit: refused"
};

inline constexpr std::size_t kLinePadding = kDecoderPadding;

struct RecordingReadOptions {
    std::size_t maxLineBytes = kDefaultMaxMessageBytes;
    std::size_t chunkBytes = 1u << 20;
    // Called with 0..1 (share of the file's bytes consumed) after each chunk; 1.0 at the end.
    std::function<void(double)> progress;
    std::stop_token stopToken;                 // request_stop() from any thread, or
    const std::atomic<bool>* cancel = nullptr; // set to true from any thread
    // zstd: decompress on a second thread (into a ring of chunkBytes buffers)
    // while this one splits lines and runs the sink. Same lines, problems and
    // result either way; progress and cancellation are checked per buffer.
    // Format 2 (recording/compact_reader.h): blocks are read, checked and
    // decoded on a second thread, a few blocks ahead of the sink.
    bool zstdThread = true;
    // Called as each problem is found (they are also in the result).
    std::function<void(const ReadProblem&)> onProblem;
    // Called before the lines delivered so far become invalid (their buffer
    // is about to be reused or freed): after each chunk's lines, and before
    // readRecording returns. With it, a sink may keep views into its lines
    // until then; without it, a line is valid during its sink call only.
    std::function<void()> beforeReuse;
};

struct RecordingReadResult {
    std::uint64_t lines = 0;          // lines seen (delivered, blank or refused)
    std::uint64_t bytesRead = 0;      // from the file
    bool compressed = false;
    bool cancelled = false;
    bool endedMidLine = false;        // last line had no '\n' (delivered with unterminated = true)
    std::vector<ReadProblem> problems;
    std::optional<MemoryError> ioError; // could not open or read: nothing or part delivered
};

// line: without its '\n' (and '\r'); valid during the call only (but see
// beforeReuse). In memory it is followed by the byte it ended at ('\n', '\r'
// or '\0') and at least kLinePadding readable bytes in all, so a decoder may
// read it in place (MessageDecoder::decodeCommon).
// unterminated: the file ended inside this line (no newline after it).
using LineSink = std::function<void(std::string_view line, std::uint64_t lineNumber, bool unterminated)>;

RecordingReadResult readRecording(const std::string& path, const LineSink& sink,
                                  const RecordingReadOptions& options = {});

// The zstd frame magic number (little-endian 0xFD2FB528 on disk: 28 B5 2F FD).
bool looksLikeZstd(std::string_view firstBytes);

} // namespace flight::protocol
