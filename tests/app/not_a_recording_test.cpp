// SPDX-License-Identifier: MIT
// A file with no Flight content (the README opened by mistake) is refused as a
// whole by every subcommand that reads recordings: exit 2 and one sentence
// naming the file, not a report of N "not JSON" lines and no session. A
// recording with some bad lines still reports (exit 0).
#include "inspector_run.h"
#include "scratch_files.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

using namespace flight::apptest;

namespace {

// `name` in `dir` holding `bytes`; empty when it cannot be written.
QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    return flight::test::writeFile(path.toStdString(), bytes.toStdString()) ? path : QString();
}

qsizetype lineCount(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray all = f.readAll();
    return all.count('\n') + (all.endsWith('\n') || all.isEmpty() ? 0 : 1);
}

} // namespace

TEST(NotARecording, ReportOnTheReadmeExitsTwoWithOneSentence)
{
    // The command as a newcomer types it, in the checkout.
    const QString readme = QStringLiteral(FLIGHT_TEST_DATA "/../../README.md");
    const qsizetype lines = lineCount(readme);
    ASSERT_GT(lines, 10);
    const ToolRun r = inspector(QStringLiteral("report"), {QStringLiteral("README.md")}, 60000,
                                QStringLiteral(FLIGHT_TEST_DATA "/../.."));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.out.isEmpty()) << r.out.constData();
    EXPECT_EQ(r.err, QStringLiteral("flight-inspector report: README.md is not a Flight recording (no line of its %1 "
                                    "is a Flight message)\n").arg(lines));
}

TEST(NotARecording, CheckAndDiffRefuseItTooNamingTheFile)
{
    QTemporaryDir dir;
    const QString notes = writeFile(dir, QStringLiteral("notes.txt"), "shopping list\neggs\n\nmilk\n");
    ASSERT_FALSE(notes.isEmpty());
    ToolRun r = inspector(QStringLiteral("check"), {notes, QStringLiteral("--platform"), QStringLiteral("psp")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, QStringLiteral("flight-inspector check: %1 is not a Flight recording (no line of its 4 is a "
                                    "Flight message)\n").arg(notes));
    // diff: whichever side it is.
    r = inspector(QStringLiteral("diff"), {conformance("seed-flat.jsonl"), notes});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.startsWith(QStringLiteral("flight-inspector diff: %1 is not a Flight recording").arg(notes)))
        << r.err.toStdString();
    r = inspector(QStringLiteral("diff"), {notes, conformance("seed-flat.jsonl")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("is not a Flight recording"))) << r.err.toStdString();
}

TEST(NotARecording, JsonOfAnotherKindAndUnknownTypesAloneAreNotARecording)
{
    QTemporaryDir dir;
    // JSON Lines, but none a Flight message (an unknown "type" is skipped, not Flight content).
    const QString other = writeFile(dir, QStringLiteral("events.jsonl"),
                                    "{\"type\":\"click\",\"x\":3}\n{\"name\":\"a\"}\n[1,2,3]\n");
    const ToolRun r = inspector(QStringLiteral("report"), {other, QStringLiteral("--format"), QStringLiteral("md")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("events.jsonl is not a Flight recording (no line of its 3 is a Flight "
                                              "message)")))
        << r.err.toStdString();
}

TEST(NotARecording, AnEmptyFileIsNotARecordingEither)
{
    // Decided (docs/reports.md): nothing to report on is an error, so that a capture
    // that wrote nothing cannot pass a CI gate as "every session fits".
    QTemporaryDir dir;
    const QString empty = writeFile(dir, QStringLiteral("empty.jsonl"), {});
    ASSERT_FALSE(empty.isEmpty());
    ToolRun r = inspector(QStringLiteral("check"), {empty, QStringLiteral("--platform"), QStringLiteral("psp")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, QStringLiteral("flight-inspector check: %1 is not a Flight recording (the file is empty)\n")
                         .arg(empty));
    r = inspector(QStringLiteral("report"), {empty});
    EXPECT_EQ(r.exitCode, 2);
    const QString one = writeFile(dir, QStringLiteral("one.jsonl"), "hello\n");
    r = inspector(QStringLiteral("report"), {one});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("one.jsonl is not a Flight recording (its one line is not a Flight "
                                              "message)")))
        << r.err.toStdString();
}

TEST(NotARecording, ARecordingWithSomeBadLinesStillReports)
{
    // bad-input.jsonl: Flight sessions among refused lines: reported, exit 0, errors listed.
    ToolRun r = inspector(QStringLiteral("report"), {conformance("bad-input.jsonl"), QStringLiteral("--format"),
                                                     QStringLiteral("md")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains(QStringLiteral("not a Flight recording")));
    // One Flight line among text is enough to be a recording.
    QTemporaryDir dir;
    const QString mixed = writeFile(
        dir, QStringLiteral("mixed.jsonl"),
        "not json\n{\"type\":\"session_started\",\"sessionId\":\"s\",\"platform\":\"psp\",\"timestamp\":1}\nmore text\n");
    r = inspector(QStringLiteral("report"), {mixed});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("\"sessionId\": \"s\"")) << r.out.constData();
}
