// SPDX-License-Identifier: MIT
#pragma once
// Drains a WorkloadGenerator into a recording (protocol.md section 5) through
// RecordingWriter: canonical form, header first, receivedAt = timestamp plus a
// small deterministic delivery delay. The header's createdAt is the workload's
// start and flushes happen only at the end, so the same generator options give
// a byte-identical file, plain or zstd.

#include "generator/workload_generator.h"
#include "model/memory_error.h"

#include <cstdint>
#include <string>

namespace flight::generator {

struct WorkloadRecordingOptions {
    bool compact = false;   // format 2 (docs/recordings.md); else JSON Lines, zstd with `compress`
    bool compress = false;
    int compressionLevel = 19;
    std::string application = std::string("flight-agent ") + FLIGHT_VERSION;
};

struct WorkloadRecordingResult {
    std::uint64_t messages = 0;     // after the header line
    WorkloadCounts counts;
    std::int64_t firstMs = 0;
    std::int64_t lastMs = 0;
    std::size_t liveAtEnd = 0;
};

// Writes every remaining message of `generator` to `path` (created or truncated).
Result<WorkloadRecordingResult> writeWorkloadRecording(WorkloadGenerator& generator, const std::string& path,
                                                       const WorkloadRecordingOptions& options = {});

// Convenience: create the generator from `options` and write it.
Result<WorkloadRecordingResult> writeWorkloadRecording(const WorkloadOptions& options, const std::string& path,
                                                       const WorkloadRecordingOptions& recording = {});

} // namespace flight::generator
