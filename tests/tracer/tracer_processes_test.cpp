// SPDX-License-Identifier: MIT
// The preload tracer on programs that are hard to trace: 16 threads freeing
// each other's blocks, fork and exec, SIGKILL, and python3. Each is run by
// the real `flight-agent run` and read back from its recording.

#include "tracer_test_support.h"

#include "reports/report_data.h"
#include "scratch_files.h"

#include <algorithm>

using namespace flight;
using namespace flight::tracertest;

namespace {

// Runs PROGRAM under the tracer with -o and loads the recording into `store`;
// returns the agent's exit code.
int traceToRecording(const QStringList& program, const std::string& recording, protocol::SessionStore& store,
                     std::string* agentStderr = nullptr)
{
    TracedRun run;
    run.start({"-o", QString::fromStdString(recording)}, program);
    const int code = run.finished();
    if (agentStderr)
        *agentStderr = run.stderrText;
    const auto read = protocol::loadRecording(recording, store);
    EXPECT_FALSE(read.ioError.has_value()) << recording;
    EXPECT_EQ(store.decodeErrors(), 0u);
    EXPECT_EQ(store.sessionErrors(), 0u) << "e.g. malloc(0): no 0-byte allocation message";
    return code;
}

// An interpreter run under the tracer to its end (exit 0, `printed` in its
// output): its session, the one with the largest peak (python3 may be a
// wrapper script, pyenv's shim, that execs the real one); null when none.
const SessionModel* interpreterSession(const QStringList& program, const std::string& recording,
                                       protocol::SessionStore& store, std::string_view printed)
{
    std::string err;
    EXPECT_EQ(traceToRecording(program, recording, store, &err), 0) << err;
    EXPECT_NE(err.find(printed), std::string::npos) << err;
    const SessionModel* largest = nullptr;
    for (const SessionModel* s : sessionsOf(store))
        if (!largest || s->peakBytes() > largest->peakBytes())
            largest = s;
    return largest;
}

std::vector<std::string> markersOf(const SessionModel& s)
{
    std::vector<std::string> labels;
    for (const auto& m : s.markers())
        labels.push_back(m.label);
    return labels;
}

} // namespace

TEST(Tracer, SixteenThreadsFreeingEachOthersBlocksAddUpExactly)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-threads");
    protocol::SessionStore store;
    std::string err;
    EXPECT_EQ(traceToRecording({QStringLiteral(FLIGHT_THREADS_PROGRAM)}, (dir / "t.fmr").string(), store, &err), 0)
        << err;
    EXPECT_NE(err.find("freed 50000 handoff blocks"), std::string::npos) << err;
    const SessionModel* s = onlySessionOf(store, "trace-");
    ASSERT_NE(s, nullptr);
    const PurposeUsage u = s->usage();
    EXPECT_EQ(u[purpose("worker")], 1'360'000) << "16 threads x 100 blocks of (t + 1) x 100 bytes";
    EXPECT_EQ(u[purpose("handoff")], 0) << "every block another thread freed is matched";
    EXPECT_GE(s->peakBytes(), 1'360'000u + 50'000u * 64u) << "the handed-off blocks were all live at once";
    // Thread stacks (glibc maps them itself): 16 of the default size while the threads run, none after.
    const auto stackAt = err.find("thread stack ");
    ASSERT_NE(stackAt, std::string::npos) << err;
    const std::uint64_t stack = std::stoull(err.substr(stackAt + 13));
    EXPECT_GE(stack, 64u * 1024);
    ASSERT_EQ(s->markers().size(), 1u);
    EXPECT_EQ(s->markers().front().label, "16 threads running");
    // The 16 were all running at once (a barrier), never more.
    const RangeSummary all = s->rangeSummary(s->firstMs(), s->lastMs());
    EXPECT_EQ(all.peakByPurpose[MemoryPurpose(StandardPurpose::ComponentStack)], static_cast<std::int64_t>(16 * stack));
    const std::int64_t at = s->markers().front().timeMs;
    EXPECT_EQ(s->usageAt(at)[MemoryPurpose(StandardPurpose::ComponentStack)], static_cast<std::int64_t>(16 * stack))
        << "16 stacks while the main thread marks";
    EXPECT_EQ(u[MemoryPurpose(StandardPurpose::ComponentStack)], 0) << "every thread has ended";
}

TEST(Tracer, AForkedChildIsASessionOfItsOwnAndAnExecStartsAnother)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-fork");
    protocol::SessionStore store;
    std::string err;
    EXPECT_EQ(traceToRecording({QStringLiteral(FLIGHT_FORK_PROGRAM)}, (dir / "f.fmr").string(), store, &err), 17)
        << "the program's own exit code: " << err;
    ASSERT_EQ(store.sessionCount(), 3u) << "parent, child until its exec, the exec'd shell";
    const SessionModel& parent = store.session(0);
    EXPECT_EQ(parent.usage()[purpose("parent-data")], 100'000);
    EXPECT_EQ(parent.usage()[purpose("child-data")], 0);
    EXPECT_NE(parent.info().label.find("fork_program"), std::string::npos) << parent.info().label;
    const SessionModel& child = store.session(1);
    EXPECT_EQ(child.usage()[purpose("child-data")], 50'000);
    EXPECT_EQ(child.usage()[purpose("child-late")], 25'000) << "buffered when it called exec: sent before it";
    EXPECT_EQ(child.usage()[purpose("parent-data")], 0) << "what the parent had is not the child's";
    EXPECT_EQ(markersOf(child), std::vector<std::string>{"child before exec"});
    EXPECT_TRUE(child.endedAt().has_value()) << "the exec ends the child's session";
    const SessionModel& shell = store.session(2);
    EXPECT_TRUE(shell.info().sessionId.starts_with(child.info().sessionId + "-")) << shell.info().sessionId;
    EXPECT_NE(shell.info().label.find("sh"), std::string::npos) << shell.info().label;
    for (const SessionModel* s : sessionsOf(store))
        EXPECT_TRUE(s->endedAt().has_value()) << s->info().sessionId;
}

TEST(Tracer, AProgramKilledBySigkillLeavesARecordingThatLoads)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-killed");
    protocol::SessionStore store;
    EXPECT_EQ(traceToRecording({QStringLiteral(FLIGHT_KILLED_PROGRAM)}, (dir / "k.fmr").string(), store),
              128 + SIGKILL);
    const SessionModel* s = onlySessionOf(store, "trace-");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->usage()[purpose("doomed")], 300'000);
    EXPECT_EQ(markersOf(*s), std::vector<std::string>{"about to be killed"});
    EXPECT_TRUE(s->endedAt().has_value()) << "the agent ends the session of a process gone";
}

TEST(Tracer, Python3RunsUnderTheTracer)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-python");
    protocol::SessionStore store;
    const SessionModel* python = interpreterSession(
        {QStringLiteral("python3"), QStringLiteral("-c"),
         QStringLiteral("import json; d = [dict(a=i, b=str(i)) for i in range(100000)]; "
                        "print('python', len(json.dumps(d)))")},
        (dir / "p.fmr").string(), store, "python 2777780");
    ASSERT_NE(python, nullptr);
    const SessionModel& s = *python;
    // 100,000 dicts and their strings in pymalloc's arenas (anonymous
    // mappings, 256 KiB each) and the JSON text (2,777,780 characters, from
    // malloc) were live at once: about 40 MB (36.9 MB anonymous memory in
    // /proc/self/smaps_rollup once the text is gone).
    EXPECT_GT(s.peakBytes(), 25'000'000u);
    EXPECT_LT(s.peakBytes(), 80'000'000u);
    EXPECT_GT(s.usage()[purpose("unclassified")], 0) << "untagged, no rules";
}

TEST(Tracer, AnonymousMappingsCountByKindAndTag)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-mmap");
    protocol::SessionStore store;
    std::string err;
    EXPECT_EQ(traceToRecording({QStringLiteral(FLIGHT_MMAP_PROGRAM)}, (dir / "m.fmr").string(), store, &err), 0) << err;
    const SessionModel* s = onlySessionOf(store, "trace-");
    ASSERT_NE(s, nullptr);
    const PurposeUsage u = s->usage();
    EXPECT_EQ(u[purpose("arena")], 1'048'576);
    EXPECT_EQ(u[MemoryPurpose(StandardPurpose::JitCodeCache)], 65'536 + 131'072)
        << "an executable mapping, and reserved space made executable";
    EXPECT_EQ(u[purpose("reserved")], 196'608) << "of 4 MiB reserved (PROT_NONE), what mprotect made accessible";
    EXPECT_EQ(u[MemoryPurpose(StandardPurpose::ComponentStack)], 131'072) << "a MAP_STACK mapping";
    // Untagged: the holed mapping's 768 KiB that stay, and whatever libc and
    // the C++ runtime keep in malloc; the grown and unmapped one is gone; the
    // file mapping made writable is not counted.
    EXPECT_GE(u[purpose("unclassified")], 786'432);
    EXPECT_LT(u[purpose("unclassified")], 786'432 + 512 * 1024);
}

TEST(Tracer, RulesClassifyUntaggedAllocationsByTheirStack)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-rules");
    ASSERT_TRUE(test::writeFile(dir / "game.rules", "function=AssetCache::*  -> asset-cache\n"
                                                    "module=libz.so*         -> compression\n"
                                                    "size=..64               -> temporary\n"));
    protocol::SessionStore store;
    TracedRun run;
    const std::string recording = (dir / "r.fmr").string();
    run.start({"--rules", QString::fromStdString((dir / "game.rules").string()), "-o", QString::fromStdString(recording)},
              {QStringLiteral(FLIGHT_RULES_PROGRAM)});
    EXPECT_EQ(run.finished(), 0) << run.stderrText;
    protocol::loadRecording(recording, store);
    const SessionModel* s = onlySessionOf(store, "trace-");
    ASSERT_NE(s, nullptr);
    const PurposeUsage u = s->usage();
    EXPECT_EQ(u[MemoryPurpose(StandardPurpose::AssetCache)], 1'100'000) << "malloc and new[] in AssetCache::load";
    EXPECT_GT(u[purpose("compression")], 200 * 1024) << "deflateInit2's state, allocated inside libz";
    EXPECT_GE(u[MemoryPurpose(StandardPurpose::Temporary)], 4'800) << "the 48-byte blocks (and other small ones)";
}

// A traced recording's report (and the window's Report tab) says how much of
// the bytes allocated a tag or rule classified, as an import's does.
TEST(Tracer, ATracedRecordingsReportShowsRuleCoverage)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-coverage");
    ASSERT_TRUE(test::writeFile(dir / "all.rules", "function=AssetCache::*  -> asset-cache\n"
                                                   "size=0..                -> temporary\n"));
    auto coverage = [&](const QStringList& options, const std::string& name) -> std::optional<double> {
        const std::string recording = (dir / name).string();
        TracedRun run;
        run.start(options + QStringList{"-o", QString::fromStdString(recording)}, {QStringLiteral(FLIGHT_RULES_PROGRAM)});
        EXPECT_EQ(run.finished(), 0) << run.stderrText;
        protocol::SessionStore store;
        protocol::loadRecording(recording, store);
        const protocol::SummarySource source{recording, &store};
        const reports::ReportData data = reports::collectReport(std::span(&source, 1), reports::ReportOptions{});
        EXPECT_EQ(data.sessions.size(), 1u);
        return data.sessions.empty() ? std::nullopt : data.sessions.front().ruleCoveragePercent;
    };
    const auto everything = coverage({"--rules", QString::fromStdString((dir / "all.rules").string())}, "all.fmr");
    ASSERT_TRUE(everything.has_value());
    EXPECT_DOUBLE_EQ(*everything, 100.0) << "the last rule matches every size";
    const auto none = coverage({}, "none.fmr");
    ASSERT_TRUE(none.has_value());
    EXPECT_LT(*none, 1.0) << "no rules, no tags: all but nothing is unclassified";
}

TEST(Tracer, NodeRunsUnderTheTracer)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-node");
    protocol::SessionStore store;
    const SessionModel* node = interpreterSession(
        {QStringLiteral(FLIGHT_NODE_PATH), QStringLiteral("-e"),
         QStringLiteral("const b = []; for (let i = 0; i < 10; i++) b.push(Buffer.alloc(1 << 20)); "
                        "console.log('node', b.length)")},
        (dir / "n.fmr").string(), store, "node 10");
    ASSERT_NE(node, nullptr);
    const SessionModel& s = *node;
    // Ten 1 MiB buffers (node's array buffer allocator: calloc) were live at once.
    EXPECT_GT(s.peakBytes(), 10u * 1024 * 1024);
}

TEST(Tracer, ASignalHandlerThatAllocatesDoesNotUpsetTheCounts)
{
    livetest::ensureCoreApp();
    test::ScratchDir dir("tracer-signal");
    protocol::SessionStore store;
    std::string err;
    EXPECT_EQ(traceToRecording({QStringLiteral(FLIGHT_SIGNAL_PROGRAM)}, (dir / "s.fmr").string(), store, &err), 0)
        << err;
    const SessionModel* s = onlySessionOf(store, "trace-");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->usage()[purpose("survivors")], 500'000);
    EXPECT_EQ(s->usage()[purpose("mapped")], 0) << "every mapping was unmapped";
    // What the handler allocated was all freed: only what libc keeps stays.
    EXPECT_LT(s->usage()[purpose("unclassified")], 100'000);
}
