// SPDX-License-Identifier: MIT
#include "live/sources/cgroup_source.h"

#include <QFileInfo>

namespace flight::live {

CgroupSource::CgroupSource(CgroupSourceOptions options, CgroupMemorySampler sampler, std::string id)
    : SamplingSource(std::move(id), sampler.directory().toStdString(), options.interval),
      m_options(std::move(options)), m_sampler(std::move(sampler))
{
}

Result<std::unique_ptr<CgroupSource>> CgroupSource::create(CgroupSourceOptions options)
{
    auto sampler = CgroupMemorySampler::open(options.path);
    if (!sampler)
        return std::unexpected(sampler.error());
    QString leaf = QFileInfo(sampler->directory()).fileName();
    if (leaf.isEmpty() || leaf == QLatin1String("cgroup") || leaf == QLatin1String("memory"))
        leaf = QStringLiteral("root");
    std::string id = "cgroup-" + leaf.toStdString();
    return std::unique_ptr<CgroupSource>(new CgroupSource(std::move(options), std::move(*sampler), std::move(id)));
}

QString CgroupSource::describe() const
{
    return QStringLiteral("cgroup:") + m_sampler.directory();
}

Result<MemorySample> CgroupSource::takeSample()
{
    return m_sampler.sample();
}

} // namespace flight::live
