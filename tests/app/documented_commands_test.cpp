// SPDX-License-Identifier: MIT
// Commands from docs/ run as written, in a folder holding the files they name:
// subcommand options that Qt's own start-up used to take for itself
// (--platform, --session written with a space), the custom platform's budget,
// and the licence under every --version.
#include "inspector_run.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

using namespace flight::apptest;

namespace {

const QString kLicence = QStringLiteral("Licensed under the MIT licence (SPDX: MIT).");

// A folder with the docs' file names: title.jsonl.zst (a PSP title, session
// title-1) and vm.jsonl.zst (a V6R Small VM, session vm-1).
struct DocsFolder {
    QTemporaryDir dir;
    bool ready = QFile::copy(sample("psp.jsonl.zst"), dir.filePath(QStringLiteral("title.jsonl.zst")))
                 && QFile::copy(sample("v6r-small.jsonl.zst"), dir.filePath(QStringLiteral("vm.jsonl.zst")));
    ToolRun report(const QString& line) const
    {
        return inspector(QStringLiteral("report"), line.split(QLatin1Char(' ')), 120000, dir.path());
    }
    QByteArray read(const QString& name) const
    {
        QFile f(dir.filePath(name));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
};

} // namespace

TEST(DocumentedCommands, PdfReportWithPlatformWrittenWithASpace)
{
    // reports.md: `flight-inspector report title.jsonl.zst --format pdf -o memory.pdf --platform psp`
    // aborted (exit 134): Qt took --platform psp as its display plugin.
    DocsFolder docs;
    ASSERT_TRUE(docs.ready);
    const ToolRun r = docs.report(QStringLiteral("title.jsonl.zst --format pdf -o memory.pdf --platform psp"));
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    // Nothing from the inspector on stderr (no "no budget for platform"): Qt's own
    // start-up may still note a missing XDG_RUNTIME_DIR.
    EXPECT_FALSE(r.err.contains(QStringLiteral("flight-inspector"))) << r.err.toStdString();
    EXPECT_FALSE(r.err.contains(QStringLiteral("platform plugin"))) << r.err.toStdString();
    const QByteArray pdf = docs.read(QStringLiteral("memory.pdf"));
    EXPECT_TRUE(pdf.startsWith("%PDF-")) << pdf.size();
    EXPECT_GT(pdf.size(), 10000);
}

TEST(DocumentedCommands, BudgetChartWithPlatformWrittenWithASpace)
{
    // reports.md: `report title.jsonl.zst --chart budgets --platform psp -o budget.svg`, and as PNG.
    DocsFolder docs;
    ASSERT_TRUE(docs.ready);
    ToolRun r = docs.report(QStringLiteral("title.jsonl.zst --chart budgets --platform psp -o budget.svg"));
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QByteArray svg = docs.read(QStringLiteral("budget.svg"));
    EXPECT_TRUE(svg.contains("<svg"));
    EXPECT_TRUE(svg.contains("PSP (default)")); // the psp budget, and only it
    EXPECT_FALSE(svg.contains("Dreamcast (default)"));
    // Same picture with --platform=psp: the two spellings mean the same.
    r = docs.report(QStringLiteral("title.jsonl.zst --chart budgets --platform=psp -o budget-eq.svg"));
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(docs.read(QStringLiteral("budget-eq.svg")), svg);
    r = docs.report(QStringLiteral("title.jsonl.zst --chart budgets --platform psp -o budget.png"));
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(docs.read(QStringLiteral("budget.png")).startsWith("\x89PNG"));
}

TEST(DocumentedCommands, ChartSessionWrittenWithASpaceDrawsThatSession)
{
    // --session ID used to draw the first session silently; --session nosuch exited 0.
    DocsFolder docs;
    ASSERT_TRUE(docs.ready);
    for (const QString& spelling : {QStringLiteral("--session vm-1"), QStringLiteral("--session=vm-1")}) {
        const ToolRun r = docs.report(QStringLiteral("title.jsonl.zst vm.jsonl.zst --chart timeline %1 -o t.svg").arg(spelling));
        EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
        const QByteArray svg = docs.read(QStringLiteral("t.svg"));
        EXPECT_TRUE(svg.contains("vm-1 \xC2\xB7 v6r-small")) << spelling.toStdString(); // the chart's title
        EXPECT_FALSE(svg.contains("title-1 \xC2\xB7")) << spelling.toStdString();
    }
    for (const QString& spelling : {QStringLiteral("--session nosuch"), QStringLiteral("--session=nosuch")}) {
        const ToolRun r = docs.report(QStringLiteral("title.jsonl.zst --chart timeline %1 -o n.svg").arg(spelling));
        EXPECT_EQ(r.exitCode, 2) << spelling.toStdString();
        EXPECT_TRUE(r.err.contains(QStringLiteral("no session \"nosuch\""))) << r.err.toStdString();
        EXPECT_FALSE(QFile::exists(docs.dir.filePath(QStringLiteral("n.svg"))));
    }
}

TEST(DocumentedCommands, OtherQtStartUpOptionsAreTheSubcommandsArguments)
{
    // -style, -display, --session and -platform are Qt's own options for a window;
    // for a headless subcommand they are unknown options like any other (exit 2, named),
    // never taken silently by Qt.
    DocsFolder docs;
    ASSERT_TRUE(docs.ready);
    for (const QString& qtOption : {QStringLiteral("-style fusion"), QStringLiteral("-display :9"),
                                    QStringLiteral("-platform xcb")}) {
        const ToolRun r = docs.report(QStringLiteral("title.jsonl.zst --chart timeline -o x.png %1").arg(qtOption));
        EXPECT_EQ(r.exitCode, 2) << qtOption.toStdString() << ": " << r.err.toStdString();
        EXPECT_TRUE(r.err.contains(QStringLiteral("flight-inspector report: Unknown option"))) << r.err.toStdString();
    }
    const ToolRun r = inspector(QStringLiteral("check"), {QStringLiteral("title.jsonl.zst"), QStringLiteral("--platform"),
                                                          QStringLiteral("psp"), QStringLiteral("--session"), QStringLiteral("x")},
                                60000, docs.dir.path());
    EXPECT_EQ(r.exitCode, 2); // not 1, which would read as "over budget" in CI
    EXPECT_EQ(r.err, QStringLiteral("flight-inspector check: Unknown option 'session'.\n"));
}

TEST(DocumentedCommands, CheckPlatformCustomSaysWhyThereIsNoDefaultBudget)
{
    // budgets.md: every profile with a fixed total has a default budget; custom has none
    // (each session states its own total), and the error says so and what to give.
    QTemporaryDir dir;
    ASSERT_TRUE(QFile::copy(sample("custom.jsonl.zst"), dir.filePath(QStringLiteral("custom.jsonl.zst"))));
    ToolRun r = inspector(QStringLiteral("check"), {QStringLiteral("custom.jsonl.zst"), QStringLiteral("--platform"),
                                                    QStringLiteral("custom")}, 60000, dir.path());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, QStringLiteral("flight-inspector check: no budget for platform \"custom\": the custom profile has "
                                    "no fixed total (each session states its own), so no default budget ships for it; "
                                    "give one with --budgets FILE (\"platform\": \"custom\" and a \"total\")\n"));
    // As budgets.md shows: a budget file for custom with a total, and the check runs.
    QFile f(dir.filePath(QStringLiteral("custom-budget.json")));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({"name": "my runtime", "platform": "custom", "total": "256MB", "purposes": {"vm-heap": "1GB"}})");
    f.close();
    r = inspector(QStringLiteral("check"), {QStringLiteral("custom.jsonl.zst"), QStringLiteral("--platform"),
                                            QStringLiteral("custom"), QStringLiteral("--budgets"),
                                            QStringLiteral("custom-budget.json")}, 60000, dir.path());
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString() << r.out.constData();
    EXPECT_TRUE(r.out.contains("FITS my runtime")) << r.out.constData();
    // Any other unknown name lists the platforms that have one.
    r = inspector(QStringLiteral("check"), {QStringLiteral("custom.jsonl.zst"), QStringLiteral("--platform"),
                                            QStringLiteral("gameboy")}, 60000, dir.path());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("default budgets ship for ")) && r.err.contains(QStringLiteral("psp-1000")))
        << r.err.toStdString();
}

TEST(DocumentedCommands, EveryVersionNamesTheLicence)
{
    const QString version = QStringLiteral(FLIGHT_VERSION);
    ToolRun r = run(QStringLiteral(FLIGHT_INSPECTOR_EXE), {QStringLiteral("--version")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(QString::fromUtf8(r.out), QStringLiteral("flight-inspector %1\n%2\n").arg(version, kLicence));
    for (const QString& sub : {QStringLiteral("report"), QStringLiteral("check"), QStringLiteral("diff"),
                               QStringLiteral("capture")}) {
        for (const QString& flag : {QStringLiteral("--version"), QStringLiteral("-v")}) {
            r = inspector(sub, {flag});
            EXPECT_EQ(r.exitCode, 0) << sub.toStdString();
            EXPECT_EQ(QString::fromUtf8(r.out), QStringLiteral("flight-inspector %1 %2\n%3\n").arg(sub, version, kLicence));
        }
    }
    r = run(QStringLiteral(FLIGHT_AGENT_EXE), {QStringLiteral("--version")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(QString::fromUtf8(r.out), QStringLiteral("flight-agent %1\n%2\n").arg(version, kLicence));
}
