// SPDX-License-Identifier: MIT
// The tracer's totals checked against the kernel: a python3 and a node
// one-liner build up their heap, write their pid and wait for a file; the
// test reads /proc/PID/smaps_rollup then, lets them exit, and compares the
// traced total at that moment (usageAt: every event up to it; thread stacks
// apart) with the anonymous memory the kernel counts.

#include "tracer_test_support.h"

#include "live/sampling/proc_file.h"
#include "scratch_files.h"

#include <QDateTime>

#include <algorithm>
#include <cstdio>
#include <filesystem>

using namespace flight;
using namespace flight::tracertest;

namespace {

struct KernelFigures {
    std::uint64_t anonymous = 0; // smaps_rollup's Anonymous: private pages written (heap, arenas, stacks)
    std::uint64_t traced = 0;    // every purpose's bytes at the same moment but thread stacks
    std::uint64_t stacks = 0;    // component-stack: the threads' stacks
    std::int64_t atMs = 0;
};

// Runs PROGRAM (its last two arguments: the pid file it writes, the file it
// waits for) under the tracer, reads the kernel's figure while it waits, and
// the traced total at that moment from the recording.
KernelFigures pausedFigures(QStringList program, std::string_view name)
{
    KernelFigures f;
    test::ScratchDir dir(std::string("tracer-kernel-") + std::string(name));
    const std::string recording = (dir / "k.fmr").string();
    const std::filesystem::path ready = dir / "pid", go = dir / "go";
    program << QString::fromStdString(ready.string()) << QString::fromStdString(go.string());
    TracedRun run;
    run.start({"-o", QString::fromStdString(recording)}, program);
    EXPECT_TRUE(livetest::waitUntil([&] { return !test::readFile(ready).empty(); }, 30000)) << name << " wrote no pid";
    const std::string pid = test::readFile(ready);
    const auto rollup = live::readProcFile(QStringLiteral("/proc/%1/smaps_rollup").arg(QString::fromStdString(pid)));
    f.atMs = QDateTime::currentMSecsSinceEpoch();
    EXPECT_TRUE(rollup.has_value()) << "pid " << pid;
    f.anonymous = rollup ? live::procKbField(*rollup, "Anonymous").value_or(0) : 0;
    EXPECT_TRUE(test::writeFile(go, "go"));
    EXPECT_EQ(run.finished(), 0) << run.stderrText;

    protocol::SessionStore store;
    const auto read = protocol::loadRecording(recording, store);
    EXPECT_FALSE(read.ioError.has_value());
    EXPECT_EQ(store.decodeErrors(), 0u);
    // The process's last session: python3 may be a wrapper script that execs
    // the interpreter (pyenv's shim), a session of the same pid ("trace-PID-2").
    const SessionModel* s = nullptr;
    for (const SessionModel* m : sessionsOf(store))
        if (m->info().sessionId == "trace-" + pid || m->info().sessionId.starts_with("trace-" + pid + "-"))
            s = m;
    EXPECT_NE(s, nullptr) << "no session for pid " << pid;
    // Thread stacks count at their reserved size (8 MiB each, as a console
    // would commit them); the kernel counts only the pages a stack touched:
    // they are left out of the heap compared.
    if (s) {
        const PurposeUsage u = s->usageAt(f.atMs);
        f.stacks = static_cast<std::uint64_t>(u[MemoryPurpose(StandardPurpose::ComponentStack)]);
        f.traced = static_cast<std::uint64_t>(u.total()) - f.stacks;
    }
    std::fprintf(stderr, "%s: traced %llu bytes (and %llu of thread stacks), smaps_rollup Anonymous %llu bytes (%.1f %%)\n",
                 std::string(name).c_str(), static_cast<unsigned long long>(f.traced), static_cast<unsigned long long>(f.stacks),
                 static_cast<unsigned long long>(f.anonymous), 100.0 * double(f.traced) / double(std::max<std::uint64_t>(f.anonymous, 1)));
    return f;
}

} // namespace

TEST(TracerKernelTotals, Python3HeapIsWithinTenPercentOfSmapsRollup)
{
    livetest::ensureCoreApp();
    const auto f = pausedFigures({QStringLiteral("python3"), QStringLiteral("-c"),
                                  QStringLiteral("import os, sys, time, json\n"
                                                 "d = [dict(a=i, b=str(i)) for i in range(100000)]\n"
                                                 "t = json.dumps(d)\n"
                                                 "open(sys.argv[1] + '.tmp', 'w').write(str(os.getpid()))\n"
                                                 "os.rename(sys.argv[1] + '.tmp', sys.argv[1])\n"
                                                 "while not os.path.exists(sys.argv[2]): time.sleep(0.01)\n"
                                                 "print('python', len(t))\n")},
                                 "python3");
    EXPECT_GT(f.anonymous, 30'000'000u) << "100,000 dicts and a 2.8 MB string";
    EXPECT_GE(f.traced, f.anonymous * 9 / 10);
    EXPECT_LE(f.traced, f.anonymous * 11 / 10);
}

TEST(TracerKernelTotals, NodeHeapIsWithinTenPercentOfSmapsRollup)
{
    livetest::ensureCoreApp();
    // Buffers filled (written), so that their pages are the process's.
    const auto f = pausedFigures({QStringLiteral(FLIGHT_NODE_PATH), QStringLiteral("-e"),
                                  QStringLiteral("const fs = require('fs');\n"
                                                 "const b = []; for (let i = 0; i < 32; i++) b.push(Buffer.alloc(1 << 20, i + 1));\n"
                                                 "const [ready, go] = process.argv.slice(1);\n"
                                                 "fs.writeFileSync(ready + '.tmp', String(process.pid));\n"
                                                 "fs.renameSync(ready + '.tmp', ready);\n"
                                                 "const t = setInterval(() => { if (fs.existsSync(go)) { clearInterval(t); "
                                                 "console.log('node', b.length); } }, 10);\n")},
                                 "node");
    EXPECT_GT(f.anonymous, 32u << 20) << "32 written 1 MiB buffers";
    EXPECT_GE(f.stacks, 4u * 8 * 1024 * 1024) << "node's V8 platform threads: 8 MiB stacks";
    EXPECT_GE(f.traced, f.anonymous * 9 / 10);
    EXPECT_LE(f.traced, f.anonymous * 11 / 10);
}
