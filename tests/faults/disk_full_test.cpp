// SPDX-License-Identifier: MIT
// The disk fills while recording. A file size limit (RLIMIT_FSIZE) makes the
// kernel refuse writes past it (EFBIG) exactly as a full disk does (ENOSPC),
// without root or a tmpfs. `capture` says so on stderr at once and stops with
// exit code 2, its file loading up to the limit; in the window's path the live
// session signals recordingFailed once with the reason and goes on receiving.
#include "fault_test_support.h"

#include "live/client/live_session.h"
#include "protocol/session_store.h"

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/resource.h>

using namespace flight;
using namespace flight::faulttest;

namespace {

constexpr rlim_t kLimitBytes = 256 * 1024;

// A demo agent at 20,000 messages a second (its demo source given) and a
// temporary folder for the files that fill the "disk".
class DiskFull : public ::testing::Test {
protected:
    void SetUp() override { livetest::ensureCoreApp(); }
    QUrl startAgent(const char* source)
    {
        const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", source, "--rate", "20000"});
        EXPECT_TRUE(url.isValid()) << agent.error().toStdString();
        return url;
    }

    QTemporaryDir dir;
    AgentChild agent;
};

TEST_F(DiskFull, CaptureSaysWhyOnStderrStopsAndLeavesALoadableFile)
{
    const QUrl url = startAgent("demo:dreamcast");
    ASSERT_TRUE(url.isValid());
    const QString file = dir.filePath(QStringLiteral("full.jsonl"));

    QProcess capture;
    capture.setProcessEnvironment(headlessEnvironment());
    capture.setChildProcessModifier([] {
        // in the child, before exec: the file may not grow past the limit
        struct rlimit limit = {kLimitBytes, kLimitBytes};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    QElapsedTimer clock;
    clock.start();
    capture.start(QStringLiteral(FLIGHT_INSPECTOR_EXE), {"capture", url.toString(), "-o", file, "--duration", "20"});
    ASSERT_TRUE(capture.waitForStarted(5000));
    ASSERT_TRUE(capture.waitForFinished(15000)) << "capture must stop by itself once it cannot write";
    EXPECT_LT(clock.elapsed(), 10000);
    EXPECT_EQ(capture.exitStatus(), QProcess::NormalExit) << "not killed by SIGXFSZ";
    EXPECT_EQ(capture.exitCode(), 2);
    const QString err = QString::fromUtf8(capture.readAllStandardError());
    // "cannot write FILE: File too large" (or "cannot flush", whichever call hit the limit)
    EXPECT_TRUE(err.contains(QStringLiteral("recording stopped: cannot ")) && err.contains(file + QStringLiteral(": File too large")))
        << err.toStdString();
    EXPECT_LE(QFileInfo(file).size(), static_cast<qint64>(kLimitBytes));
    EXPECT_GT(QFileInfo(file).size(), 0);

    // what made it to disk loads; only a line the limit cut in two is lost
    protocol::SessionStore store;
    const auto read = protocol::loadRecording(file.toStdString(), store);
    EXPECT_GT(store.messagesApplied(), 100u);
    EXPECT_EQ(store.seqGaps(), 0u);
    EXPECT_LE(store.decodeErrors(), 1u);
    EXPECT_EQ(store.decodeErrors() == 1u, read.endedMidLine);
    EXPECT_TRUE(agent.running());
}

// Lowers this process's own file size limit for the test's duration.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &m_saved);
        m_oldHandler = std::signal(SIGXFSZ, SIG_IGN); // EFBIG instead of being killed
        struct rlimit limit = {bytes, m_saved.rlim_max};
        m_ok = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_oldHandler);
    }
    bool ok() const { return m_ok; }

private:
    struct rlimit m_saved = {};
    void (*m_oldHandler)(int) = nullptr;
    bool m_ok = false;
};

TEST_F(DiskFull, LiveSessionSignalsTheErrorOnceAndTheLiveViewGoesOn)
{
    const QUrl url = startAgent("demo:psp");
    ASSERT_TRUE(url.isValid());

    FileSizeLimit limit(kLimitBytes);
    ASSERT_TRUE(limit.ok());
    live::LiveSessionOptions options;
    options.connection.url = url;
    options.recordingPath = dir.filePath(QStringLiteral("live.jsonl")).toStdString();
    live::LiveSession session(options);
    QStringList failures;
    std::uint64_t snapshotsAfterFailure = 0;
    std::uint64_t appliedAtFailure = 0;
    QObject::connect(&session, &live::LiveSession::recordingFailed, [&](const QString& message) {
        failures << message;
        appliedAtFailure = session.latest() ? session.latest()->stats.messagesApplied : 0;
    });
    QObject::connect(&session, &live::LiveSession::snapshotReady, [&](const live::LiveSnapshot&) {
        if (!failures.isEmpty())
            ++snapshotsAfterFailure;
    });
    session.start();
    ASSERT_TRUE(livetest::waitUntil([&] { return !failures.isEmpty(); }, 10000));
    // the live view goes on: snapshots keep coming with rising figures
    ASSERT_TRUE(livetest::waitUntil([&] { return snapshotsAfterFailure >= 10; }, 5000));
    const live::LiveSnapshot now = session.snapshotNow();
    EXPECT_EQ(now.stats.state, live::ConnectionState::Connected);
    EXPECT_GT(now.stats.messagesApplied, appliedAtFailure + 1000);
    EXPECT_EQ(now.stats.seqGaps, 0u);
    EXPECT_EQ(QString::fromStdString(now.stats.recordingError), failures.first());
    const live::LiveSnapshot end = session.stop();
    ASSERT_EQ(failures.size(), 1) << "signalled once";
    EXPECT_TRUE(failures.first().endsWith(QString::fromStdString(options.recordingPath) + QStringLiteral(": File too large")))
        << failures.first().toStdString();
    EXPECT_LT(end.stats.recordedMessages, end.stats.messagesApplied);
    EXPECT_LE(QFileInfo(QString::fromStdString(options.recordingPath)).size(), static_cast<qint64>(kLimitBytes));
}

} // namespace
