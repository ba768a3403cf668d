// SPDX-License-Identifier: MIT
#include "protocol/summary_json.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace flight;
using namespace flight::protocol;

namespace {
QJsonObject parse(const std::string& json)
{
    QJsonParseError err;
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &err);
    EXPECT_EQ(err.error, QJsonParseError::NoError) << json;
    return doc.object();
}
} // namespace

TEST(SummaryJson, BadInputFigures)
{
    SessionStore store;
    loadRecording(FLIGHT_TEST_DATA "/conformance/bad-input.jsonl", store);
    for (bool pretty : {false, true}) {
        const QJsonObject o = parse(summaryJson(store, pretty));
        EXPECT_EQ(o["decodeErrors"].toInt(), 8);
        EXPECT_EQ(o["sessionErrors"].toInt(), 2);
        EXPECT_EQ(o["warnings"].toInt(), 2);
        const auto errors = o["errors"].toArray();
        ASSERT_EQ(errors.size(), 10);
        std::vector<int> lines;
        for (const auto& e : errors)
            lines.push_back(e.toObject()["line"].toInt());
        EXPECT_EQ(lines, (std::vector<int>{2, 4, 5, 6, 7, 8, 10, 13, 14, 15}));
        EXPECT_TRUE(errors[0].toObject()["message"].toString().startsWith("line 2: not JSON"));
        const auto sessions = o["sessions"].toArray();
        ASSERT_EQ(sessions.size(), 1);
        const auto s = sessions[0].toObject();
        EXPECT_EQ(s["sessionId"].toString(), "vm-bad");
        EXPECT_EQ(s["platform"].toString(), "psp");
        EXPECT_EQ(s["totalBytes"].toDouble(), 67108864.0);
        EXPECT_EQ(s["usedBytes"].toDouble(), 3147776.0);
        EXPECT_EQ(s["trackedBytes"].toDouble(), 3147776.0);
        EXPECT_EQ(s["activeAllocations"].toInt(), 2);
        const auto bp = s["byPurpose"].toObject();
        EXPECT_EQ(bp.size(), 3);
        EXPECT_EQ(bp["network-buffers"].toDouble(), 3145728.0);
        EXPECT_EQ(bp["shader-cache"].toDouble(), 2048.0);
        EXPECT_EQ(bp["temporary"].toDouble(), 0.0);
        EXPECT_EQ(s["pressure"].toObject()["computed"].toString(), "low");
        EXPECT_TRUE(s["pressure"].toObject()["reported"].isNull());
        EXPECT_TRUE(s["limits"].isNull());
        EXPECT_FALSE(s["softLimitExceeded"].toBool());
        EXPECT_EQ(s["reportedErrors"].toArray().size(), 0);
        EXPECT_EQ(s["markers"].toInt(), 0);
    }
}

TEST(SummaryJson, GoSnakeLimitsAndReportedErrors)
{
    SessionStore store;
    loadRecording(FLIGHT_TEST_DATA "/conformance/go-snake.jsonl", store);
    const QJsonObject s = parse(summaryJson(store))["sessions"].toArray()[0].toObject();
    EXPECT_EQ(s["sessionId"].toString(), "vm-go");
    EXPECT_EQ(s["limits"].toObject()["hardLimit"].toDouble(), 966367641.0);
    EXPECT_EQ(s["limits"].toObject()["softLimit"].toDouble(), 858993459.0);
    EXPECT_TRUE(s["softLimitExceeded"].toBool());
    EXPECT_FALSE(s["hardLimitExceeded"].toBool());
    EXPECT_EQ(s["reportedErrors"].toArray(), QJsonArray{"limit-exceeded"});
    EXPECT_EQ(s["firstMs"].toDouble(), 1764000000000.0);
    EXPECT_EQ(s["lastMs"].toDouble(), 1764000004000.0);
    EXPECT_EQ(s["pressure"].toObject()["computed"].toString(), "medium");
}

TEST(SummaryJson, EscapesStrings)
{
    SessionStore store;
    store.ingest(R"({"type":"session_started","sessionId":"we\"ird\\id\u0001","platform":"psp","timestamp":1764000000000})", 1);
    store.ingest("{oops", 2);
    const std::string json = summaryJson(store);
    EXPECT_NE(json.find(R"("sessionId":"we\"ird\\id\u0001")"), std::string::npos) << json;
    const QJsonObject o = parse(json);
    EXPECT_EQ(o["sessions"].toArray()[0].toObject()["sessionId"].toString(), QString("we\"ird\\id\x01"));
    EXPECT_EQ(o["errors"].toArray().size(), 1);
}

TEST(SummaryJson, EmptyStore)
{
    SessionStore store;
    EXPECT_EQ(summaryJson(store), R"({"sessions":[],"decodeErrors":0,"sessionErrors":0,"warnings":0,"errors":[]})");
}
