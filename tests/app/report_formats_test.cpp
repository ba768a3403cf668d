// SPDX-License-Identifier: MIT
// `flight-inspector report` in every format and `--chart`, as CI runs it: a
// real process, no display. The JSON is validated against docs/report-schema.json.
#include "inspector_run.h"
#include "json_schema_check.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QXmlStreamReader>

using namespace flight::apptest;

namespace {

ToolRun report(const QStringList& args) { return inspector(QStringLiteral("report"), args); }

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Width and height from a PNG's IHDR chunk; (-1, -1) when it is not a PNG.
std::pair<int, int> pngSize(const QByteArray& png)
{
    if (png.size() < 24 || !png.startsWith("\x89PNG\r\n\x1a\n") || png.mid(12, 4) != "IHDR")
        return {-1, -1};
    auto be32 = [&](int at) {
        return (static_cast<unsigned char>(png[at]) << 24) | (static_cast<unsigned char>(png[at + 1]) << 16)
            | (static_cast<unsigned char>(png[at + 2]) << 8) | static_cast<unsigned char>(png[at + 3]);
    };
    return {be32(16), be32(20)};
}

} // namespace

TEST(ReportFormats, EveryFormatWritesItsKindOfFile)
{
    QTemporaryDir dir;
    const QStringList inputs{sample("v6r-small.jsonl.zst"), sample("psp.jsonl.zst"), conformance("bad-input.jsonl")};
    struct Case {
        const char* format;
        const char* file;
        QByteArray starts;
    };
    for (const Case& c : {Case{"html", "r.html", "<!DOCTYPE html>"}, Case{"pdf", "r.pdf", "%PDF-"},
                          Case{"md", "r.md", "# Flight memory report"}, Case{"csv", "r.csv", "session,time_ms,"},
                          Case{"json", "r.json", "{"}}) {
        const QString out = dir.filePath(QLatin1String(c.file));
        const ToolRun r = report(inputs + QStringList{QStringLiteral("--format"), QLatin1String(c.format), QStringLiteral("-o"), out});
        EXPECT_EQ(r.exitCode, 0) << c.format << ": " << r.err.toStdString();
        const QByteArray bytes = readAll(out);
        EXPECT_GT(bytes.size(), 200) << c.format;
        EXPECT_TRUE(bytes.startsWith(c.starts)) << c.format << ": " << bytes.left(40).toStdString();
    }
    EXPECT_TRUE(readAll(dir.filePath(QStringLiteral("r.pdf"))).contains("%%EOF"));
}

TEST(ReportFormats, JsonValidatesAgainstTheSchema)
{
    const QJsonObject schema =
        QJsonDocument::fromJson(readAll(QStringLiteral(FLIGHT_TEST_DATA "/../../docs/report-schema.json"))).object();
    ASSERT_FALSE(schema.isEmpty());
    const flight::test::JsonSchemaCheck check(schema);
    for (const QStringList& args : {QStringList{sample("v6r-small.jsonl.zst")},
                                    QStringList{conformance("bad-input.jsonl"), conformance("ts-camel.jsonl")},
                                    QStringList{sample("psp.jsonl.zst"), QStringLiteral("--platform"), QStringLiteral("psp"),
                                                QStringLiteral("--range"), QStringLiteral("1..5"), QStringLiteral("--compact")}}) {
        const ToolRun r = report(args + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
        ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        ASSERT_TRUE(doc.isObject());
        const QStringList errors = check.validate(doc.object());
        EXPECT_TRUE(errors.isEmpty()) << errors.join(QLatin1Char('\n')).toStdString();
        const QJsonArray sessions = doc.object().value(QStringLiteral("sessions")).toArray();
        ASSERT_FALSE(sessions.isEmpty());
        for (const auto& s : sessions) {
            const QJsonObject o = s.toObject();
            EXPECT_LE(o.value(QStringLiteral("averageBytes")).toInteger(), o.value(QStringLiteral("range")).toObject()
                                                                                 .value(QStringLiteral("peakBytes")).toInteger());
        }
    }
    // A schema violation is caught (the check is not vacuous).
    QJsonObject broken{{QStringLiteral("format"), QStringLiteral("x")}};
    EXPECT_FALSE(check.validate(broken).isEmpty());
}

TEST(ReportFormats, RangeAndPlatformApply)
{
    const ToolRun whole = report({sample("psp.jsonl.zst"), QStringLiteral("--platform"), QStringLiteral("psp")});
    const ToolRun part = report({sample("psp.jsonl.zst"), QStringLiteral("--platform"), QStringLiteral("psp"),
                             QStringLiteral("--range"), QStringLiteral("2..4")});
    ASSERT_EQ(whole.exitCode, 0) << whole.err.toStdString();
    ASSERT_EQ(part.exitCode, 0) << part.err.toStdString();
    const QJsonObject w = QJsonDocument::fromJson(whole.out).object().value(QStringLiteral("sessions")).toArray()[0].toObject();
    const QJsonObject p = QJsonDocument::fromJson(part.out).object().value(QStringLiteral("sessions")).toArray()[0].toObject();
    const QJsonObject range = p.value(QStringLiteral("range")).toObject();
    EXPECT_EQ(range.value(QStringLiteral("fromMs")).toInteger() - p.value(QStringLiteral("firstMs")).toInteger(), 2000);
    EXPECT_EQ(range.value(QStringLiteral("durationMs")).toInteger(), 2000);
    EXPECT_EQ(p.value(QStringLiteral("peakBytes")), w.value(QStringLiteral("peakBytes"))); // summary fields: whole session
    for (const auto& v : p.value(QStringLiteral("budgets")).toArray())
        EXPECT_EQ(v.toObject().value(QStringLiteral("platform")).toString(), QStringLiteral("psp"));
}

TEST(ReportFormats, CsvRowsFollowTheResolution)
{
    const ToolRun r = report({conformance("ts-camel.jsonl"), QStringLiteral("--format"), QStringLiteral("csv"),
                          QStringLiteral("--resolution"), QStringLiteral("100")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    ASSERT_GE(lines.size(), 2);
    EXPECT_TRUE(lines[0].endsWith(",used,total,pressure"));
    const qint64 last = lines.last().split(',')[1].toLongLong();
    EXPECT_EQ(lines.size() - 1, last / 100 + 1);
}

TEST(ReportFormats, ChartsAsPngOfTheRequestedSizeAndSvg)
{
    QTemporaryDir dir;
    for (const char* chart : {"timeline", "pressure", "purposes", "budgets"}) {
        const QString png = dir.filePath(QLatin1String(chart) + QStringLiteral(".png"));
        const ToolRun r = report({sample("v6r-small.jsonl.zst"), QStringLiteral("--chart"), QLatin1String(chart),
                              QStringLiteral("--size"), QStringLiteral("900x500"), QStringLiteral("-o"), png});
        ASSERT_EQ(r.exitCode, 0) << chart << ": " << r.err.toStdString();
        EXPECT_EQ(pngSize(readAll(png)), std::make_pair(900, 500)) << chart;
    }
    const QString svg = dir.filePath(QStringLiteral("t.svg"));
    const ToolRun r = report({sample("v6r-small.jsonl.zst"), QStringLiteral("--chart"), QStringLiteral("timeline"),
                          QStringLiteral("-o"), svg});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QXmlStreamReader xml(readAll(svg));
    while (!xml.atEnd())
        xml.readNext();
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    EXPECT_TRUE(readAll(svg).contains("class=\"used\""));
}

TEST(ReportFormats, BadArgumentsExitTwoAndSayWhatToDo)
{
    const QString in = conformance("ts-camel.jsonl");
    struct Case {
        QStringList args;
        const char* says;
    };
    for (const Case& c : {Case{{in, QStringLiteral("--range"), QStringLiteral("60..10")}, "--range end must be after"},
                          Case{{in, QStringLiteral("--format"), QStringLiteral("pdf")}, "needs -o FILE.pdf"},
                          Case{{in, QStringLiteral("--chart"), QStringLiteral("pie"), QStringLiteral("-o"), QStringLiteral("/tmp/x.png")},
                               "--chart must be"},
                          Case{{in, QStringLiteral("--chart"), QStringLiteral("timeline")}, "--chart needs -o"},
                          Case{{in, QStringLiteral("--resolution"), QStringLiteral("0"), QStringLiteral("--format"), QStringLiteral("csv")},
                               "--resolution takes"},
                          Case{{in, QStringLiteral("--budgets"), QStringLiteral("/nonexistent/b.json")}, "b.json"},
                          Case{{in, QStringLiteral("--format"), QStringLiteral("html"), QStringLiteral("-o"),
                                QStringLiteral("/nonexistent/dir/r.html")}, "cannot write"}}) {
        const ToolRun r = report(c.args);
        EXPECT_EQ(r.exitCode, 2) << c.says;
        EXPECT_TRUE(r.err.contains(QLatin1String(c.says))) << r.err.toStdString();
    }
    const ToolRun help = report({QStringLiteral("--help")});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(help.out.contains("Exit codes"));
    EXPECT_TRUE(help.out.contains("--chart"));
}
