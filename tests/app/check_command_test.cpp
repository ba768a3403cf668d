// SPDX-License-Identifier: MIT
// `flight-inspector check` as a CI job runs it: exit codes and verdict figures.
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

ToolRun check(const QStringList& args) { return inspector(QStringLiteral("check"), args, 60000); }

} // namespace

TEST(CheckCommand, FitsExitsZeroOverExitsOne)
{
    // wit-kebab: a Dreamcast title at 14.25 MB of 16 MB, with 4 MB of asset-cache and 8 MB of wasm-linear.
    ToolRun r = check({conformance("wit-kebab.jsonl"), QStringLiteral("--platform"), QStringLiteral("psp"),
                        QStringLiteral("--format"), QStringLiteral("json")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_TRUE(doc.value(QStringLiteral("fits")).toBool());
    const QJsonObject verdict = doc.value(QStringLiteral("sessions")).toArray()[0].toObject()
                                    .value(QStringLiteral("verdicts")).toArray()[0].toObject();
    EXPECT_EQ(verdict.value(QStringLiteral("usedBytes")).toInteger(), 14942208);
    EXPECT_EQ(verdict.value(QStringLiteral("headroomBytes")).toInteger(), 67108864 - 14942208);

    // On a Dreamcast budget, wasm-linear (8 MB) is over its 4 MB.
    r = check({conformance("wit-kebab.jsonl"), QStringLiteral("--platform"), QStringLiteral("dreamcast")});
    EXPECT_EQ(r.exitCode, 1) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("OVER"));
    EXPECT_TRUE(r.out.contains("wasm-linear"));
    EXPECT_TRUE(r.out.contains("-4.0MB  over"));
    EXPECT_TRUE(r.out.contains("Over budget."));
}

TEST(CheckCommand, UserBudgetFileAndUsagePoint)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("budget.json"));
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({"name":"roomy VM","platform":"v6r-small","purposes":{"vm-heap":"300MB","asset-cache":"64MB"}})");
    f.close();
    // ts-camel ends with 64 MB of asset-cache: over the shipped 48 MB, within the user's 64 MB.
    ToolRun r = check({conformance("ts-camel.jsonl"), QStringLiteral("--platform"), QStringLiteral("v6r-small"),
                        QStringLiteral("--budgets"), file, QStringLiteral("--at"), QStringLiteral("end"),
                        QStringLiteral("--format"), QStringLiteral("json")});
    EXPECT_EQ(r.exitCode, 1) << r.err.toStdString();
    const QJsonArray verdicts = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("sessions")).toArray()[0]
                                    .toObject().value(QStringLiteral("verdicts")).toArray();
    ASSERT_EQ(verdicts.size(), 2);
    const QJsonObject shipped = verdicts[0].toObject();
    EXPECT_FALSE(shipped.value(QStringLiteral("fits")).toBool());
    EXPECT_TRUE(shipped.value(QStringLiteral("totalFits")).toBool());
    for (const auto& p : shipped.value(QStringLiteral("purposes")).toArray())
        if (p.toObject().value(QStringLiteral("purpose")).toString() == QStringLiteral("asset-cache")) {
            EXPECT_EQ(p.toObject().value(QStringLiteral("headroomBytes")).toInteger(), -(16ll << 20));
        }
    EXPECT_TRUE(verdicts[1].toObject().value(QStringLiteral("fits")).toBool());
    EXPECT_EQ(verdicts[1].toObject().value(QStringLiteral("budget")).toString(), QStringLiteral("roomy VM"));
}

TEST(CheckCommand, UnreadableInputsAndBadArgumentsExitTwo)
{
    ToolRun r = check({QStringLiteral("/nonexistent.jsonl"), QStringLiteral("--platform"), QStringLiteral("psp")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("cannot read /nonexistent.jsonl"))) << r.err.toStdString();
    r = check({conformance("ts-camel.jsonl")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--platform is required")));
    r = check({conformance("ts-camel.jsonl"), QStringLiteral("--platform"), QStringLiteral("gameboy")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("no budget for platform \"gameboy\"")));
    r = check({conformance("ts-camel.jsonl"), QStringLiteral("--platform"), QStringLiteral("psp"),
               QStringLiteral("--budgets"), QStringLiteral("/nonexistent/budget.json")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("cannot open budget file")));
    r = check({conformance("ts-camel.jsonl"), QStringLiteral("--platform"), QStringLiteral("psp"), QStringLiteral("--at"),
               QStringLiteral("median")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--at must be end, peak or p95")));
}

// Issue 15, attack 5: two allocations of 2^63 bytes and one of 1 MiB wrapped
// the tracked total to 1 MiB, and the gate said FITS (exit 0).
TEST(CheckCommand, ASessionWhoseTotalsOverflowedNeverFits)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("overflow.jsonl"));
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({"type":"session_started","sessionId":"vm-7","platform":"dreamcast","timestamp":1764000000000}
{"type":"allocation","allocation":{"id":"a-1","sessionId":"vm-7","size":{"bytes":9223372036854775808},"purpose":"vm-heap","allocatedAt":1764000000001}}
{"type":"allocation","allocation":{"id":"a-2","sessionId":"vm-7","size":{"bytes":9223372036854775808},"purpose":"vm-heap","allocatedAt":1764000000002}}
{"type":"allocation","allocation":{"id":"a-3","sessionId":"vm-7","size":{"bytes":1048576},"purpose":"vm-heap","allocatedAt":1764000000003}}
)");
    f.close();
    ToolRun r = check({file, QStringLiteral("--platform"), QStringLiteral("dreamcast")});
    EXPECT_EQ(r.exitCode, 1) << r.out.toStdString() << r.err.toStdString();
    EXPECT_FALSE(r.out.contains("FITS")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("OVER Dreamcast")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("usage unknown: 2 change(s) refused")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("(line 2, line 3)")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Over budget."));

    r = check({file, QStringLiteral("--platform"), QStringLiteral("dreamcast"), QStringLiteral("--format"),
               QStringLiteral("json")});
    EXPECT_EQ(r.exitCode, 1);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    EXPECT_FALSE(doc.value(QStringLiteral("fits")).toBool(true));
    const QJsonObject session = doc.value(QStringLiteral("sessions")).toArray()[0].toObject();
    EXPECT_EQ(session.value(QStringLiteral("overflowErrors")).toInteger(), 2);
    EXPECT_EQ(session.value(QStringLiteral("usedBytes")).toInteger(), 1048576);
    const QJsonObject verdict = session.value(QStringLiteral("verdicts")).toArray()[0].toObject();
    EXPECT_TRUE(verdict.value(QStringLiteral("overflowed")).toBool());
    EXPECT_FALSE(verdict.value(QStringLiteral("fits")).toBool(true));
}
