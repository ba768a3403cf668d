// SPDX-License-Identifier: MIT
#include "live/sampling/cgroup_memory_sampler.h"

#include "live/sampling/proc_file.h"
#include "live/sampling/psi_pressure.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace flight::live {

namespace {

constexpr std::uint64_t kUnlimited = std::uint64_t{1} << 62; // v1 reports ~2^63 for "no limit"

std::uint64_t sub(std::uint64_t a, std::uint64_t b)
{
    return a > b ? a - b : 0;
}

} // namespace

Result<CgroupMemorySampler> CgroupMemorySampler::open(const QString& directory, const QString& procRoot)
{
    QStringList candidates;
    if (QDir::isAbsolutePath(directory))
        candidates << directory;
    else
        candidates << QStringLiteral("/sys/fs/cgroup/") + directory << QStringLiteral("/sys/fs/cgroup/memory/") + directory;
    for (const QString& c : candidates) {
        const QString dir = QDir::cleanPath(c);
        CgroupMemorySampler s;
        s.m_dir = dir;
        s.m_procRoot = procRoot;
        if (QFileInfo::exists(dir + QStringLiteral("/memory.current"))) {
            s.m_version = 2;
            return s;
        }
        if (QFileInfo::exists(dir + QStringLiteral("/memory.usage_in_bytes"))) {
            s.m_version = 1;
            return s;
        }
    }
    return makeError(MemoryErrorCode::IoError,
                     "not a memory cgroup: " + directory.toStdString()
                         + " (no memory.current (v2) nor memory.usage_in_bytes (v1 memory controller))");
}

std::uint64_t CgroupMemorySampler::systemMemoryBytes(const QString& procRoot)
{
    const auto text = readProcFile(procRoot + QStringLiteral("/meminfo"));
    return text ? procKbField(*text, "MemTotal").value_or(0) : 0;
}

std::optional<std::uint64_t> CgroupMemorySampler::limitOf(const QString& directory, int version)
{
    std::optional<std::uint64_t> limit;
    if (version == 1) {
        if (const auto stat = readProcFile(directory + QStringLiteral("/memory.stat")))
            limit = flatKeyValue(*stat, "hierarchical_memory_limit");
        if (!limit)
            limit = readNumberFile(directory + QStringLiteral("/memory.limit_in_bytes"));
    } else {
        // the smallest memory.max from the group up to the root (the root has none)
        QString dir = directory;
        for (int depth = 0; depth < 64; ++depth) {
            if (!QFileInfo::exists(dir + QStringLiteral("/memory.max")))
                break;
            if (const auto v = readNumberFile(dir + QStringLiteral("/memory.max")))
                limit = limit ? std::min(*limit, *v) : *v;
            const QString parent = QFileInfo(dir).path();
            if (parent == dir)
                break;
            dir = parent;
        }
    }
    if (limit && *limit >= kUnlimited)
        return std::nullopt;
    return limit;
}

std::optional<QString> CgroupMemorySampler::memoryCgroupOf(qint64 pid, const QString& procRoot, const QString& cgroupRoot)
{
    const auto text = readProcFile(procRoot + u'/' + QString::number(pid) + QStringLiteral("/cgroup"));
    if (!text)
        return std::nullopt;
    const QStringList lines = QString::fromStdString(*text).split(u'\n', Qt::SkipEmptyParts);
    // v2 with the memory controller enabled at the root of the unified hierarchy
    const auto controllers = readProcFile(cgroupRoot + QStringLiteral("/cgroup.controllers"));
    if (controllers && QString::fromStdString(*controllers).split(u' ').contains(QStringLiteral("memory"))) {
        for (const QString& line : lines) {
            if (line.startsWith(QStringLiteral("0::"))) {
                const QString dir = QDir::cleanPath(cgroupRoot + line.mid(3));
                if (QFileInfo::exists(dir + QStringLiteral("/memory.current")))
                    return dir;
                return cgroupRoot; // a cgroup namespace: our group is the mount's root
            }
        }
    }
    // v1 memory controller
    for (const QString& line : lines) {
        const QStringList parts = line.split(u':');
        if (parts.size() < 3 || !parts[1].split(u',').contains(QStringLiteral("memory")))
            continue;
        const QString root = cgroupRoot + QStringLiteral("/memory");
        const QString path = parts.mid(2).join(u':');
        const QString dir = QDir::cleanPath(root + path);
        if (QFileInfo::exists(dir + QStringLiteral("/memory.usage_in_bytes")))
            return dir;
        if (QFileInfo::exists(root + QStringLiteral("/memory.usage_in_bytes")))
            return root;
    }
    return std::nullopt;
}

Result<MemorySample> CgroupMemorySampler::sample() const
{
    MemorySample s;
    const std::uint64_t ram = systemMemoryBytes(m_procRoot);
    const auto stat = readProcFile(m_dir + QStringLiteral("/memory.stat"));
    if (m_version == 2) {
        const auto current = readNumberFile(m_dir + QStringLiteral("/memory.current"));
        if (!current || !stat)
            return makeError(MemoryErrorCode::IoError, "cgroup gone or unreadable: " + m_dir.toStdString());
        s.usedBytes = *current;
        const std::uint64_t anon = flatKeyValue(*stat, "anon").value_or(0);
        const std::uint64_t file = flatKeyValue(*stat, "file").value_or(0);
        const std::uint64_t shmem = flatKeyValue(*stat, "shmem").value_or(0);
        s.purpose(StandardPurpose::VmHeap) = anon;
        s.purpose(StandardPurpose::AssetCache) = sub(file, shmem);
        s.purpose(StandardPurpose::ComponentStack) = flatKeyValue(*stat, "kernel_stack").value_or(0);
        s.purpose(StandardPurpose::NetworkBuffers) = flatKeyValue(*stat, "sock").value_or(0);
        if (const auto psi = readPsiSomeAvg10(m_dir + QStringLiteral("/memory.pressure"))) {
            s.psiSomeAvg10 = psi;
            s.pressure = pressureFromPsi(*psi);
        }
    } else {
        const auto usage = readNumberFile(m_dir + QStringLiteral("/memory.usage_in_bytes"));
        if (!usage || !stat)
            return makeError(MemoryErrorCode::IoError, "cgroup gone or unreadable: " + m_dir.toStdString());
        s.usedBytes = *usage;
        const auto pick = [&](std::string_view total, std::string_view local) {
            return flatKeyValue(*stat, total).value_or(flatKeyValue(*stat, local).value_or(0));
        };
        s.purpose(StandardPurpose::VmHeap) = pick("total_rss", "rss");
        s.purpose(StandardPurpose::AssetCache) = sub(pick("total_cache", "cache"), pick("total_shmem", "shmem"));
        s.purpose(StandardPurpose::NetworkBuffers) =
            readNumberFile(m_dir + QStringLiteral("/memory.kmem.tcp.usage_in_bytes")).value_or(0);
    }
    const std::uint64_t named = s.purpose(StandardPurpose::VmHeap) + s.purpose(StandardPurpose::AssetCache)
        + s.purpose(StandardPurpose::ComponentStack) + s.purpose(StandardPurpose::NetworkBuffers);
    s.purpose(StandardPurpose::SystemReserved) = sub(s.usedBytes, named);
    const auto limit = limitOf(m_dir, m_version);
    s.totalBytes = limit ? (ram ? std::min(*limit, ram) : *limit) : ram;
    return s;
}

} // namespace flight::live
