// SPDX-License-Identifier: MIT
// `flight-inspector diff A B` as a CI job runs it: exit codes and JSON figures.
#include "inspector_run.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace flight::apptest;

namespace {

ToolRun diff(const QStringList& args) { return inspector(QStringLiteral("diff"), args, 60000); }

QJsonObject purpose(const QJsonObject& session, const char* name)
{
    for (const auto& v : session.value(QStringLiteral("purposes")).toArray())
        if (v.toObject().value(QStringLiteral("purpose")).toString() == QLatin1String(name))
            return v.toObject();
    return {};
}

} // namespace

// A = wit-kebab (Dreamcast: asset-cache 4MB, component-stack 256KB, wasm-linear 8MB,
// system-reserved 2MB), B = ts-camel (v6r-small: vm-heap 256MB, asset-cache 64MB,
// temporary 1MB freed, jit-code-cache 32MB). Different ids: paired by order.
TEST(DiffCommand, JsonFiguresAndExitZeroWithoutThreshold)
{
    const ToolRun r = diff({conformance("wit-kebab.jsonl"), conformance("ts-camel.jsonl"), QStringLiteral("--format"),
                            QStringLiteral("json")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(doc.value(QStringLiteral("format")).toString(), QStringLiteral("flight-inspector-diff/1"));
    const QJsonArray sessions = doc.value(QStringLiteral("sessions")).toArray();
    ASSERT_EQ(sessions.size(), 1);
    const QJsonObject s = sessions[0].toObject();
    EXPECT_EQ(s.value(QStringLiteral("pairing")).toString(), QStringLiteral("order"));
    EXPECT_EQ(s.value(QStringLiteral("a")).toObject().value(QStringLiteral("sessionId")).toString(), QStringLiteral("fc-dc"));
    EXPECT_EQ(s.value(QStringLiteral("b")).toObject().value(QStringLiteral("sessionId")).toString(), QStringLiteral("vm-ts"));

    const QJsonObject asset = purpose(s, "asset-cache").value(QStringLiteral("peakBytes")).toObject();
    EXPECT_EQ(asset.value(QStringLiteral("before")).toInteger(), 4194304);
    EXPECT_EQ(asset.value(QStringLiteral("after")).toInteger(), 67108864);
    EXPECT_EQ(asset.value(QStringLiteral("change")).toInteger(), 67108864 - 4194304);
    EXPECT_DOUBLE_EQ(asset.value(QStringLiteral("percent")).toDouble(), 1500.0);
    const QJsonObject heap = purpose(s, "vm-heap").value(QStringLiteral("peakBytes")).toObject();
    EXPECT_EQ(heap.value(QStringLiteral("before")).toInteger(), 0);
    EXPECT_EQ(heap.value(QStringLiteral("after")).toInteger(), 268435456);
    EXPECT_TRUE(heap.value(QStringLiteral("percent")).isNull());
    const QJsonObject temporary = purpose(s, "temporary");
    EXPECT_EQ(temporary.value(QStringLiteral("endBytes")).toObject().value(QStringLiteral("after")).toInteger(), 0);
    EXPECT_EQ(temporary.value(QStringLiteral("allocations")).toObject().value(QStringLiteral("after")).toInteger(), 1);
    EXPECT_EQ(s.value(QStringLiteral("allocations")).toObject().value(QStringLiteral("before")).toInteger(), 4);

    // Shipped budget of each side's platform, at peak: Dreamcast (wasm-linear 8MB is over) and v6r-small.
    const QJsonObject before = s.value(QStringLiteral("a")).toObject().value(QStringLiteral("budget")).toObject();
    EXPECT_EQ(before.value(QStringLiteral("budgetSource")).toString(), QStringLiteral("builtin:dreamcast.json"));
    EXPECT_FALSE(before.value(QStringLiteral("fits")).toBool());
    const QJsonObject after = s.value(QStringLiteral("b")).toObject().value(QStringLiteral("budget")).toObject();
    EXPECT_EQ(after.value(QStringLiteral("budgetSource")).toString(), QStringLiteral("builtin:v6r-small.json"));
    EXPECT_FALSE(doc.contains(QStringLiteral("failed")));
}

TEST(DiffCommand, FailOnGrowthExitsOneWhenAPeakGrows)
{
    const ToolRun r = diff({conformance("wit-kebab.jsonl"), conformance("ts-camel.jsonl"),
                            QStringLiteral("--fail-on-growth"), QStringLiteral("10")});
    EXPECT_EQ(r.exitCode, 1) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("Peak grew by more than 10 %")) << r.out.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("asset-cache peak grew"))) << r.err.toStdString();

    // The same recording on both sides: nothing grows.
    const ToolRun same = diff({conformance("ts-camel.jsonl"), conformance("ts-camel.jsonl"),
                               QStringLiteral("--fail-on-growth"), QStringLiteral("10"), QStringLiteral("--format"),
                               QStringLiteral("json")});
    EXPECT_EQ(same.exitCode, 0) << same.err.toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(same.out).object();
    EXPECT_FALSE(doc.value(QStringLiteral("failed")).toBool());
    EXPECT_EQ(doc.value(QStringLiteral("sessions")).toArray()[0].toObject().value(QStringLiteral("pairing")).toString(),
              QStringLiteral("sessionId"));
}

TEST(DiffCommand, ShippedRecordingsToFileInEveryFormat)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString a = QStringLiteral(FLIGHT_TEST_DATA "/../../resources/recordings/psp.jsonl.zst");
    const QString b = QStringLiteral(FLIGHT_TEST_DATA "/../../resources/recordings/psp-1000.jsonl.zst");
    for (const char* format : {"text", "json", "html", "md"}) {
        const QString out = dir.filePath(QStringLiteral("diff.") + QLatin1String(format));
        const ToolRun r = diff({a, b, QStringLiteral("--format"), QLatin1String(format), QStringLiteral("-o"), out});
        EXPECT_EQ(r.exitCode, 0) << format << ": " << r.err.toStdString();
        QFile f(out);
        ASSERT_TRUE(f.open(QIODevice::ReadOnly)) << format;
        EXPECT_GT(f.size(), 200) << format;
    }
}

TEST(DiffCommand, UnreadableInputOrBadArgumentsExitTwo)
{
    ToolRun r = diff({conformance("wit-kebab.jsonl"), QStringLiteral("/nonexistent/missing.jsonl.zst")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("missing.jsonl.zst"))) << r.err.toStdString();
    r = diff({conformance("wit-kebab.jsonl")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("exactly two recordings"))) << r.err.toStdString();
    r = diff({conformance("wit-kebab.jsonl"), conformance("ts-camel.jsonl"), QStringLiteral("--fail-on-growth"),
              QStringLiteral("lots")});
    EXPECT_EQ(r.exitCode, 2);
    r = diff({conformance("wit-kebab.jsonl"), conformance("ts-camel.jsonl"), QStringLiteral("--format"),
              QStringLiteral("pdf")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--format must be"))) << r.err.toStdString();
}

TEST(DiffCommand, HelpDocumentsPairingAndExitCodes)
{
    const ToolRun r = diff({QStringLiteral("--help")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains("same\nsession id")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("--fail-on-growth <PCT>"));
    EXPECT_TRUE(r.out.contains("Exit codes"));
}
