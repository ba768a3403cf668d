// SPDX-License-Identifier: MIT
// `flight-inspector report` as CI would run it: a real process, no display,
// figures checked against the conformance vectors' expected.json.
#include "inspector_run.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

using namespace flight::apptest;

namespace {

ToolRun report(const QStringList& args) { return inspector(QStringLiteral("report"), args); }

QJsonObject expected(const char* file)
{
    QFile f(QStringLiteral(FLIGHT_TEST_DATA "/conformance/expected.json"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    return QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String(file)).toObject();
}

// Compares every figure expected.json gives for a session with the report's session.
void expectSessionMatches(const QJsonObject& want, const QJsonObject& got)
{
    for (auto it = want.begin(); it != want.end(); ++it) {
        const QString key = it.key();
        const std::string where = got.value(QStringLiteral("sessionId")).toString().toStdString() + "." + key.toStdString();
        if (key == QStringLiteral("byPurpose") || key == QStringLiteral("limits")) {
            const QJsonObject w = it.value().toObject();
            const QJsonObject g = got.value(key).toObject();
            for (auto p = w.begin(); p != w.end(); ++p)
                EXPECT_EQ(g.value(p.key()).toInteger(-1), p.value().toInteger()) << where << "." << p.key().toStdString();
        } else if (key == QStringLiteral("computedPressure")) {
            EXPECT_EQ(got.value(QStringLiteral("pressure")).toObject().value(QStringLiteral("computed")).toString(),
                      it.value().toString()) << where;
        } else if (key == QStringLiteral("reportedErrors")) {
            EXPECT_EQ(got.value(key).toArray(), it.value().toArray()) << where;
        } else if (key == QStringLiteral("platform")) {
            EXPECT_EQ(got.value(key).toString(), it.value().toString()) << where;
        } else if (it.value().isBool()) {
            EXPECT_EQ(got.value(key).toBool(), it.value().toBool()) << where;
        } else if (it.value().isDouble()) {
            EXPECT_EQ(got.value(key).toInteger(-1), it.value().toInteger()) << where;
        }
        // samples / series are per-sample figures the JSON summary does not carry;
        // the core conformance test checks them through the model.
    }
}

} // namespace

class ReportConformance : public ::testing::TestWithParam<const char*> {};

TEST_P(ReportConformance, EveryFigureOfExpectedJson)
{
    const ToolRun r = report({conformance(GetParam()), QStringLiteral("--format"), QStringLiteral("json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QJsonParseError parseError;
    const QJsonObject doc = QJsonDocument::fromJson(r.out, &parseError).object();
    ASSERT_EQ(parseError.error, QJsonParseError::NoError) << parseError.errorString().toStdString();
    const QJsonObject want = expected(GetParam());

    const QJsonArray sessions = doc.value(QStringLiteral("sessions")).toArray();
    const QJsonObject wantSessions = want.value(QStringLiteral("sessions")).toObject();
    ASSERT_EQ(sessions.size(), wantSessions.size());
    for (auto it = wantSessions.begin(); it != wantSessions.end(); ++it) {
        QJsonObject got = sessions.first().toObject();
        for (const auto& s : sessions)
            if (s.toObject().value(QStringLiteral("sessionId")).toString() == it.key())
                got = s.toObject();
        expectSessionMatches(it.value().toObject(), got);
    }
    for (const char* counter : {"decodeErrors", "sessionErrors", "warnings"})
        EXPECT_EQ(doc.value(QLatin1String(counter)).toInteger(-1), want.value(QLatin1String(counter)).toInteger())
            << GetParam() << " " << counter;
    if (want.contains(QStringLiteral("decodeErrorLines"))) {
        QList<qint64> lines;
        for (const auto& e : doc.value(QStringLiteral("errors")).toArray())
            lines << e.toObject().value(QStringLiteral("line")).toInteger();
        for (const auto& line : want.value(QStringLiteral("decodeErrorLines")).toArray())
            EXPECT_TRUE(lines.contains(line.toInteger())) << "decode error on line " << line.toInteger();
        const QJsonObject codes = want.value(QStringLiteral("sessionErrorCodes")).toObject();
        for (auto it = codes.begin(); it != codes.end(); ++it)
            EXPECT_TRUE(lines.contains(it.key().toLongLong())) << "session error on line " << it.key().toStdString();
    }
}

INSTANTIATE_TEST_SUITE_P(Vectors, ReportConformance,
                         ::testing::Values("ts-camel.jsonl", "go-snake.jsonl", "wit-kebab.jsonl", "seed-flat.jsonl",
                                           "bad-input.jsonl"),
                         [](const auto& info) {
                             std::string n = info.param;
                             return n.substr(0, n.find('.')).erase(n.find('-'), 1);
                         });

TEST(ReportCommand, SeveralFilesInOneDocumentWithTheirSources)
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("r.json"));
    const ToolRun r = report({conformance("ts-camel.jsonl"), conformance("bad-input.jsonl"), QStringLiteral("-o"), out});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.isEmpty());
    QFile f(out);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonArray sessions = doc.value(QStringLiteral("sessions")).toArray();
    ASSERT_EQ(sessions.size(), 2);
    EXPECT_TRUE(sessions[0].toObject().value(QStringLiteral("source")).toString().endsWith(QStringLiteral("ts-camel.jsonl")));
    EXPECT_EQ(doc.value(QStringLiteral("decodeErrors")).toInteger(), 8);
    EXPECT_EQ(doc.value(QStringLiteral("errors")).toArray().size(), 10); // 8 decode + 2 session errors, all from bad-input
    EXPECT_TRUE(doc.value(QStringLiteral("errors")).toArray()[0].toObject().value(QStringLiteral("source"))
                    .toString().endsWith(QStringLiteral("bad-input.jsonl")));
}

TEST(ReportCommand, UnreadableFileExitsTwoWithTheReason)
{
    const ToolRun r = report({QStringLiteral("/nonexistent/x.jsonl")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("cannot read /nonexistent/x.jsonl"))) << r.err.toStdString();
    EXPECT_TRUE(r.out.isEmpty());
}

TEST(ReportCommand, UnsupportedFormatAndNoFileAreClearErrors)
{
    ToolRun r = report({conformance("ts-camel.jsonl"), QStringLiteral("--format"), QStringLiteral("yaml")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--format json"))) << r.err.toStdString();
    r = report({});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("no recording given"))) << r.err.toStdString();
    r = report({QStringLiteral("--help")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains("Exit codes"));
}
