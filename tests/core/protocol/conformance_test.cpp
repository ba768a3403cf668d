// SPDX-License-Identifier: MIT
// Every figure of tests/data/conformance/expected.json, through the reader,
// the decoder, the store and the model. Keys the test does not know fail it,
// so a figure added to expected.json cannot go unchecked.

#include "protocol/session_store.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <set>

using namespace flight;
using namespace flight::protocol;

namespace {

const QString kDir = QStringLiteral(FLIGHT_TEST_DATA "/conformance/");

QJsonObject expected()
{
    QFile f(kDir + "expected.json");
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    const auto doc = QJsonDocument::fromJson(f.readAll());
    EXPECT_TRUE(doc.isObject());
    return doc.object();
}

std::uint64_t u64(const QJsonValue& v) { return static_cast<std::uint64_t>(v.toDouble()); }

MemoryPurpose purposeNamed(const QString& name) { return MemoryPurpose::fromName(name.toStdString()); }

void checkSession(const SessionStore& store, const SessionModel& s, const QJsonObject& e)
{
    const MemoryStats stats = MemoryAnalytics(s).calculateMemoryStats();
    for (auto it = e.begin(); it != e.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        SCOPED_TRACE(key.toStdString());
        if (key == "platform") EXPECT_EQ(s.info().platform, v.toString().toStdString());
        else if (key == "totalBytes") EXPECT_EQ(s.info().totalBytes, u64(v));
        else if (key == "usedBytes") EXPECT_EQ(s.usedBytes(), u64(v));
        else if (key == "peakBytes") EXPECT_EQ(s.peakBytes(), u64(v));
        else if (key == "activeAllocations") EXPECT_EQ(stats.activeAllocations, u64(v));
        else if (key == "totalAllocations") EXPECT_EQ(stats.totalAllocations, u64(v));
        else if (key == "freedAllocations") EXPECT_EQ(stats.freedAllocations, u64(v));
        else if (key == "byPurpose") {
            const auto obj = v.toObject();
            std::int64_t sum = 0;
            for (auto p = obj.begin(); p != obj.end(); ++p) {
                EXPECT_EQ(s.usage()[purposeNamed(p.key())], static_cast<std::int64_t>(p.value().toDouble())) << p.key().toStdString();
                sum += static_cast<std::int64_t>(p.value().toDouble());
            }
            EXPECT_EQ(s.usage().total(), sum); // nothing outside the listed purposes
            EXPECT_EQ(stats.byPurpose, s.usage());
        } else if (key == "limits") {
            const auto l = s.limits();
            ASSERT_TRUE(l.has_value());
            const auto obj = v.toObject();
            EXPECT_EQ(obj.size(), 5);
            EXPECT_EQ(l->heapMax.bytes, u64(obj["heapMax"]));
            EXPECT_EQ(l->stackMax.bytes, u64(obj["stackMax"]));
            EXPECT_EQ(l->cacheMax.bytes, u64(obj["cacheMax"]));
            EXPECT_EQ(l->softLimit.bytes, u64(obj["softLimit"]));
            EXPECT_EQ(l->hardLimit.bytes, u64(obj["hardLimit"]));
        } else if (key == "softLimitExceeded") EXPECT_EQ(s.softLimitExceeded(), v.toBool());
        else if (key == "hardLimitExceeded") EXPECT_EQ(s.hardLimitExceeded(), v.toBool());
        else if (key == "computedPressure") EXPECT_EQ(toString(s.pressure()), v.toString().toStdString());
        else if (key == "reportedErrors") {
            std::vector<std::string> codes;
            for (auto c : s.reportedErrorCodes())
                codes.emplace_back(toString(c));
            std::vector<std::string> want;
            for (const auto& c : v.toArray())
                want.push_back(c.toString().toStdString());
            EXPECT_EQ(codes, want);
        } else if (key == "markers") EXPECT_EQ(s.markers().size(), u64(v));
        else if (key == "firstMs") EXPECT_EQ(s.firstMs(), static_cast<std::int64_t>(v.toDouble()));
        else if (key == "lastMs") EXPECT_EQ(s.lastMs(), static_cast<std::int64_t>(v.toDouble()));
        else if (key == "samples") EXPECT_EQ(s.samples().size(), u64(v));
        else if (key == "usedSeries") {
            const auto arr = v.toArray();
            ASSERT_EQ(s.samples().size(), static_cast<std::size_t>(arr.size()));
            for (qsizetype i = 0; i < arr.size(); ++i) {
                EXPECT_EQ(s.samples()[static_cast<std::size_t>(i)].usedBytes, u64(arr[i])) << i;
                EXPECT_EQ(s.usedAt(s.samples()[static_cast<std::size_t>(i)].timeMs), u64(arr[i])) << i;
            }
        } else if (key == "reportedPressureSeries") {
            const auto arr = v.toArray();
            ASSERT_EQ(s.samples().size(), static_cast<std::size_t>(arr.size()));
            for (qsizetype i = 0; i < arr.size(); ++i) {
                const auto& rp = s.samples()[static_cast<std::size_t>(i)].reportedPressure;
                ASSERT_TRUE(rp.has_value()) << i;
                EXPECT_EQ(toString(*rp), arr[i].toString().toStdString()) << i;
            }
        } else if (key == "computedPressureSeries") {
            const auto arr = v.toArray();
            ASSERT_EQ(s.samples().size(), static_cast<std::size_t>(arr.size()));
            for (qsizetype i = 0; i < arr.size(); ++i) {
                const auto& smp = s.samples()[static_cast<std::size_t>(i)];
                EXPECT_EQ(toString(s.pressureAt(smp.timeMs)), arr[i].toString().toStdString()) << i;
                EXPECT_EQ(toString(computePressure(smp.usedBytes, smp.totalBytes, s.info().thresholds)),
                          arr[i].toString().toStdString()) << i;
            }
        } else {
            ADD_FAILURE() << "figure not checked: " << key.toStdString();
        }
    }
    (void)store;
}

void checkFile(const QString& file, const QJsonObject& e)
{
    SCOPED_TRACE(file.toStdString());
    SessionStore store;
    const auto read = loadRecording((kDir + file).toStdString(), store);
    ASSERT_FALSE(read.ioError.has_value());
    EXPECT_FALSE(read.endedMidLine);

    std::vector<std::uint64_t> decodeLines, warningLines;
    std::map<std::uint64_t, std::string> sessionCodes, warningTexts;
    for (const auto& p : store.problems()) {
        if (p.kind == ProblemKind::DecodeError)
            decodeLines.push_back(p.line);
        else if (p.kind == ProblemKind::SessionError) {
            ASSERT_TRUE(p.code.has_value());
            if (!sessionCodes.contains(p.line))
                sessionCodes[p.line] = std::string(toString(*p.code));
        } else if (p.kind == ProblemKind::Warning) {
            warningLines.push_back(p.line);
            warningTexts[p.line] = p.message;
        }
        EXPECT_EQ(p.message.rfind("line " + std::to_string(p.line) + ": ", 0), 0u) << p.message;
    }

    for (auto it = e.begin(); it != e.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        SCOPED_TRACE(key.toStdString());
        if (key == "sessions") {
            const auto sessions = v.toObject();
            EXPECT_EQ(store.sessionCount(), static_cast<std::size_t>(sessions.size()));
            for (auto s = sessions.begin(); s != sessions.end(); ++s) {
                SCOPED_TRACE(s.key().toStdString());
                const SessionModel* model = nullptr;
                if (s.key().startsWith('(')) { // "(the one implicit session)"
                    ASSERT_EQ(store.sessionCount(), 1u);
                    model = &store.session(0);
                    EXPECT_EQ(model->info().sessionId, kImplicitSessionId);
                } else {
                    model = store.find(s.key().toStdString());
                }
                ASSERT_NE(model, nullptr);
                checkSession(store, *model, s.value().toObject());
            }
        } else if (key == "decodeErrors") EXPECT_EQ(store.decodeErrors(), u64(v));
        else if (key == "decodeErrorLines") {
            std::vector<std::uint64_t> want;
            for (const auto& l : v.toArray())
                want.push_back(u64(l));
            EXPECT_EQ(decodeLines, want);
        } else if (key == "sessionErrors") EXPECT_EQ(store.sessionErrors(), u64(v));
        else if (key == "sessionErrorCodes") {
            std::map<std::uint64_t, std::string> want;
            const auto obj = v.toObject();
            for (auto c = obj.begin(); c != obj.end(); ++c)
                want[c.key().toULongLong()] = c.value().toString().toStdString();
            EXPECT_EQ(sessionCodes, want);
        } else if (key == "warnings") EXPECT_EQ(store.warnings(), u64(v));
        else if (key == "warningLines") {
            const auto obj = v.toObject();
            EXPECT_EQ(warningTexts.size(), static_cast<std::size_t>(obj.size()));
            for (auto w = obj.begin(); w != obj.end(); ++w) {
                const auto line = w.key().toULongLong();
                ASSERT_TRUE(warningTexts.contains(line)) << line;
                EXPECT_NE(warningTexts[line].find(w.value().toString().toStdString()), std::string::npos)
                    << warningTexts[line];
            }
        } else if (key == "blankLines") {
            // "line 16 is empty: ignored, neither error nor warning"
            const auto line = v.toString().section(' ', 1, 1).toULongLong();
            ASSERT_GT(line, 0u);
            for (const auto& p : store.problems())
                EXPECT_NE(p.line, line) << p.message;
        } else {
            ADD_FAILURE() << "figure not checked: " << key.toStdString();
        }
    }
}

} // namespace

TEST(Conformance, EveryFileOfExpectedJson)
{
    const QJsonObject all = expected();
    std::set<std::string> files;
    for (auto it = all.begin(); it != all.end(); ++it) {
        if (it.key() == "about")
            continue;
        files.insert(it.key().toStdString());
        checkFile(it.key(), it.value().toObject());
    }
    EXPECT_EQ(files, (std::set<std::string>{"bad-input.jsonl", "go-snake.jsonl", "seed-flat.jsonl", "ts-camel.jsonl",
                                            "wit-kebab.jsonl"}));
}

// The same figures with the files compressed (reader's zstd path) are covered by
// SessionStore.ConformanceFilesThroughZstd in session_store_test.cpp.
