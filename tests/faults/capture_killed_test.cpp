// SPDX-License-Identifier: MIT
// The inspector killed with SIGKILL while recording: `flight-inspector capture`
// records a real `flight-agent serve` demo, is killed with no chance to clean
// up, and the file it leaves loads up to its last flush, with every session's
// seq unbroken up to there. A zstd recording's unfinished frame is reported as
// the cut; a plain one ends on a flushed line (or, if the kernel had part of
// a line, that line is reported as cut).
#include "fault_test_support.h"

#include "protocol/recording_reader.h"
#include "protocol/session_store.h"

#include <gtest/gtest.h>

#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <set>

using namespace flight;
using namespace flight::faulttest;

namespace {

struct Loaded {
    std::uint64_t applied = 0;
    std::uint64_t decodeErrors = 0;
    std::uint64_t gaps = 0;
    std::uint64_t duplicates = 0;
    std::size_t sessions = 0;
    protocol::RecordingReadResult read;
    std::vector<std::string> problems;
};

Loaded load(const QString& path)
{
    protocol::SessionStore store;
    Loaded l;
    l.read = protocol::loadRecording(path.toStdString(), store);
    l.applied = store.messagesApplied();
    l.decodeErrors = store.decodeErrors();
    l.gaps = store.seqGaps();
    l.duplicates = store.duplicatesDropped();
    l.sessions = store.sessionCount();
    for (const auto& p : store.problems())
        l.problems.push_back(p.message);
    return l;
}

// The demo's session ids (`demo-<platform>-<run>`) named anywhere in `bytes`.
std::size_t distinctSessionIds(const QByteArray& bytes)
{
    static const QRegularExpression id(QStringLiteral("\"sessionId\":\"(demo-[a-z0-9-]+)\""));
    std::set<QString> ids;
    for (auto it = id.globalMatch(QString::fromUtf8(bytes)); it.hasNext();)
        ids.insert(it.next().captured(1));
    return ids.size();
}

// The rate stays within what a capture under ASan keeps up with: a client that
// falls behind loses messages by design (counted as seq gaps, see
// docs/live-sources.md), and this test is about the kill, not about load.
// Records the agent's demo into `file`, waits for at least three flushes'
// worth, notes what a reader sees then, kills the capture with SIGKILL and
// returns what was readable just before the kill.
Loaded captureAndKill(const QString& file)
{
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "demo:dreamcast", "--source", "demo:psp",
                                  "--rate", "4000"});
    EXPECT_TRUE(url.isValid()) << agent.error().toStdString();
    QProcess capture;
    capture.setProcessEnvironment(headlessEnvironment());
    capture.start(QStringLiteral(FLIGHT_INSPECTOR_EXE), {"capture", url.toString(), "-o", file});
    EXPECT_TRUE(capture.waitForStarted(5000));
    // The recorder flushes every 250 ms: wait until a reader sees well over
    // 500 messages (bytes alone say little: the demo's lines vary in length).
    qint64 sizeLoaded = 0;
    Loaded before;
    EXPECT_TRUE(livetest::waitUntil(
        [&] {
            sizeLoaded = QFileInfo(file).size();
            before = load(file);
            return before.applied > 600;
        },
        15000))
        << before.applied << " messages in " << sizeLoaded << " bytes; " << capture.readAllStandardError().toStdString();
    // More is written after what was loaded, so the kill lands mid-stream.
    EXPECT_TRUE(livetest::waitUntil([&] { return QFileInfo(file).size() > sizeLoaded; }, 10000));
    ::kill(static_cast<pid_t>(capture.processId()), SIGKILL);
    EXPECT_TRUE(capture.waitForFinished(5000));
    EXPECT_EQ(capture.exitStatus(), QProcess::CrashExit);
    EXPECT_TRUE(agent.running()) << "the agent must not care";
    return before;
}

// Each test records into its own file in a fresh directory, kills the capture
// (captureAndKill) and loads the file again; killWhileRecording checks what
// holds in every format.
class CaptureKilled : public ::testing::Test {
protected:
    void killWhileRecording(const char* name)
    {
        livetest::ensureCoreApp();
        file = dir.filePath(QString::fromLatin1(name));
        before = captureAndKill(file);
        ASSERT_GT(before.applied, 500u);
        after = load(file);
        // everything flushed before the kill, and more
        EXPECT_GE(after.applied, before.applied);
        // both sources; a demo run that ends starts the next session, so a slow
        // machine may have recorded more than one run of each
        EXPECT_GE(before.sessions, 2u);
    }

    QTemporaryDir dir;
    QString file;
    Loaded before; // what a reader saw just before the kill
    Loaded after;  // the file as the kill left it
};

TEST_F(CaptureKilled, ZstdRecordingLoadsUpToTheLastFlushAndReportsTheCut)
{
    ASSERT_NO_FATAL_FAILURE(killWhileRecording("killed.jsonl.zst"));
    EXPECT_GE(after.sessions, before.sessions);
    EXPECT_EQ(after.decodeErrors, 0u);
    EXPECT_EQ(after.gaps, 0u) << "every session's seq runs unbroken up to the cut";
    EXPECT_EQ(after.duplicates, 0u);
    // the unfinished zstd frame is the cut, and the reader says so
    ASSERT_FALSE(after.read.problems.empty());
    EXPECT_EQ(after.read.problems.back().kind, protocol::ReadProblemKind::CompressedCut);
    bool noted = false;
    for (const auto& p : after.problems)
        noted = noted || p.find("file cut") != std::string::npos;
    EXPECT_TRUE(noted) << "the store lists the cut among its problems";

    // and the inspector's own report of the file says it too, and succeeds
    QProcess report;
    report.start(QStringLiteral(FLIGHT_INSPECTOR_EXE), {"report", file, "--format", "json", "--compact"});
    ASSERT_TRUE(report.waitForFinished(20000));
    EXPECT_EQ(report.exitCode(), 0);
    const QByteArray err = report.readAllStandardError();
    // The kill lands mid-frame (ends mid-frame) or between two flushes (each
    // ends a frame: then the closing end mark is missing); the cut is said either way.
    EXPECT_TRUE(err.contains(": compressed recording ends mid-frame (file cut); everything before is loaded")
                || err.contains(": compressed recording ends after a flush but without the mark a closed recording "
                                "ends with (file cut: its writer stopped); everything before is loaded"))
        << err.toStdString();
}

TEST_F(CaptureKilled, PlainRecordingLoadsEveryFlushedLine)
{
    ASSERT_NO_FATAL_FAILURE(killWhileRecording("killed.jsonl"));
    EXPECT_EQ(after.sessions, distinctSessionIds(readAll(file)));
    EXPECT_EQ(after.gaps, 0u);
    EXPECT_EQ(after.duplicates, 0u);
    const QByteArray bytes = readAll(file);
    // whole lines on disk, less the header and the agent's hello (no seq, not applied)
    ASSERT_EQ(bytes.count("\"type\":\"hello\""), 1);
    const auto lines = static_cast<std::uint64_t>(bytes.count('\n')) - 2;
    if (bytes.endsWith('\n')) {
        // killed between two flushes: the file is whole lines, all of them load
        EXPECT_EQ(after.decodeErrors, 0u);
        EXPECT_EQ(after.applied, lines);
    } else {
        // the kernel held part of a line: that one line is the reported cut
        EXPECT_TRUE(after.read.endedMidLine);
        EXPECT_EQ(after.applied, lines);
        ASSERT_EQ(after.decodeErrors, 1u);
        EXPECT_NE(after.problems.back().find("(cut)"), std::string::npos) << after.problems.back();
    }
}

TEST_F(CaptureKilled, Format2RecordingLoadsEveryWholeBlockAndReportsTheCut)
{
    ASSERT_NO_FATAL_FAILURE(killWhileRecording("killed.fmr")); // format 2, capture's default
    ASSERT_TRUE(readAll(file).startsWith(QByteArray("FMR2\r\n\x1a\n", 8)));
    EXPECT_GE(after.sessions, before.sessions);
    EXPECT_EQ(after.decodeErrors, 0u) << "a cut loses the unfinished block only";
    EXPECT_EQ(after.gaps, 0u) << "every session's seq runs unbroken up to the cut";
    EXPECT_EQ(after.duplicates, 0u);
    ASSERT_EQ(after.read.problems.size(), 1u);
    EXPECT_EQ(after.read.problems.back().kind, protocol::ReadProblemKind::CompressedCut);
    EXPECT_NE(after.read.problems.back().message.find("file cut"), std::string::npos)
        << after.read.problems.back().message;
}

} // namespace
