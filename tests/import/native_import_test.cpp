// SPDX-License-Identifier: MIT
// Importing heaptrack and massif files (core/import/native_recording.h) that
// the real tools record here, from a program with known allocations
// (native_alloc_program.cpp), and from heaptrack_churn (compared with what
// heaptrack_print itself reports); malformed and cut files name the line.
#include "import/import_line_source.h"
#include "import/native_recording.h"

#include "scratch_files.h"

#include <QProcess>
#include <QRegularExpression>

#include <gtest/gtest.h>

#include <zlib.h>

#include <cstdio>
#include <map>

using namespace flight;
using namespace flight::import;

namespace {

// Runs a program to its end (5 min at most); its exit code, and its output in *out.
int run(const QString& program, const QStringList& args, const std::filesystem::path& dir, QString* out = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(QString::fromStdString(dir.string()));
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForStarted(30'000))
        return -1;
    p.waitForFinished(300'000);
    const QString text = QString::fromLocal8Bit(p.readAll());
    if (out)
        *out = text;
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
}

// The one file in `dir` whose name starts with `prefix`.
std::filesystem::path findFile(const std::filesystem::path& dir, std::string_view prefix)
{
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().starts_with(prefix))
            return e.path();
    return {};
}

// `program` run under the real heaptrack, its trace written in `dir` as
// NAME.* (heaptrack adds the pid and the compression's suffix): that file,
// or an empty path (and a failure saying heaptrack's output) when none came.
std::filesystem::path heaptrackTrace(const QString& program, const test::ScratchDir& dir, std::string_view name)
{
    QString output;
    const int code = run(QStringLiteral("heaptrack"),
                         {QStringLiteral("-o"), QString::fromStdString((dir / name).string()), program}, dir.path(),
                         &output);
    EXPECT_EQ(code, 0) << output.toStdString();
    const auto file = code == 0 ? findFile(dir.path(), name) : std::filesystem::path();
    EXPECT_FALSE(file.empty()) << output.toStdString();
    return file;
}

constexpr std::string_view kRules = "# the test program's functions\n"
                                    "function=AssetCache::* -> asset-cache\n"
                                    "function=NetworkBuffer* -> network-buffers\n"
                                    "function=scratch* size=..64 -> temporary\n";

PurposeRules testRules()
{
    auto rules = PurposeRules::parse(kRules);
    EXPECT_TRUE(rules.has_value());
    return rules ? std::move(*rules) : PurposeRules{};
}

// `file` imported with `rules` (the test program's by default) into `store`:
// read whole, as one session of `kind`, without a decode or session error.
::testing::AssertionResult importsCleanly(const std::string& file, protocol::RecordingKind kind,
                                          protocol::SessionStore& store, ImportSummary& summary,
                                          const PurposeRules& rules = testRules())
{
    const auto read = loadAnyRecording(file, store, rules, {}, &summary);
    if (read.ioError)
        return ::testing::AssertionFailure() << read.ioError->message;
    if (summary.kind != kind || store.decodeErrors() != 0 || store.sessionErrors() != 0 || store.sessionCount() != 1)
        return ::testing::AssertionFailure() << "kind " << static_cast<int>(summary.kind) << ", "
                                             << store.decodeErrors() << " decode errors, " << store.sessionErrors()
                                             << " session errors, " << store.sessionCount() << " sessions";
    return ::testing::AssertionSuccess();
}

struct ByPurpose {
    std::uint64_t count = 0;
    std::uint64_t bytes = 0;
};

std::map<std::string, ByPurpose> allocationsByPurpose(const SessionModel& m)
{
    std::map<std::string, ByPurpose> r;
    for (std::size_t i = 0; i < m.allocationCount(); ++i) {
        const MemoryAllocation a = m.allocation(i);
        auto& e = r[std::string(a.purpose.name())];
        ++e.count;
        e.bytes += a.size.bytes;
    }
    return r;
}

// heaptrack_print's sizes: 1000-based, two decimals ("77.00K", "21.50M").
std::string heaptrackSize(std::uint64_t bytes)
{
    const char* units[] = {"B", "K", "M", "G"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1000.0 && u < 3) {
        v /= 1000.0;
        ++u;
    }
    char buf[32];
    if (u == 0)
        std::snprintf(buf, sizeof buf, "%lluB", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(buf, sizeof buf, "%.2f%s", v, units[u]);
    return buf;
}

// A program run under the real heaptrack, its trace imported as
// importsCleanly does: the trace's folder and path, the store and summary.
struct HeaptrackImport {
    explicit HeaptrackImport(const std::string& name) : dir("import-" + name) {}
    test::ScratchDir dir;
    std::filesystem::path file;
    protocol::SessionStore store;
    ImportSummary summary;
};

::testing::AssertionResult traceAndImport(HeaptrackImport& r, const QString& program, std::string_view name,
                                          const PurposeRules& rules)
{
    r.file = heaptrackTrace(program, r.dir, name);
    if (r.file.empty())
        return ::testing::AssertionFailure() << "no heaptrack trace";
    return importsCleanly(r.file.string(), protocol::RecordingKind::Heaptrack, r.store, r.summary, rules);
}

// heaptrack's own analysis of the trace (heaptrack_print) counts the same
// allocations and the same peak as the import.
void expectHeaptrackPrintAgrees(const HeaptrackImport& r)
{
    QString printed;
    ASSERT_EQ(run(QStringLiteral("heaptrack_print"), {QString::fromStdString(r.file.string())}, r.dir.path(), &printed),
              0);
    const auto calls = QRegularExpression(QStringLiteral("calls to allocation functions: (\\d+) ")).match(printed);
    ASSERT_TRUE(calls.hasMatch()) << printed.toStdString();
    EXPECT_EQ(r.summary.allocations, calls.captured(1).toULongLong());
    EXPECT_TRUE(printed.contains(QStringLiteral("peak heap memory consumption: %1\n")
                                     .arg(QString::fromStdString(heaptrackSize(r.summary.peakBytes)))))
        << heaptrackSize(r.summary.peakBytes) << "\n" << printed.toStdString();
}

} // namespace

TEST(NativeImport, DetectsTheKindFromTheFirstLine)
{
    using protocol::RecordingKind;
    EXPECT_EQ(protocol::recordingKindOf("v 10400 3"), RecordingKind::Heaptrack);
    EXPECT_EQ(protocol::recordingKindOf("v 10200"), RecordingKind::Heaptrack);
    EXPECT_EQ(protocol::recordingKindOf("desc: --time-unit=ms"), RecordingKind::Massif);
    EXPECT_EQ(protocol::recordingKindOf("{\"type\":\"recording\"}"), RecordingKind::Flight);
    EXPECT_EQ(protocol::recordingKindOf("v x"), RecordingKind::Flight);
    EXPECT_EQ(protocol::recordingKindOf("v 1 2 3"), RecordingKind::Flight);
}

TEST(NativeImport, HeaptrackOfAKnownProgramGivesExactFiguresByPurpose)
{
    HeaptrackImport r("heaptrack");
    ASSERT_TRUE(traceAndImport(r, QStringLiteral(FLIGHT_NATIVE_ALLOC_PROGRAM), "trace", testRules()));
    const auto& [dir, file, store, summary] = r;
    const SessionModel& m = store.session(0);
    const auto by = allocationsByPurpose(m);
    ASSERT_TRUE(by.contains("asset-cache"));
    EXPECT_EQ(by.at("asset-cache").count, 10u);
    EXPECT_EQ(by.at("asset-cache").bytes, 1'000'000u);
    EXPECT_EQ(by.at("network-buffers").count, 5u);
    EXPECT_EQ(by.at("network-buffers").bytes, 100'000u);
    EXPECT_EQ(by.at("temporary").count, 100u);
    EXPECT_EQ(by.at("temporary").bytes, 6'400u);
    // Everything else the process allocated (the C++ runtime's own, before
    // main) is unclassified, and the coverage says how much that was.
    std::uint64_t other = 0, otherCount = 0;
    for (const auto& [name, f] : by)
        if (name != "asset-cache" && name != "network-buffers" && name != "temporary") {
            EXPECT_EQ(name, "unclassified");
            other += f.bytes;
            otherCount += f.count;
        }
    EXPECT_EQ(summary.allocations, 115u + otherCount);
    EXPECT_EQ(summary.coveredBytes, 1'106'400u + other);
    EXPECT_EQ(summary.classifiedBytes, 1'106'400u);
    EXPECT_EQ(m.usage()[MemoryPurpose(StandardPurpose::AssetCache)], 0); // all freed at the end
    // The same count and peak as heaptrack's own analysis of the file.
    expectHeaptrackPrintAgrees(r);
    EXPECT_GE(summary.peakBytes, 1'100'064u);

    // The same trace plain and gzip-compressed (what heaptrack writes when
    // built without zstd): the same figures.
    std::string text;
    readImportLines(file.string(), [&](std::string_view line, std::uint64_t, bool) {
        text.append(line);
        text.push_back('\n');
    });
    ASSERT_TRUE(test::writeFile(dir / "plain.heaptrack", text));
    gzFile gz = gzopen((dir / "trace.gz").string().c_str(), "wb");
    ASSERT_NE(gz, nullptr);
    ASSERT_EQ(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
    ASSERT_EQ(gzclose(gz), Z_OK);
    for (const char* name : {"trace.gz", "plain.heaptrack"}) {
        protocol::SessionStore other;
        ImportSummary again;
        loadAnyRecording((dir / name).string(), other, testRules(), {}, &again);
        EXPECT_EQ(other.decodeErrors(), 0u) << name;
        EXPECT_EQ(again.allocations, summary.allocations) << name;
        EXPECT_EQ(again.peakBytes, summary.peakBytes) << name;
        EXPECT_EQ(again.classifiedBytes, 1'106'400u) << name;
    }
}

TEST(NativeImport, MassifOfAKnownProgramGivesExactFiguresAtThePeak)
{
    test::ScratchDir dir("import-massif");
    const QString out = QString::fromStdString((dir / "massif.out.test").string());
    QString output;
    ASSERT_EQ(run(QStringLiteral("valgrind"),
                  {QStringLiteral("--tool=massif"), QStringLiteral("--massif-out-file=") + out,
                   QStringLiteral("--detailed-freq=1"), QStringLiteral("--threshold=0"),
                   QStringLiteral("--peak-inaccuracy=0"), QStringLiteral(FLIGHT_NATIVE_ALLOC_PROGRAM)},
                  dir.path(), &output),
              0)
        << output.toStdString();
    protocol::SessionStore store;
    ImportSummary summary;
    ASSERT_TRUE(importsCleanly(out.toStdString(), protocol::RecordingKind::Massif, store, summary));
    const SessionModel& m = store.session(0);
    // At the peak every asset and buffer is live, plus at most one scratch block.
    std::uint64_t peak = 0;
    PurposeUsage atPeak;
    m.forEachUsageChange(m.firstMs() - 1, m.lastMs(), [&](std::int64_t, std::uint64_t used, const PurposeUsage& u) {
        if (used > peak) {
            peak = used;
            atPeak = u;
        }
    });
    EXPECT_EQ(peak, summary.peakBytes);
    EXPECT_EQ(atPeak[MemoryPurpose(StandardPurpose::AssetCache)], 1'000'000);
    EXPECT_EQ(atPeak[MemoryPurpose(StandardPurpose::NetworkBuffers)], 100'000);
    EXPECT_LE(atPeak[MemoryPurpose(StandardPurpose::Temporary)], 64);
    EXPECT_EQ(static_cast<std::uint64_t>(atPeak[unclassifiedPurpose()]) + 1'100'000u
                  + static_cast<std::uint64_t>(atPeak[MemoryPurpose(StandardPurpose::Temporary)]),
              peak);
    EXPECT_GT(summary.snapshots, 3u);
}

TEST(NativeImport, HeaptrackChurnMatchesHeaptrackPrint)
{
    HeaptrackImport r("churn");
    ASSERT_TRUE(traceAndImport(r, QStringLiteral(FLIGHT_CHURN_PROGRAM), "churn", PurposeRules{}));
    expectHeaptrackPrintAgrees(r);
    EXPECT_GE(r.summary.allocations, 1'000'000u); // the program's own, and the runtime's few
    EXPECT_EQ(r.store.session(0).allocationCount(), r.summary.allocations);
    EXPECT_EQ(r.store.session(0).peakBytes(), r.summary.peakBytes);
}

TEST(NativeImport, MalformedAndCutHeaptrackFilesNameTheLine)
{
    test::ScratchDir dir("import-bad");
    ASSERT_TRUE(test::writeFile(dir / "bad.heaptrack", "v 10400 3\nX ./game\ns 4 main\ni 1000 0 1\nt 1 0\n"
                                                       "a 64 1\n+ 0\n+ 7\na 10 9\n- 0\nc 2a\n"));
    protocol::SessionStore store;
    ImportSummary summary;
    loadAnyRecording((dir / "bad.heaptrack").string(), store, PurposeRules{}, {}, &summary);
    EXPECT_EQ(store.decodeErrors(), 2u);
    ASSERT_GE(store.problems().size(), 2u);
    EXPECT_EQ(store.problems()[0].message, "line 8: '+' names allocation info 7 but only 1 are defined");
    EXPECT_EQ(store.problems()[1].message,
              "line 9: 'a' names trace 9 but only 1 are defined: \"a 10 9\"");
    EXPECT_EQ(summary.allocations, 1u);
    EXPECT_EQ(summary.frees, 1u);
    EXPECT_EQ(store.session(0).lastMs() - store.session(0).firstMs(), 42);

    // Cut inside a line (the tracer killed): what came before is kept, the line is named.
    ASSERT_TRUE(test::writeFile(dir / "cut.heaptrack", "v 10400 3\ns 4 main\ni 1000 0 1\nt 1 0\na 40 1\n+ 0\n+ 0\n- "));
    protocol::SessionStore cut;
    loadAnyRecording((dir / "cut.heaptrack").string(), cut, PurposeRules{}, {}, &summary);
    EXPECT_EQ(summary.allocations, 2u);
    EXPECT_EQ(cut.decodeErrors(), 1u);
    bool named = false;
    for (const auto& p : cut.problems())
        named |= p.message == "line 8: the file was cut inside this line: not read";
    EXPECT_TRUE(named);

    // massif: a snapshot with a bad number.
    ASSERT_TRUE(test::writeFile(dir / "massif.out.1", "desc: (none)\ncmd: ./game\ntime_unit: ms\n#-----------\n"
                                                      "snapshot=0\n#-----------\ntime=0\nmem_heap_B=100\n"
                                                      "mem_heap_extra_B=8\nmem_stacks_B=0\nheap_tree=empty\n"
                                                      "#-----------\nsnapshot=1\n#-----------\ntime=5\n"
                                                      "mem_heap_B=lots\n"));
    protocol::SessionStore massif;
    loadAnyRecording((dir / "massif.out.1").string(), massif, PurposeRules{}, {}, &summary);
    ASSERT_GE(massif.problems().size(), 1u);
    EXPECT_EQ(massif.problems()[0].message, "line 16: mem_heap_B= needs a byte count: \"mem_heap_B=lots\"");
    EXPECT_EQ(summary.snapshots, 1u);
}
