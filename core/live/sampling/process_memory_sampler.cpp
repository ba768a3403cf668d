// SPDX-License-Identifier: MIT
#include "live/sampling/process_memory_sampler.h"

#include "live/sampling/cgroup_memory_sampler.h"
#include "live/sampling/proc_file.h"
#include "live/sampling/psi_pressure.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>

#include <charconv>

namespace flight::live {

namespace {

bool isHeaderLine(std::string_view line)
{
    // "7f12a000-7f12b000 rw-p 00000000 00:00 0   [heap]"; field lines are "Rss:   12 kB"
    const auto space = line.find(' ');
    if (space == std::string_view::npos || space == 0)
        return false;
    const std::string_view first = line.substr(0, space);
    return first.back() != ':' && first.find('-') != std::string_view::npos;
}

std::uint64_t kbValue(std::string_view line)
{
    const auto colon = line.find(':');
    std::size_t i = colon + 1;
    while (i < line.size() && line[i] == ' ')
        ++i;
    std::uint64_t v = 0;
    std::from_chars(line.data() + i, line.data() + line.size(), v);
    return v * 1024u;
}

} // namespace

StandardPurpose purposeOfMapping(std::string_view perms, std::string_view path)
{
    const bool shared = perms.size() >= 4 && perms[3] == 's';
    const bool exec = perms.size() >= 3 && perms[2] == 'x';
    if (path == "[stack]" || path.starts_with("[stack:"))
        return StandardPurpose::ComponentStack;
    if (path == "[vdso]" || path == "[vvar]" || path == "[vsyscall]" || path.starts_with("[vvar"))
        return StandardPurpose::SystemReserved;
    if (path.starts_with("/dev/shm/") || path.starts_with("/memfd:") || path.starts_with("/SYSV")
        || path.starts_with("/dev/zero"))
        return StandardPurpose::SystemReserved;
    if (!path.empty() && path.front() == '/')
        return StandardPurpose::AssetCache;
    // anonymous: "", "[heap]", "[anon:name]"
    if (shared)
        return StandardPurpose::SystemReserved;
    if (exec)
        return StandardPurpose::JitCodeCache;
    return StandardPurpose::VmHeap;
}

std::uint64_t accumulateSmaps(std::string_view text, MemorySample& sample)
{
    std::uint64_t total = 0;
    StandardPurpose current = StandardPurpose::VmHeap;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t eol = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        if (line.empty())
            continue;
        if (isHeaderLine(line)) {
            // address perms offset dev inode [path]: path starts after the 5th field
            std::size_t i = 0;
            std::string_view perms;
            for (int field = 0; field < 5; ++field) {
                while (i < line.size() && line[i] == ' ')
                    ++i;
                const std::size_t start = i;
                while (i < line.size() && line[i] != ' ')
                    ++i;
                if (field == 1)
                    perms = line.substr(start, i - start);
            }
            while (i < line.size() && line[i] == ' ')
                ++i;
            current = purposeOfMapping(perms, line.substr(i));
            continue;
        }
        if (line.starts_with("Rss:") || line.starts_with("Swap:")) {
            const std::uint64_t b = kbValue(line);
            sample.purpose(current) += b;
            total += b;
        }
    }
    return total;
}

ProcessMemorySampler::ProcessMemorySampler(qint64 pid, QString procRoot, QString cgroupRoot)
    : m_pid(pid), m_procRoot(std::move(procRoot)), m_cgroupRoot(std::move(cgroupRoot))
{
}

bool ProcessMemorySampler::exists() const
{
    return QFileInfo::exists(m_procRoot + u'/' + QString::number(m_pid) + QStringLiteral("/status"));
}

QString ProcessMemorySampler::name() const
{
    const auto comm = readProcFile(m_procRoot + u'/' + QString::number(m_pid) + QStringLiteral("/comm"));
    return comm ? QString::fromStdString(*comm).trimmed() : QString();
}

Result<MemorySample> ProcessMemorySampler::sample()
{
    const QString base = m_procRoot + u'/' + QString::number(m_pid);
    const auto status = readProcFile(base + QStringLiteral("/status"));
    const std::string pidText = std::to_string(m_pid);
    if (!status)
        return makeError(MemoryErrorCode::InvalidAllocation, "process " + pidText + " is gone");
    if (status->find("\nState:\tZ") != std::string::npos || status->find("\nState:\tX") != std::string::npos
        || !procKbField(*status, "VmRSS"))
        return makeError(MemoryErrorCode::InvalidAllocation, "process " + pidText + " has exited");

    MemorySample s;
    m_usedSmaps = false;
    const std::uint64_t anonNow = procKbField(*status, "RssAnon").value_or(0) + procKbField(*status, "VmSwap").value_or(0);
    const std::uint64_t fileNow = procKbField(*status, "RssFile").value_or(0);
    const std::uint64_t shmemNow = procKbField(*status, "RssShmem").value_or(0);
    static const QElapsedTimer clock = [] { QElapsedTimer t; t.start(); return t; }();
    const std::int64_t nowMs = clock.elapsed();
    // Re-read smaps when it has cost at most 0.5 % of a core since the last read.
    const bool smapsDue = !m_smapsSplit || nowMs - m_smapsAtMs >= kMaxSmapsAgeMs
                          || (nowMs - m_smapsAtMs) * 1000 >= m_smapsCostUs * 200;
    std::optional<std::string> smaps;
    if (smapsDue) {
        QElapsedTimer cost;
        cost.start();
        smaps = readProcFile(base + QStringLiteral("/smaps"));
        m_smapsCostUs = cost.nsecsElapsed() / 1000;
    }
    if (smaps && !smaps->empty()) {
        s.usedBytes = accumulateSmaps(*smaps, s);
        m_usedSmaps = true;
        m_smapsSplit = s;
        m_splitAnon = anonNow;
        m_splitFile = fileNow;
        m_splitShmem = shmemNow;
        m_smapsAtMs = nowMs;
    } else if (!smapsDue && m_smapsSplit) {
        // The last split, moved by what the cheap counters say changed since.
        s = *m_smapsSplit;
        auto move = [](std::uint64_t& bytes, std::uint64_t now, std::uint64_t then) {
            const auto v = static_cast<std::int64_t>(bytes) + static_cast<std::int64_t>(now) - static_cast<std::int64_t>(then);
            bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(0, v));
        };
        move(s.purpose(StandardPurpose::VmHeap), anonNow, m_splitAnon);
        move(s.purpose(StandardPurpose::AssetCache), fileNow, m_splitFile);
        move(s.purpose(StandardPurpose::SystemReserved), shmemNow, m_splitShmem);
        s.usedBytes = 0;
        for (std::uint64_t b : s.byPurpose)
            s.usedBytes += b;
        m_usedSmaps = true;
    } else {
        const std::uint64_t anon = procKbField(*status, "RssAnon").value_or(0);
        const std::uint64_t file = procKbField(*status, "RssFile").value_or(0);
        const std::uint64_t shmem = procKbField(*status, "RssShmem").value_or(0);
        const std::uint64_t swap = procKbField(*status, "VmSwap").value_or(0);
        s.purpose(StandardPurpose::VmHeap) = anon + swap;
        s.purpose(StandardPurpose::AssetCache) = file;
        s.purpose(StandardPurpose::SystemReserved) = shmem;
        s.usedBytes = anon + file + shmem + swap;
    }

    const std::uint64_t ram = CgroupMemorySampler::systemMemoryBytes(m_procRoot);
    std::optional<std::uint64_t> limit;
    std::optional<double> psi;
    if (const auto dir = CgroupMemorySampler::memoryCgroupOf(m_pid, m_procRoot, m_cgroupRoot)) {
        const int version = QFileInfo::exists(*dir + QStringLiteral("/memory.current")) ? 2 : 1;
        limit = CgroupMemorySampler::limitOf(*dir, version);
        if (version == 2)
            psi = readPsiSomeAvg10(*dir + QStringLiteral("/memory.pressure"));
    }
    if (!psi)
        psi = readPsiSomeAvg10(m_procRoot + QStringLiteral("/pressure/memory"));
    s.totalBytes = limit ? (ram ? std::min(*limit, ram) : *limit) : ram;
    if (psi) {
        s.psiSomeAvg10 = psi;
        s.pressure = pressureFromPsi(*psi);
    }
    return s;
}

} // namespace flight::live
