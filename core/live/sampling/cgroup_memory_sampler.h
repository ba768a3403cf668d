// SPDX-License-Identifier: MIT
#pragma once
// Samples a memory cgroup: cgroup v2 (memory.current, memory.max, memory.stat,
// memory.pressure) or, on hosts still using the v1 memory controller,
// memory.usage_in_bytes / memory.limit_in_bytes / memory.stat. See
// docs/live-sources.md for the mapping to purposes:
//
// v2: used = memory.current
//   vm-heap          = anon
//   asset-cache      = file - shmem        (page cache of files)
//   component-stack  = kernel_stack
//   network-buffers  = sock
//   system-reserved  = current - the four above (shmem, slab, page tables,
//                      percpu and other kernel memory), floored at 0
//   pressure         = PSI `some avg10` of memory.pressure (psi_pressure.h)
// v1: used = memory.usage_in_bytes
//   vm-heap = total_rss; asset-cache = total_cache - total_shmem;
//   network-buffers = memory.kmem.tcp.usage_in_bytes; component-stack = 0;
//   system-reserved = usage - the others (shmem + kernel), floored at 0;
//   no pressure (v1 has no PSI file).
// total = the group's limit (the smallest memory.max / hierarchical limit up
// the tree), capped at MemTotal; "max" / unlimited = MemTotal.

#include "live/sampling/memory_sample.h"
#include "model/memory_error.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace flight::live {

class CgroupMemorySampler {
public:
    // `directory`: a v2 group (has memory.current) or a v1 memory-controller group
    // (has memory.usage_in_bytes). A relative path is taken under /sys/fs/cgroup
    // (v2), else /sys/fs/cgroup/memory (v1). Errors: io-error naming the path.
    static Result<CgroupMemorySampler> open(const QString& directory, const QString& procRoot = QStringLiteral("/proc"));

    // Errors: the group is gone / unreadable.
    Result<MemorySample> sample() const;

    int version() const { return m_version; }
    const QString& directory() const { return m_dir; }

    // The memory cgroup directory of a process, from /proc/PID/cgroup: the v2
    // path when the v2 hierarchy at cgroupRoot has the memory controller, else
    // the v1 memory controller's. nullopt when neither is found.
    static std::optional<QString> memoryCgroupOf(qint64 pid, const QString& procRoot = QStringLiteral("/proc"),
                                                 const QString& cgroupRoot = QStringLiteral("/sys/fs/cgroup"));
    // The byte limit on a group (see above), nullopt when unlimited.
    static std::optional<std::uint64_t> limitOf(const QString& directory, int version);
    // MemTotal from /proc/meminfo (0 if unreadable).
    static std::uint64_t systemMemoryBytes(const QString& procRoot = QStringLiteral("/proc"));

private:
    CgroupMemorySampler() = default;
    QString m_dir;
    QString m_procRoot;
    int m_version = 2;
};

} // namespace flight::live
