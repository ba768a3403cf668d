// SPDX-License-Identifier: MIT
// Commands of docs/ run as written: each block is read out of its page (the
// fenced block after "<!-- example: NAME -->", docs_text.h), run by bash in a
// scratch folder holding the files it names, with the built programs first on
// PATH, and its result checked against the figures the page states. Editing a
// documented command so that it no longer works fails here.

#include "docs_text.h"
#include "inspector_run.h"
#include "scratch_files.h"

#include "protocol/recording_reader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace flight::apptest;

namespace {


void copySample(const char* name, const QString& to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    ASSERT_TRUE(QFile::copy(sample(name), to)) << name;
}

// The script as a CI runner runs it (GitHub Actions: bash --noprofile --norc
// -eo pipefail), in `dir`, with the built flight-inspector and flight-agent
// first on PATH and no display.
ToolRun runScript(const QString& script, const QString& dir, int timeoutMs = 120000)
{
    QProcessEnvironment env = headlessEnvironment();
    const QString bins = QFileInfo(QStringLiteral(FLIGHT_INSPECTOR_EXE)).absolutePath() + u':' +
                         QFileInfo(QStringLiteral(FLIGHT_AGENT_EXE)).absolutePath();
    env.insert(QStringLiteral("PATH"), bins + u':' + env.value(QStringLiteral("PATH")));
    QProcess p;
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral("bash"), {QStringLiteral("--noprofile"), QStringLiteral("--norc"), QStringLiteral("-eo"),
                                     QStringLiteral("pipefail"), QStringLiteral("-c"), script});
    if (!p.waitForFinished(timeoutMs))
        p.kill();
    p.waitForFinished(5000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            QString::fromUtf8(p.readAllStandardError())};
}

// The indented lines under "run: |" of a GitHub Actions step, dedented.
QString githubRunScript(const QStringList& block)
{
    QStringList lines;
    qsizetype indent = -1;
    bool in = false;
    for (const QString& line : block) {
        if (line.trimmed() == QLatin1String("run: |")) {
            in = true;
            continue;
        }
        if (!in || line.trimmed().isEmpty())
            continue;
        if (indent < 0)
            indent = line.size() - line.trimmed().size();
        lines << line.mid(indent);
    }
    return lines.join(u'\n');
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

std::vector<QStringList> csvRows(const QByteArray& text)
{
    std::vector<QStringList> rows;
    for (const QByteArray& line : text.split('\n'))
        rows.push_back(QString::fromUtf8(line).split(u','));
    return rows;
}

} // namespace

// budgets.md "GitHub Actions": flight-agent stands in for the title, capture
// records it, check fails the job on the over-budget PSP sample, with the
// verdict of the recording itself. Only the port is changed (8765 may be taken
// on a shared machine).
TEST(DocumentedCommands, GithubActionsJobRunsAsWritten)
{
    const QStringList block = docExample(QStringLiteral("budgets.md"), QStringLiteral("github-actions"));
    QString script = githubRunScript(block);
    ASSERT_TRUE(script.contains(QLatin1String("flight-agent serve"))) << script.toStdString();
    ASSERT_TRUE(script.contains(QLatin1String("127.0.0.1:8765")));
    const quint16 port = freePort();
    ASSERT_NE(port, 0);
    script.replace(QStringLiteral("127.0.0.1:8765"), QStringLiteral("127.0.0.1:%1").arg(port));

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    copySample("psp.jsonl.zst", dir.filePath(QStringLiteral("recordings/title.jsonl.zst")));
    const QStringList budget = docExample(QStringLiteral("budgets.md"), QStringLiteral("budget-file"));
    ASSERT_FALSE(budget.isEmpty());
    ASSERT_TRUE(flight::test::writeFile(dir.filePath(QStringLiteral("budgets/psp.json")).toStdString(),
                                budget.join(u'\n').toStdString()));

    const ToolRun job = runScript(script, dir.path());
    EXPECT_EQ(job.exitCode, 1) << job.out.toStdString() << job.err.toStdString(); // over budget fails the job
    const QString out = QString::fromUtf8(job.out);
    EXPECT_TRUE(out.contains(QLatin1String("capture: messages=10001 sessions=1 "))) << out.toStdString();
    EXPECT_TRUE(job.err.contains(QLatin1String("flight-agent serve: all sources finished"))) << job.err.toStdString();
    EXPECT_TRUE(QFileInfo::exists(dir.filePath(QStringLiteral("session.jsonl.zst"))));

    // The captured session gets the verdict and the figures of the recording it replayed.
    const ToolRun direct =
        inspector(QStringLiteral("check"), {dir.filePath(QStringLiteral("recordings/title.jsonl.zst")),
                                            QStringLiteral("--platform"), QStringLiteral("psp"), QStringLiteral("--budgets"),
                                            dir.filePath(QStringLiteral("budgets/psp.json")), QStringLiteral("--at"),
                                            QStringLiteral("p95")});
    EXPECT_EQ(direct.exitCode, 1);
    QString expected = QString::fromUtf8(direct.out);
    expected.replace(dir.filePath(QStringLiteral("recordings/title.jsonl.zst")), QStringLiteral("session.jsonl.zst"));
    expected.replace(dir.filePath(QStringLiteral("budgets/psp.json")), QStringLiteral("budgets/psp.json"));
    ASSERT_TRUE(expected.startsWith(QLatin1String("session.jsonl.zst  title-1 (psp), 62.1MB used at p95")))
        << expected.toStdString();
    EXPECT_TRUE(out.endsWith(expected)) << out.toStdString() << "\n--- expected the end to be ---\n"
                                        << expected.toStdString();
}

// budgets.md "GitLab CI": the check of every recording in recordings/ as JSON.
TEST(DocumentedCommands, GitlabCiJobRunsAsWritten)
{
    const QStringList block = docExample(QStringLiteral("budgets.md"), QStringLiteral("gitlab-ci"));
    QStringList commands;
    for (const QString& line : block)
        if (line.trimmed().startsWith(QLatin1String("- flight-inspector")))
            commands << line.trimmed().mid(2);
    ASSERT_EQ(commands.size(), 1) << block.join(u'\n').toStdString();

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    copySample("v6r-small.jsonl.zst", dir.filePath(QStringLiteral("recordings/v6r-small.jsonl.zst")));
    copySample("v6r-medium.jsonl.zst", dir.filePath(QStringLiteral("recordings/v6r-medium.jsonl.zst")));
    ASSERT_TRUE(flight::test::writeFile(dir.filePath(QStringLiteral("budgets/vm.json")).toStdString(),
                                R"({"name": "VM under test", "platform": "v6r-small", "total": "512MB", "purposes": {"vm-heap": "400MB"}})"));

    const ToolRun job = runScript(commands.front(), dir.path());
    QFile verdictFile(dir.filePath(QStringLiteral("verdict.json")));
    ASSERT_TRUE(verdictFile.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonDocument verdict = QJsonDocument::fromJson(verdictFile.readAll(), &error);
    ASSERT_EQ(error.error, QJsonParseError::NoError) << error.errorString().toStdString();
    const QJsonArray sessions = verdict.object().value(QStringLiteral("sessions")).toArray();
    ASSERT_EQ(sessions.size(), 2); // one per recording, both read, in name order
    EXPECT_EQ(sessions[0].toObject().value(QStringLiteral("source")).toString(),
              QStringLiteral("recordings/v6r-medium.jsonl.zst"));
    EXPECT_EQ(sessions[1].toObject().value(QStringLiteral("source")).toString(),
              QStringLiteral("recordings/v6r-small.jsonl.zst"));
    // The v6r-medium VM does not fit v6r-small's shipped budget: the job fails, verdict.json says why.
    EXPECT_FALSE(verdict.object().value(QStringLiteral("fits")).toBool(true));
    EXPECT_EQ(job.exitCode, 1) << job.err.toStdString();
}

// reports.md "CSV": the command as written, on the PSP sample, gives the rows the page states.
TEST(DocumentedCommands, CsvReportAtHalfSecondResolutionAsWritten)
{
    const QStringList block = docExample(QStringLiteral("reports.md"), QStringLiteral("csv"));
    ASSERT_EQ(block.size(), 1);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    copySample("psp.jsonl.zst", dir.filePath(QStringLiteral("title.jsonl.zst")));
    const ToolRun r = runScript(block.front(), dir.path());
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QFile csv(dir.filePath(QStringLiteral("usage.csv")));
    ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
    const QByteArray text = csv.readAll();
    EXPECT_FALSE(text.contains("\n\n")); // a clean recording: the series alone
    auto rows = csvRows(text.trimmed());
    ASSERT_EQ(rows.size(), 1u + 462u); // reports.md: a header and 462 rows, time_ms 0..230500
    EXPECT_EQ(rows[0].front(), QStringLiteral("session"));
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), rows[0].size()) << i;
        EXPECT_EQ(rows[i][0], QStringLiteral("title-1"));
        EXPECT_EQ(rows[i][1].toLongLong(), static_cast<qint64>(i - 1) * 500) << i;
    }
}

// protocol.md promises the errors "in every format": the CSV report of the
// page's own example of bad lines lists each one, as reports.md shows.
TEST(DocumentedCommands, CsvReportListsTheErrorsOfTheProtocolPageExample)
{
    const QStringList input = docExample(QStringLiteral("protocol.md"), QStringLiteral("errors"));
    ASSERT_EQ(input.size(), 10);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ASSERT_TRUE(flight::test::writeFile(dir.filePath(QStringLiteral("bad.jsonl")).toStdString(), input.join(u'\n').toStdString() + '\n'));
    const ToolRun r = runScript(QStringLiteral("flight-inspector report bad.jsonl --format csv"), dir.path());
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString(); // the file was read
    const QString out = QString::fromUtf8(r.out);
    const qsizetype gap = out.indexOf(QLatin1String("\n\n"));
    ASSERT_GT(gap, 0) << out.toStdString();
    const QStringList errors = out.mid(gap + 2).trimmed().split(u'\n');
    ASSERT_GE(errors.size(), 1 + 6);
    EXPECT_EQ(errors[0], QStringLiteral("error,source,session,line,count,message"));
    // The six bad lines protocol.md lists: four decode errors, two session errors, by line.
    const QStringList expected = {
        QStringLiteral("decode,bad.jsonl,,2,1,line 2: size.bytes: negative size -4096"),
        QStringLiteral("decode,bad.jsonl,,3,1,line 3: unknown purpose index 9 (0..7)"),
        QStringLiteral("session,bad.jsonl,,6,1,\"line 6: invalid-allocation: no allocation \"\"a-404\"\" to free\""),
        QStringLiteral("decode,bad.jsonl,,7,1,line 7: not a JSON object: JSON document ended early in the middle of "
                       "an object or array."),
        QStringLiteral("decode,bad.jsonl,,8,1,line 8: not JSON: Problem while parsing an atom starting with the "
                       "letter 'n'"),
        QStringLiteral("session,bad.jsonl,,10,1,\"line 10: already-freed: allocation \"\"a-3\"\" was already freed "
                       "at 1764000000500\""),
    };
    for (int i = 0; i < expected.size(); ++i)
        EXPECT_EQ(errors[1 + i].toStdString(), expected[i].toStdString()) << i;
    // Then the session's errors by code, as in the other formats: one of each.
    EXPECT_EQ(errors.mid(1 + expected.size()),
              (QStringList{QStringLiteral("reported,bad.jsonl,vm-7,,1,already-freed"),
                           QStringLiteral("reported,bad.jsonl,vm-7,,1,invalid-allocation")}));
    // Every line of the example in reports.md is one of these rows.
    const QStringList documented = docExample(QStringLiteral("reports.md"), QStringLiteral("csv-errors"));
    ASSERT_EQ(documented.size(), errors.size());
    for (const QString& line : documented)
        EXPECT_TRUE(errors.contains(line)) << "reports.md shows a row the report does not write: " << line.toStdString();
}

// user-guide.md, the window's command line: both commands as written (SAMPLES
// set as the guide says), with HOME and the XDG folders in the scratch folder.
// The demo is three sessions (user-guide.md "Live sessions"): its live
// recording holds the session_started of each.
TEST(DocumentedCommands, WindowScreenshotAndDemoAsWritten)
{
    const QStringList block = docExample(QStringLiteral("user-guide.md"), QStringLiteral("window-options"));
    ASSERT_EQ(block.size(), 2);
    ASSERT_TRUE(block[1].startsWith(QLatin1String("flight-inspector --demo "))) << block[1].toStdString();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString samples = QFileInfo(sample("psp.jsonl.zst")).absolutePath();
    const QString setup = QStringLiteral("export HOME=\"$PWD/home\" XDG_DATA_HOME=\"$PWD/home/data\" "
                                         "XDG_CONFIG_HOME=\"$PWD/home/config\" XDG_CACHE_HOME=\"$PWD/home/cache\" "
                                         "SAMPLES='%1'\n")
                              .arg(samples);

    const ToolRun shot = runScript(setup + block[0], dir.path());
    ASSERT_EQ(shot.exitCode, 0) << shot.err.toStdString();
    EXPECT_EQ(shot.out.trimmed(), QByteArray("psp-budgets.png: 1600x900"));
    EXPECT_GT(QFileInfo(dir.filePath(QStringLiteral("psp-budgets.png"))).size(), 10000);

    const ToolRun demo = runScript(setup + block[1], dir.path());
    ASSERT_EQ(demo.exitCode, 0) << demo.err.toStdString();
    EXPECT_EQ(demo.out.trimmed(), QByteArray("demo.png: 1280x800"));
    const QDir live(dir.filePath(QStringLiteral("home/data/flight/flight-inspector/live")));
    const QStringList files = live.entryList({QStringLiteral("live-*")}, QDir::Files);
    ASSERT_EQ(files.size(), 1) << live.path().toStdString();
    // The window records in format 2: its lines as any reader gets them.
    QStringList started;
    flight::protocol::readRecording(live.filePath(files.front()).toStdString(),
                                    [&](std::string_view line, std::uint64_t, bool) {
        const QJsonObject o = QJsonDocument::fromJson(QByteArray(line.data(), static_cast<qsizetype>(line.size()))).object();
        if (o.value(QStringLiteral("type")).toString() == QLatin1String("session_started"))
            started << o.value(QStringLiteral("sessionId")).toString();
    });
    started.sort();
    EXPECT_EQ(started, (QStringList{QStringLiteral("demo-dreamcast-1"), QStringLiteral("demo-psp-1"),
                                    QStringLiteral("demo-v6r-small-1")}));
}
