// SPDX-License-Identifier: MIT
// process:PID on a real child process (live_memory_hog), and the smaps mapping.

#include "live_server_test_support.h"

#include "live/sampling/process_memory_sampler.h"
#include "live/sources/process_source.h"
#include "live/sources/source_spec.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <unistd.h>

using namespace flight;
using namespace flight::live;
using namespace flight::live::test;
using namespace flight::livetest;

TEST(ProcessSource, UsedRisesBy64MiBWhenTheChildTouchesItThenTheSessionEnds)
{
    ensureCoreApp();
    QProcess hog;
    hog.start(QStringLiteral(FLIGHT_MEMORY_HOG_PATH), {});
    ASSERT_TRUE(hog.waitForStarted(3000)) << hog.errorString().toStdString();
    const qint64 pid = hog.processId();

    auto made = makeSources(QStringLiteral("process:%1").arg(pid), SourceSettings{200, 1, false, std::chrono::milliseconds(40)});
    ASSERT_TRUE(made.has_value()) << made.error().message;
    AgentSource& src = *made->front();
    EXPECT_EQ(src.describe(), QStringLiteral("process:%1").arg(pid));

    std::vector<std::string> types;
    std::vector<std::uint64_t> used, heap, total;
    std::string label, platform;
    src.start([&](const protocol::Message& m) {
        types.push_back(std::string(protocol::typeName(m.payload)));
        if (const auto* s = m.as<protocol::SessionStartedMsg>()) {
            label = s->label;
            platform = s->platform;
            EXPECT_EQ(s->sessionId, "process-" + std::to_string(pid));
        }
        if (const auto* u = m.as<protocol::MemoryUpdateMsg>()) {
            used.push_back(u->usedBytes.value_or(0));
            total.push_back(u->totalBytes.value_or(0));
            std::uint64_t h = 0, sum = 0;
            for (const auto& pb : u->byPurpose) {
                sum += pb.bytes;
                if (pb.purpose == MemoryPurpose(StandardPurpose::VmHeap))
                    h = pb.bytes;
            }
            heap.push_back(h);
            EXPECT_EQ(sum, *u->usedBytes); // byPurpose splits used exactly
        }
    });
    ASSERT_TRUE(waitUntil([&] { return used.size() >= 2; }, 3000));
    const std::uint64_t usedBefore = used.back();
    const std::uint64_t heapBefore = heap.back();
    EXPECT_LT(usedBefore, 40 * kMiB);
    hog.write("go\n");
    ASSERT_TRUE(hog.waitForReadyRead(3000));
    EXPECT_TRUE(hog.readAll().startsWith("touched"));
    ASSERT_TRUE(waitUntil([&] { return used.back() >= usedBefore + 60 * kMiB; }, 3000))
        << "before " << usedBefore << " now " << used.back();
    EXPECT_GE(heap.back(), heapBefore + 60 * kMiB);
    EXPECT_GT(total.back(), used.back());
    EXPECT_EQ(platform, "custom");
    EXPECT_NE(label.find(std::to_string(pid)), std::string::npos);
    EXPECT_EQ(types.front(), "session_started");

    hog.kill();
    ASSERT_TRUE(waitUntil([&] { return src.finished(); }, 3000));
    EXPECT_EQ(types.back(), "session_ended");
    EXPECT_TRUE(hog.state() == QProcess::NotRunning || hog.waitForFinished(1000));
}

TEST(ProcessSource, NoSuchProcessIsAClearError)
{
    auto r = ProcessSource::create({.pid = 999'999'999});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("no process 999999999"), std::string::npos) << r.error().message;
}

TEST(ProcessSource, SmapsMappingsGoToTheirPurposes)
{
    EXPECT_EQ(purposeOfMapping("rw-p", "[heap]"), StandardPurpose::VmHeap);
    EXPECT_EQ(purposeOfMapping("rw-p", ""), StandardPurpose::VmHeap);
    EXPECT_EQ(purposeOfMapping("rwxp", ""), StandardPurpose::JitCodeCache);
    EXPECT_EQ(purposeOfMapping("rw-p", "[stack]"), StandardPurpose::ComponentStack);
    EXPECT_EQ(purposeOfMapping("r-xp", "/usr/lib/libc.so.6"), StandardPurpose::AssetCache);
    EXPECT_EQ(purposeOfMapping("rw-s", "/dev/shm/pool"), StandardPurpose::SystemReserved);
    EXPECT_EQ(purposeOfMapping("rw-s", "/memfd:wayland (deleted)"), StandardPurpose::SystemReserved);
    EXPECT_EQ(purposeOfMapping("rw-s", ""), StandardPurpose::SystemReserved);
    EXPECT_EQ(purposeOfMapping("r-xp", "[vdso]"), StandardPurpose::SystemReserved);

    const std::string smaps =
        "55d0c0000000-55d0c0021000 rw-p 00000000 00:00 0                          [heap]\n"
        "Size:                132 kB\nRss:                  100 kB\nSwap:                 20 kB\n"
        "VmFlags: rd wr mr mw me ac\n"
        "7f0000000000-7f0000100000 r-xp 00000000 08:01 1234                       /usr/lib/x.so\n"
        "Rss:                  300 kB\nSwap:                  0 kB\n"
        "7f0000200000-7f0000300000 rwxp 00000000 00:00 0 \n"
        "Rss:                   40 kB\n"
        "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]\n"
        "Rss:                   12 kB\n";
    MemorySample s;
    EXPECT_EQ(accumulateSmaps(smaps, s), 472u * 1024);
    EXPECT_EQ(s.purpose(StandardPurpose::VmHeap), 120u * 1024);
    EXPECT_EQ(s.purpose(StandardPurpose::AssetCache), 300u * 1024);
    EXPECT_EQ(s.purpose(StandardPurpose::JitCodeCache), 40u * 1024);
    EXPECT_EQ(s.purpose(StandardPurpose::ComponentStack), 12u * 1024);
}

TEST(ProcessSource, OwnProcessSampleMatchesProcStatus)
{
    ProcessMemorySampler self(::getpid());
    auto s = self.sample();
    ASSERT_TRUE(s.has_value()) << s.error().message;
    ASSERT_TRUE(self.usedSmaps()) << "/proc/self/smaps could not be read";
    EXPECT_GT(s->usedBytes, 1 * kMiB);
    EXPECT_GT(s->purpose(StandardPurpose::AssetCache), 0u); // the test binary and its libraries
    EXPECT_GT(s->purpose(StandardPurpose::VmHeap), 0u);
    EXPECT_GT(s->purpose(StandardPurpose::ComponentStack), 0u);
    EXPECT_GE(s->totalBytes, s->usedBytes);
}

TEST(ProcessSource, BetweenSmapsReadsTheSplitFollowsStatusCounters)
{
    // A /proc tree of real files: the second sample comes at once, long before
    // re-reading smaps is due, so the split moves by the status deltas alone.
    QTemporaryDir root;
    const QString dir = root.path() + QStringLiteral("/4242");
    ASSERT_TRUE(QDir().mkpath(dir));
    auto write = [&](const QString& name, const QByteArray& text) {
        QFile f(dir + u'/' + name);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    };
    auto status = [](int anonKb, int fileKb) {
        return QStringLiteral("Name:\thog\nState:\tS (sleeping)\nVmRSS:\t%1 kB\nRssAnon:\t%2 kB\nRssFile:\t%3 kB\nRssShmem:\t0 kB\nVmSwap:\t0 kB\n")
            .arg(anonKb + fileKb).arg(anonKb).arg(fileKb).toUtf8();
    };
    QByteArray smaps;
    for (int i = 0; i < 2000; ++i) // a process with many mappings: reading smaps costs something
        smaps += "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \nRss:                   1 kB\nSwap:                  0 kB\n";
    smaps += "00400000-00500000 r-xp 00000000 08:01 42 /usr/bin/hog\nRss:                 100 kB\nSwap:                  0 kB\n";
    write(QStringLiteral("status"), status(2000, 100));
    write(QStringLiteral("smaps"), smaps);
    write(QStringLiteral("comm"), "hog\n");
    flight::live::ProcessMemorySampler sampler(4242, root.path(), root.path() + QStringLiteral("/cgroup"));
    auto first = sampler.sample();
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_EQ(first->purpose(flight::StandardPurpose::VmHeap), 2000u * 1024);
    EXPECT_EQ(first->purpose(flight::StandardPurpose::AssetCache), 100u * 1024);
    // The process grows its heap by 64 MiB; smaps on disk is not re-read yet.
    write(QStringLiteral("status"), status(2000 + 65536, 100));
    auto second = sampler.sample();
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->purpose(flight::StandardPurpose::VmHeap), (2000u + 65536u) * 1024);
    EXPECT_EQ(second->purpose(flight::StandardPurpose::AssetCache), 100u * 1024);
    EXPECT_EQ(second->usedBytes, (2000u + 65536u + 100u) * 1024);
}
