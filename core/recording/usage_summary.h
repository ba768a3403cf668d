// SPDX-License-Identifier: MIT
#pragma once
// The coarse usage summary a format-2 writer puts before its footer and some
// periodic checkpoints (docs/recordings.md, "Summary"): per session, at most
// kMaxSummaryPoints points of used and the eight standard purposes' levels
// (each column of the coarse pyramid's minimum and maximum, then the last
// state), so a window can draw the whole timeline before reading any block.
// Here: the values, and the section's bytes both ways (never throws).

#include "model/memory_error.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flight::recording {

inline constexpr std::string_view kSummaryMagic = "FMS2";
inline constexpr std::size_t kSummaryHeaderBytes = 16;
inline constexpr std::size_t kMaxSummaryColumns = 1024;
inline constexpr std::size_t kMaxSummaryPoints = 2 * kMaxSummaryColumns + 1;
inline constexpr std::size_t kMaxSummarySessions = 256;
inline constexpr std::uint32_t kMaxSummaryRawBytes = 16u << 20;

struct SummaryPoint {
    std::int64_t timeMs = 0;
    std::uint64_t usedBytes = 0;                   // tracked + untracked, as the model counts it
    std::array<std::int64_t, 8> levels{};          // the standard purposes (MemoryPurpose ids 0..7)
    friend bool operator==(const SummaryPoint&, const SummaryPoint&) = default;
};

struct SessionSummary {
    std::string sessionId;   // as the messages name it ("default" for messages naming none)
    std::string platform;
    std::uint64_t totalBytes = 0; // 0: none given
    std::uint64_t changes = 0;    // usage changes seen
    std::uint64_t peakBytes = 0;
    std::int64_t peakAtMs = 0;
    std::vector<SummaryPoint> points; // time order, at most kMaxSummaryPoints
    friend bool operator==(const SessionSummary&, const SessionSummary&) = default;
};

struct RecordingSummary {
    std::uint64_t records = 0;         // records written when it was taken
    std::uint64_t notSummarised = 0;   // of them, left out (raw lines, sessions past kMaxSummarySessions)
    std::vector<SessionSummary> sessions;
    friend bool operator==(const RecordingSummary&, const RecordingSummary&) = default;
};

// The summary as a section ("FMS2" header, zstd payload, trailing length), appended to `out`.
Result<void> appendSummarySection(std::string& out, const RecordingSummary& summary, int compressionLevel = 3);
// One whole section (its trailing length included): nullopt when it does not check
// (magic, sizes, CRC, zstd, payload).
std::optional<RecordingSummary> parseSummarySection(std::string_view section);
// The decompressed payload; MalformedInput saying what is wrong.
Result<RecordingSummary> decodeSummaryPayload(std::string_view raw);
std::string encodeSummaryPayload(const RecordingSummary& summary);

} // namespace flight::recording
