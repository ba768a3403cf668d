// SPDX-License-Identifier: MIT
#pragma once
// process:PID: a real Linux process sampled every interval (250 ms default)
// from /proc (process_memory_sampler.h has the mapping). Session id
// "process-<PID>", label "<comm> (pid N)". The process ending ends the session.

#include "live/sampling/process_memory_sampler.h"
#include "live/sources/sampling_source.h"

namespace flight::live {

struct ProcessSourceOptions {
    qint64 pid = 0;
    std::chrono::milliseconds interval{250};
    QString procRoot = QStringLiteral("/proc");
    QString cgroupRoot = QStringLiteral("/sys/fs/cgroup");
};

class ProcessSource final : public SamplingSource {
public:
    // Errors: no such process (invalid-allocation), pid <= 0.
    static Result<std::unique_ptr<ProcessSource>> create(ProcessSourceOptions options);
    QString describe() const override;

protected:
    Result<MemorySample> takeSample() override;

private:
    ProcessSource(ProcessSourceOptions options, std::string label);
    ProcessSourceOptions m_options;
    ProcessMemorySampler m_sampler;
};

} // namespace flight::live
