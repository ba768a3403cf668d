// SPDX-License-Identifier: MIT
// The figures survive every output: the PDF's text (read back with pdftotext)
// carries the peaks, and a recording diffed against itself changes nothing.
#include "inspector_run.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <functional>

using namespace flight::apptest;

TEST(ReportFigures, PdfTextCarriesEachSessionsPeak)
{
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("r.pdf"));
    ToolRun r = run(QStringLiteral(FLIGHT_INSPECTOR_EXE), {QStringLiteral("report"), sample("v6r-small.jsonl.zst"),
                                                       sample("psp.jsonl.zst"), QStringLiteral("--format"),
                                                       QStringLiteral("pdf"), QStringLiteral("-o"), pdf});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const ToolRun text = run(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    ASSERT_EQ(text.exitCode, 0) << text.err.toStdString();
    EXPECT_TRUE(text.out.contains("502.1MB")); // v6r-small's peak
    EXPECT_TRUE(text.out.contains("62.7MB"));  // psp's peak
    EXPECT_TRUE(text.out.contains("vm-1"));
    EXPECT_TRUE(text.out.contains("title-1"));
    const ToolRun info = run(QStringLiteral("pdfinfo"), {pdf});
    ASSERT_EQ(info.exitCode, 0);
    EXPECT_TRUE(info.out.contains("Pages:"));
    EXPECT_FALSE(info.out.contains("Pages:          0"));
}

TEST(ReportFigures, DiffOfARecordingAgainstItselfIsAllZeros)
{
    const ToolRun r = run(QStringLiteral(FLIGHT_INSPECTOR_EXE),
                      {QStringLiteral("diff"), sample("vita.jsonl.zst"), sample("vita.jsonl.zst"), QStringLiteral("--format"),
                       QStringLiteral("json"), QStringLiteral("--fail-on-growth"), QStringLiteral("0")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    const QJsonArray pairs = doc.value(QStringLiteral("pairs")).isArray() ? doc.value(QStringLiteral("pairs")).toArray()
                                                                           : doc.value(QStringLiteral("sessions")).toArray();
    ASSERT_FALSE(pairs.isEmpty()) << r.out.left(400).toStdString();
    // Every number whose key says it is a change is zero.
    int changes = 0;
    std::function<void(const QJsonValue&, const QString&)> walk = [&](const QJsonValue& v, const QString& key) {
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                walk(it.value(), it.key());
        } else if (v.isArray()) {
            for (const auto& item : v.toArray())
                walk(item, key);
        } else if (v.isDouble() && key.contains(QStringLiteral("change"), Qt::CaseInsensitive)) {
            ++changes;
            EXPECT_EQ(v.toDouble(), 0.0) << key.toStdString();
        }
    };
    walk(doc, QString());
    EXPECT_GT(changes, 10);
}
