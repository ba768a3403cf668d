// SPDX-License-Identifier: MIT
#pragma once
// Samples a Linux process's memory from /proc (docs/live-sources.md):
//
//  used  = the sum of Rss + Swap over its mappings in /proc/PID/smaps
//          (= VmRSS + VmSwap), split by mapping:
//    [stack]                                          -> component-stack
//    /dev/shm/*, /memfd:*, /SYSV*, shared anonymous,
//    [vdso] [vvar] [vsyscall]                         -> system-reserved
//    other file-backed mappings (libraries, mmapped
//    assets, the executable)                          -> asset-cache
//    anonymous executable ("JIT")                     -> jit-code-cache
//    [heap] and other private anonymous memory        -> vm-heap
//  When smaps cannot be read (permissions): /proc/PID/status only, RssAnon +
//  VmSwap -> vm-heap, RssFile -> asset-cache, RssShmem -> system-reserved.
//  Cost: the kernel walks every page table to build smaps (about 25 us per MiB
//  of the process), so smaps is re-read only when its own cost stays under
//  0.5 % of one core (at least every kMaxSmapsAgeMs); in between, the last
//  smaps split moves with /proc/PID/status's RssAnon+VmSwap, RssFile and
//  RssShmem deltas (cheap counters), so used stays current at every sample.
//  total = the process's memory cgroup limit (cgroup_memory_sampler.h), "max"
//          or none -> MemTotal.
//  pressure = PSI some avg10 of the cgroup's memory.pressure (v2), else
//          /proc/pressure/memory; omitted when the kernel has neither.
//
// A process that is gone, a zombie or dead is an error from sample().

#include "live/sampling/memory_sample.h"
#include "model/memory_error.h"
#include "model/memory_purpose.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flight::live {

// The purpose of one /proc/PID/smaps mapping, from its permissions ("rw-p")
// and path ("" for anonymous).
StandardPurpose purposeOfMapping(std::string_view perms, std::string_view path);

// Adds Rss + Swap of every mapping in smaps text into `sample.byPurpose`;
// returns the total added.
std::uint64_t accumulateSmaps(std::string_view smapsText, MemorySample& sample);

class ProcessMemorySampler {
public:
    static constexpr std::int64_t kMaxSmapsAgeMs = 5000;

    explicit ProcessMemorySampler(qint64 pid, QString procRoot = QStringLiteral("/proc"),
                                  QString cgroupRoot = QStringLiteral("/sys/fs/cgroup"));

    // Errors: invalid-allocation "process N is gone" (exited, zombie), io-error otherwise.
    Result<MemorySample> sample();

    qint64 pid() const { return m_pid; }
    bool exists() const;
    QString name() const;                // /proc/PID/comm
    bool usedSmaps() const { return m_usedSmaps; }

private:
    qint64 m_pid;
    QString m_procRoot;
    QString m_cgroupRoot;
    bool m_usedSmaps = false;
    // The last full smaps read, and the status counters at that moment.
    std::optional<MemorySample> m_smapsSplit;
    std::uint64_t m_splitAnon = 0, m_splitFile = 0, m_splitShmem = 0;
    std::int64_t m_smapsAtMs = 0;     // monotonic ms of the last read
    std::int64_t m_smapsCostUs = 0;   // how long it took
};

} // namespace flight::live
