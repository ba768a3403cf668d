// SPDX-License-Identifier: MIT
// `capture -o FILE` never destroys what is at FILE before a message arrives
// (docs/reliability.md, "Trust at the edges", client): the recording is
// written to a new file next to FILE and moved onto it with rename(2) at the
// first message. With the producer down, an existing FILE keeps its bytes; a
// symlink at FILE is replaced by the recording, the file it points to is
// never written.
#include "fault_test_support.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace flight;
using namespace flight::faulttest;

namespace {

// `capture URL -o OUT --duration SECONDS`: its exit code, its stderr in `err`.
int runCapture(const QUrl& url, const QString& out, const char* seconds, QByteArray& err)
{
    QProcess p;
    p.setProcessEnvironment(headlessEnvironment());
    p.start(QStringLiteral(FLIGHT_INSPECTOR_EXE), {QStringLiteral("capture"), url.toString(), QStringLiteral("-o"), out,
                                                   QStringLiteral("--duration"), QString::fromLatin1(seconds)});
    EXPECT_TRUE(p.waitForStarted(5000));
    // the event loop runs: a TestProducer on this thread serves meanwhile
    EXPECT_TRUE(livetest::waitUntil([&] { return p.state() == QProcess::NotRunning; }, 10000));
    err = p.readAllStandardError();
    return p.exitCode();
}

QStringList leftovers(const QString& dir)
{
    return QDir(dir).entryList({QStringLiteral(".*partial*")}, QDir::Files | QDir::Hidden);
}

// Each test writes in its own scratch directory.
class CaptureOutput : public ::testing::Test {
protected:
    void SetUp() override
    {
        livetest::ensureCoreApp();
        ASSERT_TRUE(dir.isValid());
    }

    QTemporaryDir dir;
};

} // namespace

TEST_F(CaptureOutput, ProducerDownLeavesAnExistingFileUntouched)
{
    const QString out = dir.filePath(QStringLiteral("yesterday.jsonl"));
    const QByteArray precious = "yesterday's recording, 39 bytes long.\n";
    ASSERT_TRUE(test::writeFile(out.toStdString(), precious.toStdString()));
    const livetest::ClosedPort nobody;
    QByteArray err;
    const int code = runCapture(nobody.wsUrl(), out, "0.5", err);
    EXPECT_EQ(code, 3) << err.toStdString();
    EXPECT_EQ(readAll(out), precious) << "truncated although nothing was received";
    EXPECT_TRUE(err.contains("nothing received")) << err.toStdString();
    EXPECT_TRUE(leftovers(dir.path()).isEmpty()) << leftovers(dir.path()).join(u' ').toStdString();
}

TEST_F(CaptureOutput, SymlinkAtTheTargetIsReplacedNeverWrittenThrough)
{
    const QString victim = dir.filePath(QStringLiteral("victim.txt"));
    const QByteArray victimBytes = "another file the link points to\n";
    ASSERT_TRUE(test::writeFile(victim.toStdString(), victimBytes.toStdString()));
    const QString link = dir.filePath(QStringLiteral("out.jsonl"));
    ASSERT_TRUE(QFile::link(victim, link));

    // producer down: the link and its target stay as they were
    const livetest::ClosedPort nobody;
    QByteArray downErr;
    EXPECT_EQ(runCapture(nobody.wsUrl(), link, "0.5", downErr), 3) << downErr.toStdString();
    EXPECT_TRUE(QFileInfo(link).isSymLink());
    EXPECT_EQ(readAll(victim), victimBytes);

    // producer up: the recording replaces the link itself
    const livetest::Stream stream = livetest::makeStream(1, 10);
    livetest::TestProducer producer(stream);
    QByteArray err;
    EXPECT_EQ(runCapture(producer.url(), link, "1", err), 0) << err.toStdString();
    EXPECT_EQ(readAll(victim), victimBytes) << "written through the symlink";
    EXPECT_FALSE(QFileInfo(link).isSymLink());
    EXPECT_EQ(readAll(link).count('\n'), 11) << "the header and the 10 messages";
    EXPECT_TRUE(leftovers(dir.path()).isEmpty());
}

TEST_F(CaptureOutput, FirstMessageReplacesAnExistingFile)
{
    const QString out = dir.filePath(QStringLiteral("run.jsonl"));
    ASSERT_TRUE(test::writeFile(out.toStdString(), "old\n"));
    const livetest::Stream stream = livetest::makeStream(2, 5);
    livetest::TestProducer producer(stream);
    QByteArray err;
    EXPECT_EQ(runCapture(producer.url(), out, "1", err), 0) << err.toStdString();
    const QByteArray bytes = readAll(out);
    EXPECT_EQ(bytes.count('\n'), 11);
    EXPECT_FALSE(bytes.contains("old\n"));
    EXPECT_TRUE(leftovers(dir.path()).isEmpty());
}
