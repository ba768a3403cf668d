// SPDX-License-Identifier: MIT
// `flight-inspector capture` as a user runs it: the real binary in a QProcess,
// no display, against a real WebSocket server in this test (loopback).
#include "live_test_support.h"

#include "inspector_run.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <csignal>

using namespace flight::livetest;

namespace {

class CaptureTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ensureCoreApp();
        ASSERT_TRUE(dir.isValid());
    }

    void startCapture(QProcess& p, const QStringList& args)
    {
        p.setProcessEnvironment(flight::apptest::headlessEnvironment());
        p.start(QStringLiteral(FLIGHT_INSPECTOR_EXE), QStringList{QStringLiteral("capture")} + args);
        ASSERT_TRUE(p.waitForStarted(5000));
    }

    // Waits for the process while running this thread's event loop (the test's
    // server lives on it).
    static bool finish(QProcess& p, int timeoutMs = 4000)
    {
        return waitUntil([&] { return p.state() == QProcess::NotRunning; }, timeoutMs);
    }

    static int lineCount(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        return static_cast<int>(f.readAll().count('\n'));
    }

    QJsonObject report(const QString& file)
    {
        QProcess r;
        r.start(QStringLiteral(FLIGHT_INSPECTOR_EXE),
                {QStringLiteral("report"), file, QStringLiteral("--format"), QStringLiteral("json"),
                 QStringLiteral("--compact")});
        EXPECT_TRUE(r.waitForFinished(20000));
        EXPECT_EQ(r.exitCode(), 0) << r.readAllStandardError().toStdString();
        lastReport = r.readAllStandardOutput();
        return QJsonDocument::fromJson(lastReport).object();
    }

    QString writeTokenFile(const QByteArray& token)
    {
        const QString path = dir.path() + QStringLiteral("/token");
        QFile f(path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(token + "\n");
        return path;
    }

    QTemporaryDir dir;
    QByteArray lastReport;
};

TEST_F(CaptureTest, SigtermLeavesAValidRecordingWithEveryMessageAndNoSecretAnywhere)
{
    const QByteArray token = "capture-tok-7f3a9";
    const Stream stream = makeStream(2, 40);
    TestProducer::Options po;
    po.requiredToken = token;
    TestProducer server(stream, po);
    QUrl url = server.url();
    url.setQuery(QStringLiteral("key=urlsecret-55"));
    const QString out = dir.path() + QStringLiteral("/capture.jsonl");

    QProcess p;
    startCapture(p, {url.toString(), QStringLiteral("-o"), out, QStringLiteral("--token-file"), writeTokenFile(token)});
    // every message on disk (the recorder flushes at least every 250 ms)
    ASSERT_TRUE(waitUntil([&] { return lineCount(out) == static_cast<int>(stream.items.size()) + 1; }, 4000))
        << lineCount(out) << " lines; stderr: " << p.readAllStandardError().toStdString();
    p.terminate(); // SIGTERM
    ASSERT_TRUE(finish(p));
    EXPECT_EQ(p.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(p.exitCode(), 0);
    const QByteArray stdoutText = p.readAllStandardOutput();
    const QByteArray stderrText = p.readAllStandardError();
    const QRegularExpression summary(QStringLiteral(
        "^capture: messages=(\\d+) sessions=(\\d+) reconnects=(\\d+) decode_errors=(\\d+) bytes=(\\d+) file=(.+)\\n$"));
    const auto m = summary.match(QString::fromUtf8(stdoutText));
    ASSERT_TRUE(m.hasMatch()) << stdoutText.toStdString();
    EXPECT_EQ(m.captured(1).toULongLong(), stream.items.size());
    EXPECT_EQ(m.captured(2).toInt(), 2);
    EXPECT_EQ(m.captured(3).toInt(), 0);
    EXPECT_EQ(m.captured(4).toInt(), 0);
    std::uint64_t bytes = 0;
    for (const auto& item : stream.items)
        bytes += item.json.size();
    EXPECT_EQ(m.captured(5).toULongLong(), bytes);
    EXPECT_EQ(m.captured(6), out);
    EXPECT_TRUE(stderrText.contains("stopped by signal")) << stderrText.toStdString();
    ASSERT_EQ(server.authorizationHeaders().size(), 1);
    EXPECT_EQ(server.authorizationHeaders().first(), "Bearer " + token);

    // the file loads, with the source's figures
    const QJsonObject rep = report(out);
    const QJsonArray sessions = rep.value(QStringLiteral("sessions")).toArray();
    ASSERT_EQ(sessions.size(), 2);
    for (const auto& v : sessions) {
        const QJsonObject s = v.toObject();
        const auto& want = stream.expected.at(s.value(QStringLiteral("sessionId")).toString().toStdString());
        EXPECT_EQ(s.value(QStringLiteral("usedBytes")).toInteger(), static_cast<qint64>(want.usedBytes));
        EXPECT_EQ(s.value(QStringLiteral("peakBytes")).toInteger(), static_cast<qint64>(want.peakBytes));
        EXPECT_EQ(s.value(QStringLiteral("totalAllocations")).toInteger(), static_cast<qint64>(want.totalAllocations));
        EXPECT_EQ(s.value(QStringLiteral("activeAllocations")).toInteger(), static_cast<qint64>(want.activeAllocations));
        EXPECT_EQ(s.value(QStringLiteral("markers")).toInteger(), static_cast<qint64>(want.markers));
    }
    EXPECT_EQ(rep.value(QStringLiteral("decodeErrors")).toInteger(), 0);

    // the token and the URL's query secret are nowhere
    QFile f(out);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray recording = f.readAll();
    for (const QByteArray& secret : {token, QByteArray("urlsecret-55")}) {
        EXPECT_FALSE(recording.contains(secret)) << secret.toStdString();
        EXPECT_FALSE(stdoutText.contains(secret)) << secret.toStdString();
        EXPECT_FALSE(stderrText.contains(secret)) << secret.toStdString();
        EXPECT_FALSE(lastReport.contains(secret)) << secret.toStdString();
    }
    EXPECT_TRUE(recording.startsWith("{\"type\":\"recording\""));
    EXPECT_TRUE(recording.contains(("\"source\":\"" + server.url().toString() + "\"").toUtf8()));
}

TEST_F(CaptureTest, SigintStopsItToo)
{
    const Stream stream = makeStream(1, 10);
    TestProducer server(stream);
    const QString out = dir.path() + QStringLiteral("/int.jsonl");
    QProcess p;
    startCapture(p, {server.url().toString(), QStringLiteral("-o"), out});
    ASSERT_TRUE(waitUntil([&] { return lineCount(out) == 11; }));
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    ASSERT_TRUE(finish(p));
    EXPECT_EQ(p.exitCode(), 0);
    EXPECT_TRUE(p.readAllStandardOutput().startsWith("capture: messages=10 sessions=1 "));
    EXPECT_EQ(lineCount(out), 11);
}

TEST_F(CaptureTest, DurationEndsTheCapture)
{
    const Stream stream = makeStream(3, 5);
    TestProducer server(stream);
    const QString out = dir.path() + QStringLiteral("/d.jsonl.zst");
    QProcess p;
    startCapture(p, {server.url().toString(), QStringLiteral("-o"), out, QStringLiteral("--duration"), QStringLiteral("0.6")});
    ASSERT_TRUE(finish(p));
    EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    EXPECT_TRUE(p.readAllStandardOutput().startsWith("capture: messages=15 sessions=3 reconnects=0 decode_errors=0 "));
    QFile f(out);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_TRUE(f.read(4) == QByteArray("\x28\xb5\x2f\xfd", 4)); // zstd magic: .zst compresses
    EXPECT_EQ(report(out).value(QStringLiteral("sessions")).toArray().size(), 3);
}

TEST_F(CaptureTest, UnreachableForTheWholeDurationExitsThreeWithAValidEmptyRecording)
{
    const ClosedPort nobody;
    const QString out = dir.path() + QStringLiteral("/none.jsonl");
    QProcess p;
    startCapture(p, {nobody.wsUrl().toString(), QStringLiteral("-o"), out,
                     QStringLiteral("--duration"), QStringLiteral("0.5")});
    ASSERT_TRUE(finish(p));
    EXPECT_EQ(p.exitCode(), 3);
    EXPECT_TRUE(p.readAllStandardError().contains("never connected"));
    EXPECT_EQ(lineCount(out), 1); // the header
    EXPECT_EQ(report(out).value(QStringLiteral("sessions")).toArray().size(), 0);
}

TEST_F(CaptureTest, RefusedTokenExitsThreeAtOnceNamingTheReason)
{
    TestProducer::Options po;
    po.requiredToken = "the-right-one";
    TestProducer server(makeStream(1, 3), po);
    const QString out = dir.path() + QStringLiteral("/refused.jsonl");
    QProcess p;
    startCapture(p, {server.url().toString(), QStringLiteral("-o"), out, QStringLiteral("--token-file"),
                     writeTokenFile("a-wrong-one")});
    ASSERT_TRUE(finish(p, 3000)); // no --duration: it stops by itself on a final error
    EXPECT_EQ(p.exitCode(), 3);
    const QByteArray err = p.readAllStandardError();
    EXPECT_TRUE(err.contains("401 Unauthorized")) << err.toStdString();
    EXPECT_FALSE(err.contains("a-wrong-one"));
    EXPECT_EQ(server.handshakesRefused(), 1);
}

TEST_F(CaptureTest, BadArgumentsExitTwo)
{
    const QString out = dir.path() + QStringLiteral("/x.jsonl");
    struct Case {
        QStringList args;
        const char* says;
    };
    const Case cases[] = {
        {{QStringLiteral("ws://127.0.0.1:1/")}, "no output file"},
        {{QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("-o"), out}, "not a ws:// or wss:// URL"},
        {{QStringLiteral("ws://127.0.0.1:1/"), QStringLiteral("-o"), out, QStringLiteral("--token-file"),
          dir.path() + QStringLiteral("/missing")}, "does not exist"},
        {{QStringLiteral("ws://127.0.0.1:1/"), QStringLiteral("-o"), out, QStringLiteral("--duration"),
          QStringLiteral("-1")}, "--duration"},
        {{QStringLiteral("ws://127.0.0.1:1/"), QStringLiteral("-o"), out, QStringLiteral("--trust-cert"),
          dir.path() + QStringLiteral("/missing.pem")}, "certificate file"},
        {{QStringLiteral("ws://127.0.0.1:1/"), QStringLiteral("-o"), dir.path() + QStringLiteral("/no/such/dir/x.jsonl")},
         "cannot write"},
    };
    for (const Case& c : cases) {
        QProcess p;
        startCapture(p, c.args);
        ASSERT_TRUE(finish(p));
        EXPECT_EQ(p.exitCode(), 2) << c.says;
        const QByteArray err = p.readAllStandardError();
        EXPECT_TRUE(err.contains(c.says)) << c.says << ": " << err.toStdString();
    }
}

} // namespace
