// SPDX-License-Identifier: MIT
// The HTML, Markdown and JSON writers over the shipped sample recordings and
// the conformance vectors: the figures they print are the model's.
#include "reports/html_report.h"
#include "reports/markdown_report.h"
#include "reports/report_json.h"

#include "model/memory_size.h"
#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

using namespace flight;
using namespace flight::reports;

namespace {

struct Loaded {
    std::vector<std::unique_ptr<protocol::SessionStore>> stores;
    std::vector<protocol::SummarySource> sources;
};

Loaded load(std::initializer_list<std::string> paths)
{
    Loaded l;
    for (const std::string& p : paths) {
        auto store = std::make_unique<protocol::SessionStore>();
        protocol::loadRecording(p, *store);
        l.sources.push_back({p, store.get()});
        l.stores.push_back(std::move(store));
    }
    return l;
}

const std::string kSamples = FLIGHT_SOURCE_DIR "/resources/recordings/";
const std::string kVectors = FLIGHT_TEST_DATA "/conformance/";

std::size_t count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size()))
        ++n;
    return n;
}

} // namespace

TEST(HtmlReport, SelfContainedWithEveryFigure)
{
    const Loaded in = load({kSamples + "v6r-small.jsonl.zst", kSamples + "psp.jsonl.zst"});
    const ReportData data = collectReport(in.sources, {});
    ASSERT_EQ(data.sessions.size(), 2u);
    const std::string html = htmlReport(data);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("href="), std::string::npos);
    EXPECT_NE(html.find("@media print"), std::string::npos);
    for (const SessionReport& r : data.sessions) {
        EXPECT_NE(html.find(formatBytes(r.model->peakBytes())), std::string::npos) << r.sessionId;
        EXPECT_NE(html.find(formatBytes(r.averageBytes)), std::string::npos) << r.sessionId;
        EXPECT_NE(html.find(formatBytes(r.p95Bytes)), std::string::npos) << r.sessionId;
    }
    EXPECT_EQ(count(html, "<svg "), 2u * 4u); // timeline, pressure, purposes, budget per session
    EXPECT_EQ(count(html, "<section class=\"session\">"), 2u);
}

TEST(MarkdownReport, OneRowPerSessionAndNoLinks)
{
    const Loaded in = load({kSamples + "v6r-small.jsonl.zst", kSamples + "vita.jsonl.zst", kVectors + "bad-input.jsonl"});
    const ReportData data = collectReport(in.sources, {});
    const std::string md = markdownReport(data);
    EXPECT_EQ(md.rfind("# Flight memory report\n", 0), 0u);
    // The overview table: header, separator, one row per session.
    const auto start = md.find("| source | session |");
    ASSERT_NE(start, std::string::npos);
    const auto end = md.find("\n\n", start);
    EXPECT_EQ(count(md.substr(start, end - start), "\n"), 1u + data.sessions.size());
    EXPECT_EQ(md.find("]("), std::string::npos);
    EXPECT_NE(md.find("## Decode problems\n\n" + std::to_string(data.decodeErrors) + " decode error(s)"), std::string::npos);
    EXPECT_GT(data.decodeErrors, 0u);
}

// A budget whose total fits but one purpose does not says which and by how much,
// in every writer, with the verdict's own figure.
TEST(ReportBudgets, OverInNamesEachPurposeOverItsBudgetAndByHowMuch)
{
    const Loaded in = load({kSamples + "psp.jsonl.zst"});
    const ReportData data = collectReport(in.sources, {});
    ASSERT_EQ(data.sessions.size(), 1u);
    const VerdictFigures* psp = nullptr;
    for (const VerdictFigures& v : data.sessions[0].verdicts)
        if (v.budget.platform == "psp")
            psp = &v;
    ASSERT_NE(psp, nullptr);
    ASSERT_FALSE(psp->verdict.fits);
    // the shipped PSP sample peaks at 62.7MB of 64MB, with 44.3MB of asset-cache
    // (budget 24MB) and 3.8MB of component-stack (budget 2MB)
    std::vector<std::pair<std::int64_t, std::string>> over;
    for (const PurposeVerdict& p : psp->verdict.purposes)
        if (!p.fits)
            over.emplace_back(p.headroomBytes, std::string(p.purpose.name()) + " by " +
                                                   formatBytes(static_cast<std::uint64_t>(-p.headroomBytes)));
    ASSERT_EQ(over.size(), 2u);
    std::sort(over.begin(), over.end());
    const std::string expected = over[0].second + ", " + over[1].second;
    EXPECT_EQ(expected, "asset-cache by 20.3MB, component-stack by 1.8MB");
    EXPECT_EQ(overInText(psp->verdict), expected);
    EXPECT_EQ(overInText(psp->verdict, 1), over[0].second + " (+1 more)");
    EXPECT_NE(htmlReport(data).find("<td>" + expected + "</td>"), std::string::npos) << expected;
    EXPECT_NE(markdownReport(data).find("| " + expected + " |"), std::string::npos) << expected;
}

TEST(ReportJson, KeepsEverySummaryFieldAndValue)
{
    for (const char* vector : {"ts-camel.jsonl", "go-snake.jsonl", "wit-kebab.jsonl", "seed-flat.jsonl", "bad-input.jsonl"}) {
        const Loaded in = load({kVectors + vector});
        const QJsonObject summary =
            QJsonDocument::fromJson(QByteArray::fromStdString(protocol::summaryJson(in.sources))).object();
        const QJsonObject report = QJsonDocument::fromJson(
            QByteArray::fromStdString(reportJson(collectReport(in.sources, {}), in.sources))).object();
        for (auto it = summary.begin(); it != summary.end(); ++it) {
            if (it.key() == QStringLiteral("sessions") || it.key() == QStringLiteral("errors"))
                continue;
            EXPECT_EQ(report.value(it.key()), it.value()) << vector << " " << it.key().toStdString();
        }
        const QJsonArray a = summary.value(QStringLiteral("sessions")).toArray();
        const QJsonArray b = report.value(QStringLiteral("sessions")).toArray();
        ASSERT_EQ(a.size(), b.size()) << vector;
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QJsonObject s = a[i].toObject();
            for (auto it = s.begin(); it != s.end(); ++it)
                EXPECT_EQ(b[i].toObject().value(it.key()), it.value()) << vector << " " << it.key().toStdString();
        }
        const QJsonArray ea = summary.value(QStringLiteral("errors")).toArray();
        const QJsonArray eb = report.value(QStringLiteral("errors")).toArray();
        ASSERT_EQ(ea.size(), eb.size()) << vector;
        for (qsizetype i = 0; i < ea.size(); ++i) {
            EXPECT_EQ(ea[i].toObject().value(QStringLiteral("line")), eb[i].toObject().value(QStringLiteral("line")));
            EXPECT_EQ(ea[i].toObject().value(QStringLiteral("message")), eb[i].toObject().value(QStringLiteral("message")));
        }
    }
}
