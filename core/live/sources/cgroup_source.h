// SPDX-License-Identifier: MIT
#pragma once
// cgroup:PATH: a memory cgroup (v2, or the v1 memory controller) sampled every
// interval (cgroup_memory_sampler.h has the mapping). Session id
// "cgroup-<last path element>", label the directory. The group disappearing
// ends the session.

#include "live/sampling/cgroup_memory_sampler.h"
#include "live/sources/sampling_source.h"

#include <optional>

namespace flight::live {

struct CgroupSourceOptions {
    QString path;                       // absolute, or relative to /sys/fs/cgroup
    std::chrono::milliseconds interval{250};
};

class CgroupSource final : public SamplingSource {
public:
    static Result<std::unique_ptr<CgroupSource>> create(CgroupSourceOptions options);
    QString describe() const override;
    const CgroupMemorySampler& sampler() const { return m_sampler; }

protected:
    Result<MemorySample> takeSample() override;

private:
    CgroupSource(CgroupSourceOptions options, CgroupMemorySampler sampler, std::string id);
    CgroupSourceOptions m_options;
    CgroupMemorySampler m_sampler;
};

} // namespace flight::live
