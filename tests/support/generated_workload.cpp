// SPDX-License-Identifier: MIT
#include "generated_workload.h"

#include "generator/workload_recording.h"

namespace flight::test {

bool writeGeneratedWorkload(const std::string& path, const std::string& platform, std::uint64_t events,
                            std::uint64_t seed, bool compact)
{
    generator::WorkloadOptions o;
    o.platform = platform;
    o.events = events;
    o.seed = seed;
    generator::WorkloadRecordingOptions ro;
    ro.compact = compact;
    return writeWorkloadRecording(o, path, ro).has_value();
}

} // namespace flight::test
