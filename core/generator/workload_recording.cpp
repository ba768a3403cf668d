// SPDX-License-Identifier: MIT
#include "generator/workload_recording.h"

#include "protocol/recording_writer.h"

#include <chrono>
#include <limits>

namespace flight::generator {

Result<WorkloadRecordingResult> writeWorkloadRecording(WorkloadGenerator& generator, const std::string& path,
                                                       const WorkloadRecordingOptions& options)
{
    const WorkloadOptions& wo = generator.options();
    protocol::RecordingWriterOptions ro;
    ro.format = options.compact ? protocol::RecordingFormat::Compact : protocol::RecordingFormat::Jsonl;
    ro.compress = options.compress && !options.compact;
    ro.compressionLevel = options.compressionLevel;
    ro.source = "generator:" + wo.platform + "?seed=" + std::to_string(wo.seed) + "&events="
              + std::to_string(wo.events);
    ro.application = options.application;
    ro.createdAt = wo.startMs;
    // Flush points would change the zstd bytes: only the final close flushes.
    ro.flushInterval = std::chrono::hours(24 * 365);
    ro.flushEveryMessages = std::numeric_limits<std::size_t>::max();

    auto writer = protocol::RecordingWriter::create(path, std::move(ro));
    if (!writer)
        return std::unexpected(writer.error());

    WorkloadRecordingResult result;
    result.firstMs = wo.startMs;
    while (const protocol::Message* m = generator.next()) {
        const std::uint64_t n = generator.produced();
        const auto delay = static_cast<std::int64_t>((n * 0x9E3779B97F4A7C15ull) >> 62); // 0..3 ms
        if (auto r = writer->append(*m, generator.nowMs() + delay); !r)
            return std::unexpected(r.error());
        ++result.messages;
    }
    if (auto r = writer->close(); !r)
        return std::unexpected(r.error());
    result.counts = generator.counts();
    result.lastMs = generator.nowMs();
    result.liveAtEnd = generator.liveAllocations();
    return result;
}

Result<WorkloadRecordingResult> writeWorkloadRecording(const WorkloadOptions& options, const std::string& path,
                                                       const WorkloadRecordingOptions& recording)
{
    auto generator = WorkloadGenerator::create(options);
    if (!generator)
        return std::unexpected(generator.error());
    return writeWorkloadRecording(*generator, path, recording);
}

} // namespace flight::generator
