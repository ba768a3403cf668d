// SPDX-License-Identifier: MIT
// cgroup:PATH on this test's own memory cgroup (v2, or the v1 memory
// controller where the host still uses it) and on a v2 layout in files.

#include "live_server_test_support.h"
#include "scratch_files.h"

#include "live/sampling/cgroup_memory_sampler.h"
#include "live/sources/cgroup_source.h"
#include "live/sampling/proc_file.h"
#include "live/sampling/psi_pressure.h"
#include "live/sources/source_spec.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <unistd.h>

using namespace flight;
using namespace flight::live;
using namespace flight::live::test;
using namespace flight::livetest;

namespace {

// Writes a cgroup file of the fake hierarchy (scratch_files.h does the writing).
bool writeCgroupFile(const QString& path, const char* text)
{
    return flight::test::writeFile(path.toStdString(), text);
}

} // namespace

TEST(CgroupSource, OwnCgroupIsSampledWithItsFigures)
{
    ensureCoreApp();
    const auto dir = CgroupMemorySampler::memoryCgroupOf(::getpid());
    ASSERT_TRUE(dir.has_value()) << "no memory cgroup found for this process in /proc/self/cgroup "
                                    "(neither cgroup v2 with the memory controller nor the v1 memory controller)";
    auto made = makeSources(QStringLiteral("cgroup:") + *dir, SourceSettings{200, 1, false, std::chrono::milliseconds(30)});
    ASSERT_TRUE(made.has_value()) << made.error().message;
    auto* src = dynamic_cast<CgroupSource*>(made->front().get());
    ASSERT_NE(src, nullptr);
    const int version = src->sampler().version();
    const auto status = readProcFile(QStringLiteral("/proc/self/status"));
    ASSERT_TRUE(status.has_value());
    const std::uint64_t ownAnon = procKbField(*status, "RssAnon").value_or(0);
    const std::uint64_t ram = CgroupMemorySampler::systemMemoryBytes();

    std::vector<protocol::MemoryUpdateMsg> updates;
    std::vector<std::vector<protocol::PurposeBytes>> purposes;
    int started = 0;
    src->start([&](const protocol::Message& m) {
        if (m.as<protocol::SessionStartedMsg>())
            ++started;
        if (const auto* u = m.as<protocol::MemoryUpdateMsg>()) {
            updates.push_back(*u);
            purposes.emplace_back(u->byPurpose.begin(), u->byPurpose.end());
        }
    });
    ASSERT_TRUE(waitUntil([&] { return updates.size() >= 3; }, 3000));
    src->stop();
    EXPECT_EQ(started, 1);
    const auto& u = updates.back();
    ASSERT_TRUE(u.usedBytes && u.totalBytes);
    EXPECT_GT(*u.usedBytes, ownAnon) << "the group holds at least this process (cgroup v" << version << ')';
    EXPECT_GT(*u.totalBytes, 0u);
    EXPECT_LE(*u.totalBytes, ram);
    std::uint64_t heap = 0, sum = 0;
    for (const auto& pb : purposes.back()) {
        sum += pb.bytes;
        if (pb.purpose == MemoryPurpose(StandardPurpose::VmHeap))
            heap = pb.bytes;
    }
    EXPECT_GE(heap, ownAnon / 2) << "anonymous memory of the group (cgroup v" << version << ')';
    EXPECT_GE(sum, *u.usedBytes); // system-reserved takes the remainder
    if (version == 2) {
        EXPECT_TRUE(u.pressure.has_value()) << "cgroup v2 has memory.pressure";
    }
}

TEST(CgroupSource, V2FilesMapToPurposesTotalAndPressure)
{
    ensureCoreApp();
    QTemporaryDir root;
    const QString dir = root.filePath(QStringLiteral("app.slice"));
    ASSERT_TRUE(QDir().mkpath(dir));
    ASSERT_TRUE(writeCgroupFile(dir + QStringLiteral("/memory.current"), "104857600\n"));        // 100 MiB
    ASSERT_TRUE(writeCgroupFile(dir + QStringLiteral("/memory.max"), "209715200\n"));            // 200 MiB
    ASSERT_TRUE(writeCgroupFile(dir + QStringLiteral("/memory.stat"),
              "anon 41943040\nfile 31457280\nkernel_stack 1048576\nslab 2097152\nsock 524288\nshmem 10485760\n"));
    ASSERT_TRUE(writeCgroupFile(dir + QStringLiteral("/memory.pressure"),
              "some avg10=12.50 avg60=3.00 avg300=1.00 total=123\nfull avg10=1.00 avg60=0.00 avg300=0.00 total=1\n"));

    auto src = CgroupSource::create({dir, std::chrono::milliseconds(20)});
    ASSERT_TRUE(src.has_value()) << src.error().message;
    EXPECT_EQ((*src)->sampler().version(), 2);
    auto s = (*src)->sampler().sample();
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->usedBytes, 100 * kMiB);
    EXPECT_EQ(s->totalBytes, std::min<std::uint64_t>(200 * kMiB, CgroupMemorySampler::systemMemoryBytes()));
    EXPECT_EQ(s->purpose(StandardPurpose::VmHeap), 40 * kMiB);
    EXPECT_EQ(s->purpose(StandardPurpose::AssetCache), 20 * kMiB);      // file - shmem
    EXPECT_EQ(s->purpose(StandardPurpose::ComponentStack), 1 * kMiB);
    EXPECT_EQ(s->purpose(StandardPurpose::NetworkBuffers), kMiB / 2);
    EXPECT_EQ(s->purpose(StandardPurpose::SystemReserved), 100 * kMiB - 40 * kMiB - 20 * kMiB - kMiB - kMiB / 2);
    ASSERT_TRUE(s->pressure.has_value());
    EXPECT_EQ(*s->pressure, MemoryPressure::High);
    EXPECT_DOUBLE_EQ(*s->psiSomeAvg10, 12.5);

    ASSERT_TRUE(writeCgroupFile(dir + QStringLiteral("/memory.max"), "max\n"));
    EXPECT_EQ((*src)->sampler().sample()->totalBytes, CgroupMemorySampler::systemMemoryBytes());

    // the group going away ends the session
    std::vector<std::string> types;
    (*src)->start([&](const protocol::Message& m) { types.push_back(std::string(protocol::typeName(m.payload))); });
    ASSERT_TRUE(waitUntil([&] { return types.size() >= 2; }, 2000));
    QDir(dir).removeRecursively();
    ASSERT_TRUE(waitUntil([&] { return (*src)->finished(); }, 2000));
    EXPECT_EQ(types.front(), "session_started");
    EXPECT_EQ(types[1], "memory_update");
    EXPECT_EQ(types.back(), "session_ended");
}

TEST(CgroupSource, PsiLevelsAndBadPaths)
{
    EXPECT_EQ(psiSomeAvg10("some avg10=0.42 avg60=0 avg300=0 total=0\n"), 0.42);
    EXPECT_FALSE(psiSomeAvg10("full avg10=3.0").has_value());
    EXPECT_EQ(pressureFromPsi(0.0), MemoryPressure::Low);
    EXPECT_EQ(pressureFromPsi(1.0), MemoryPressure::Medium);
    EXPECT_EQ(pressureFromPsi(10.0), MemoryPressure::High);
    EXPECT_EQ(pressureFromPsi(30.0), MemoryPressure::Critical);
    auto bad = makeSources(QStringLiteral("cgroup:/nonexistent/group"), {});
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("not a memory cgroup"), std::string::npos) << bad.error().message;
}
