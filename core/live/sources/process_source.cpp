// SPDX-License-Identifier: MIT
#include "live/sources/process_source.h"

namespace flight::live {

ProcessSource::ProcessSource(ProcessSourceOptions options, std::string label)
    : SamplingSource("process-" + std::to_string(options.pid), std::move(label), options.interval),
      m_options(options), m_sampler(options.pid, options.procRoot, options.cgroupRoot)
{
}

Result<std::unique_ptr<ProcessSource>> ProcessSource::create(ProcessSourceOptions options)
{
    if (options.pid <= 0)
        return makeError(MemoryErrorCode::InvalidAllocation, "process: a PID above 0 is needed");
    ProcessMemorySampler probe(options.pid, options.procRoot, options.cgroupRoot);
    if (!probe.exists())
        return makeError(MemoryErrorCode::InvalidAllocation,
                         "process: no process " + std::to_string(options.pid) + " (nothing in "
                             + options.procRoot.toStdString() + '/' + std::to_string(options.pid) + ")");
    std::string label = probe.name().toStdString() + " (pid " + std::to_string(options.pid) + ')';
    return std::unique_ptr<ProcessSource>(new ProcessSource(std::move(options), std::move(label)));
}

QString ProcessSource::describe() const
{
    return QStringLiteral("process:") + QString::number(m_options.pid);
}

Result<MemorySample> ProcessSource::takeSample()
{
    return m_sampler.sample();
}

} // namespace flight::live
