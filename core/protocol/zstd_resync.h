// SPDX-License-Identifier: MIT
#pragma once
// Reading on after corrupt zstd data (recording_reader.cpp): the recording
// writer ends a zstd frame at every flush (recording_writer.h), so frames start
// at a line and decode on their own. After an error the reader scans for the
// next frame's magic bytes, resets its decoder there and goes on: one corrupt
// byte costs the rest of its frame (at most a flush's worth of lines), not the
// rest of the file. The lost range is reported by its byte offsets and the
// line it follows.
//
// Also tells a closed recording from a cut one: the writer ends a closed
// recording with a skippable frame holding kEndMark (zstd decoders skip it),
// so a file of several frames without it stopped after its last flush.
// Internal to flightcore; both zstd loops of the reader use it, so they find
// the same frames and report the same problems.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <zstd.h>

namespace flight::protocol {

// The closing skippable frame: magic 0x184D2A5F, a 4-byte size, the text.
inline constexpr std::string_view kEndMarkText = "flight-memory-recording/1 closed";
std::string zstdEndMark();

class ZstdResync {
public:
    static constexpr std::array<char, 4> kMagic = {'\x28', '\xB5', '\x2F', '\xFD'};

    // A frame ended (zstd returned 0) with the next input byte at file offset `offset`.
    void frameEnded(std::uint64_t offset)
    {
        m_frameStart = offset;
        m_frameFound = false;
        ++m_framesEnded;
    }
    bool seeking() const { return m_seeking; }

    // Corrupt data found reading from file offset `at` (where the failing zstd
    // call began: zstd does not move the input on an error; zstd's error
    // name). Returns the
    // offset to scan from: the byte after the corrupt frame's first one when
    // `canSeekBack` and that frame followed a whole one (a corrupt block size
    // may have swallowed the next frame's start), else `at`. Scanning from
    // where a frame found by a scan failed keeps the work linear.
    std::uint64_t corrupt(std::uint64_t at, std::string_view error, bool canSeekBack);
    // Scans `data` (at file offset `offset`) for the next frame's magic: the
    // index in `data` just past it, or npos (the scan goes on with the next
    // data; a magic may straddle the two). On a match the decoder is to be
    // reset and fed kMagic, then `data` from that index; lostText() then
    // describes what was skipped.
    std::size_t scan(std::string_view data, std::uint64_t offset);
    // The problem for the range skipped, once scan() found the next frame
    // (the reader puts the number of the next line read before it).
    std::string lostText() const;
    // A decoder reset and fed kMagic: ready for the frame scan() found.
    static void restart(ZSTD_DStream* stream);

    // Keeps the last bytes of the compressed input (for the end mark).
    void sawInput(std::string_view data);
    // What the end of the file says, if anything is wrong: still scanning
    // (lost to the end), ends mid-frame (lastRet != 0), or several frames
    // and no end mark. `fileEnd`: the offset after the last byte read.
    struct EndProblem {
        bool corrupt = false; // true: data lost (CompressedCorrupt); false: the file is cut (CompressedCut)
        std::string text;
    };
    std::optional<EndProblem> atEnd(std::size_t lastRet, std::uint64_t fileEnd) const;

private:
    std::uint64_t m_frameStart = 0;  // where the current frame began
    bool m_frameFound = false;       // the current frame was found by a scan
    std::uint64_t m_framesEnded = 0;
    bool m_seeking = false;
    std::uint64_t m_errorAt = 0;
    std::uint64_t m_lostFrom = 0;
    std::uint64_t m_nextFrame = 0;
    std::string m_error;
    std::size_t m_matched = 0;       // bytes of kMagic matched at the end of the last data scanned
    std::string m_tail;              // the last zstdEndMark().size() bytes of input
};

} // namespace flight::protocol
