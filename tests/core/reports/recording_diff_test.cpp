// SPDX-License-Identifier: MIT
// `flight-inspector diff`'s figures on synthetic sessions: peak, average, end
// and allocation counts per purpose, changes, verdicts, pairing and growth.
#include "reports/recording_diff.h"
#include "reports/recording_diff_writers.h"

#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <string>

using namespace flight;
using namespace flight::reports;

namespace {

constexpr std::int64_t MB = 1 << 20;

// A psp session: vm-heap 1MB at 0, asset-cache `assetMb` from 1000 to 3000,
// optionally 1MB of temporary at 2000 (never freed), system-reserved 1MB at 4000.
SessionModel pspSession(const std::string& id, std::uint64_t assetMb, bool temporary)
{
    SessionModel m(SessionInfo{id, "psp", "", 64 * MB, {}, 0});
    EXPECT_TRUE(m.recordAllocation("heap", MB, StandardPurpose::VmHeap, 0).has_value());
    EXPECT_TRUE(m.recordAllocation("tex", assetMb * MB, StandardPurpose::AssetCache, 1000).has_value());
    if (temporary) {
        EXPECT_TRUE(m.recordAllocation("tmp", MB, StandardPurpose::Temporary, 2000).has_value());
    }
    EXPECT_TRUE(m.recordFree("tex", 3000).has_value());
    EXPECT_TRUE(m.recordAllocation("sys", MB, StandardPurpose::SystemReserved, 4000).has_value());
    return m;
}

const PurposeDiff* find(const SessionDiff& d, StandardPurpose p)
{
    for (const PurposeDiff& x : d.purposes)
        if (x.purpose == MemoryPurpose(p))
            return &x;
    return nullptr;
}

// A store holding one session per id (psp, 1MB of vm-heap each; `heapMb` for all).
std::unique_ptr<protocol::SessionStore> store(std::initializer_list<const char*> ids, int heapMb = 1)
{
    auto s = std::make_unique<protocol::SessionStore>();
    std::uint64_t line = 0;
    for (const char* id : ids) {
        const std::string sid(id);
        s->ingest(R"({"type":"session_started","sessionId":")" + sid +
                      R"(","platform":"psp","timestamp":1764000000000})",
                  ++line);
        s->ingest(R"({"type":"allocation","allocation":{"id":"h-)" + sid + R"(","sessionId":")" + sid +
                      R"(","size":{"bytes":)" + std::to_string(heapMb * MB) +
                      R"(},"purpose":"vm-heap","allocatedAt":1764000000100}})",
                  ++line);
    }
    EXPECT_EQ(s->decodeErrors(), 0u);
    EXPECT_EQ(s->sessionCount(), ids.size());
    return s;
}

} // namespace

TEST(RecordingDiff, FiguresByPurpose)
{
    const SessionModel a = pspSession("s-1", 10, false);
    const SessionModel b = pspSession("s-1", 30, true);
    const DiffSessionFigures fa = diffSessionFigures(a, "a.jsonl");
    EXPECT_EQ(fa.source, "a.jsonl");
    EXPECT_EQ(fa.peak[StandardPurpose::AssetCache], 10 * MB);
    EXPECT_EQ(fa.average[StandardPurpose::AssetCache], 5 * MB); // held half of 0..4000
    EXPECT_EQ(fa.end[StandardPurpose::AssetCache], 0);
    EXPECT_EQ(fa.end[StandardPurpose::VmHeap], MB);
    EXPECT_EQ(fa.allocationCounts[StandardPurpose::AssetCache], 1);
    EXPECT_EQ(fa.allocations, 3u);
    EXPECT_EQ(fa.peakBytes, static_cast<std::uint64_t>(11 * MB));
    EXPECT_EQ(fa.endBytes, static_cast<std::uint64_t>(2 * MB));

    const SessionDiff d = diffSessions(fa, diffSessionFigures(b, "b.jsonl"), DiffPairing::SessionId);
    ASSERT_TRUE(d.paired());
    EXPECT_EQ(d.peakChange[StandardPurpose::AssetCache], 20 * MB);
    EXPECT_EQ(d.averageChange[StandardPurpose::AssetCache], 10 * MB);
    EXPECT_EQ(d.allocationsChange[StandardPurpose::Temporary], 1);
    EXPECT_EQ(d.peak.before, 11 * MB);
    EXPECT_EQ(d.peak.after, 32 * MB);
    EXPECT_EQ(d.peak.change, 21 * MB);
    EXPECT_EQ(d.allocations.change, 1);
    EXPECT_EQ(d.end.change, MB); // the temporary is never freed

    ASSERT_EQ(d.purposes.size(), 4u); // vm-heap, asset-cache, system-reserved, temporary
    const PurposeDiff* asset = find(d, StandardPurpose::AssetCache);
    ASSERT_NE(asset, nullptr);
    EXPECT_EQ(asset->peak.before, 10 * MB);
    EXPECT_EQ(asset->peak.after, 30 * MB);
    ASSERT_TRUE(asset->peak.percent.has_value());
    EXPECT_DOUBLE_EQ(*asset->peak.percent, 200.0);
    EXPECT_EQ(asset->average.after, 15 * MB);
    EXPECT_EQ(asset->end.change, 0);
    const PurposeDiff* temp = find(d, StandardPurpose::Temporary);
    ASSERT_NE(temp, nullptr);
    EXPECT_EQ(temp->peak.before, 0);
    EXPECT_EQ(temp->peak.after, MB);
    EXPECT_FALSE(temp->peak.percent.has_value());
    EXPECT_EQ(temp->allocations.after, 1);
    const PurposeDiff* heap = find(d, StandardPurpose::VmHeap);
    ASSERT_NE(heap, nullptr);
    EXPECT_EQ(heap->peak.change, 0);
    EXPECT_DOUBLE_EQ(heap->peak.percent.value_or(-1), 0.0);

    // Shipped PSP budget at peak: asset-cache 24MB. 10MB fits, 30MB does not.
    ASSERT_TRUE(d.a->verdict && d.a->budget);
    ASSERT_TRUE(d.b->verdict && d.b->budget);
    EXPECT_EQ(d.a->budget->name, "PSP (default)");
    EXPECT_TRUE(d.a->verdict->fits);
    EXPECT_FALSE(d.b->verdict->fits);
    EXPECT_EQ(d.b->verdict->usedBytes, static_cast<std::uint64_t>(32 * MB));
}

TEST(RecordingDiff, NoShippedBudgetForCustomPlatform)
{
    SessionModel m(SessionInfo{"c", "my-board", "", 0, {}, 0});
    EXPECT_TRUE(m.recordAllocation("x", 100, StandardPurpose::VmHeap, 0).has_value());
    const DiffSessionFigures f = diffSessionFigures(m);
    EXPECT_FALSE(f.budget.has_value());
    EXPECT_FALSE(f.verdict.has_value());
}

TEST(RecordingDiff, PeakGrowthThreshold)
{
    RecordingDiff diff;
    diff.sessions.push_back(diffSessions(diffSessionFigures(pspSession("s-1", 10, false)),
                                         diffSessionFigures(pspSession("s-1", 30, true)), DiffPairing::SessionId));
    auto grown = peakGrowth(diff, 199);
    ASSERT_EQ(grown.size(), 2u); // asset-cache +200 %, temporary from 0
    EXPECT_EQ(grown[0].purpose, MemoryPurpose(StandardPurpose::AssetCache));
    EXPECT_EQ(grown[1].purpose, MemoryPurpose(StandardPurpose::Temporary));
    EXPECT_EQ(grown[0].sessionId, "s-1");
    grown = peakGrowth(diff, 200); // exactly 200 % is not more than 200 %
    ASSERT_EQ(grown.size(), 1u);
    EXPECT_EQ(grown[0].purpose, MemoryPurpose(StandardPurpose::Temporary));

    // Shrinking never fails; a session alone never fails.
    RecordingDiff back;
    back.sessions.push_back(diffSessions(diffSessionFigures(pspSession("s-1", 30, false)),
                                         diffSessionFigures(pspSession("s-1", 10, false)), DiffPairing::SessionId));
    back.sessions.push_back(diffSessions(std::nullopt, diffSessionFigures(pspSession("s-2", 30, true)),
                                         DiffPairing::OnlyInB));
    EXPECT_TRUE(peakGrowth(back, 0).empty());
}

TEST(RecordingDiff, PairsBySessionIdThenOrder)
{
    auto a = store({"x", "y", "w"});
    auto b = store({"y", "z"}, 2);
    const protocol::SummarySource sa[] = {{"a.jsonl", a.get()}};
    const protocol::SummarySource sb[] = {{"b.jsonl", b.get()}};
    const RecordingDiff d = diffRecordings(sa, sb);
    EXPECT_EQ(d.inputsA, std::vector<std::string>{"a.jsonl"});
    EXPECT_EQ(d.inputsB, std::vector<std::string>{"b.jsonl"});
    ASSERT_EQ(d.sessions.size(), 3u);
    // x (no "x" in B) takes the first session of B left over: z.
    EXPECT_EQ(d.sessions[0].pairing, DiffPairing::Order);
    EXPECT_EQ(d.sessions[0].a->sessionId, "x");
    EXPECT_EQ(d.sessions[0].b->sessionId, "z");
    EXPECT_EQ(d.sessions[1].pairing, DiffPairing::SessionId);
    EXPECT_EQ(d.sessions[1].a->sessionId, "y");
    EXPECT_EQ(d.sessions[1].b->sessionId, "y");
    EXPECT_EQ(d.sessions[1].peakChange[StandardPurpose::VmHeap], MB);
    EXPECT_EQ(d.sessions[2].pairing, DiffPairing::OnlyInA);
    EXPECT_EQ(d.sessions[2].a->sessionId, "w");
    EXPECT_FALSE(d.sessions[2].b.has_value());
    EXPECT_EQ(d.sessions[2].peakChange[StandardPurpose::VmHeap], -MB); // vs nothing

    // More sessions in B: the extra one is only in B.
    const RecordingDiff r = diffRecordings(sb, sa);
    ASSERT_EQ(r.sessions.size(), 3u);
    EXPECT_EQ(r.sessions[0].pairing, DiffPairing::SessionId); // y
    EXPECT_EQ(r.sessions[1].pairing, DiffPairing::Order);     // z -> x
    EXPECT_EQ(r.sessions[1].b->sessionId, "x");
    EXPECT_EQ(r.sessions[2].pairing, DiffPairing::OnlyInB);
    EXPECT_EQ(r.sessions[2].b->sessionId, "w");
}

TEST(RecordingDiff, Writers)
{
    RecordingDiff diff;
    diff.inputsA = {"a.jsonl"};
    diff.inputsB = {"b.jsonl"};
    diff.sessions.push_back(diffSessions(diffSessionFigures(pspSession("s-1", 10, false), "a.jsonl"),
                                         diffSessionFigures(pspSession("s-1", 30, true), "b.jsonl"),
                                         DiffPairing::SessionId));

    const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(diffJson(diff, 10.0))).object();
    EXPECT_EQ(doc.value(QStringLiteral("format")).toString(), QStringLiteral("flight-inspector-diff/1"));
    EXPECT_TRUE(doc.value(QStringLiteral("failed")).toBool());
    EXPECT_EQ(doc.value(QStringLiteral("peakGrowth")).toArray().size(), 2);
    const QJsonObject s = doc.value(QStringLiteral("sessions")).toArray()[0].toObject();
    EXPECT_EQ(s.value(QStringLiteral("pairing")).toString(), QStringLiteral("sessionId"));
    EXPECT_EQ(s.value(QStringLiteral("peakBytes")).toObject().value(QStringLiteral("change")).toInteger(), 21 * MB);
    EXPECT_FALSE(s.value(QStringLiteral("b")).toObject().value(QStringLiteral("budget")).toObject()
                     .value(QStringLiteral("fits")).toBool());
    bool sawAsset = false;
    for (const auto& v : s.value(QStringLiteral("purposes")).toArray()) {
        const QJsonObject p = v.toObject();
        if (p.value(QStringLiteral("purpose")).toString() == QStringLiteral("asset-cache")) {
            sawAsset = true;
            const QJsonObject peak = p.value(QStringLiteral("peakBytes")).toObject();
            EXPECT_EQ(peak.value(QStringLiteral("before")).toInteger(), 10 * MB);
            EXPECT_EQ(peak.value(QStringLiteral("after")).toInteger(), 30 * MB);
            EXPECT_DOUBLE_EQ(peak.value(QStringLiteral("percent")).toDouble(), 200.0);
        }
        if (p.value(QStringLiteral("purpose")).toString() == QStringLiteral("temporary")) {
            EXPECT_TRUE(p.value(QStringLiteral("peakBytes")).toObject().value(QStringLiteral("percent")).isNull());
        }
    }
    EXPECT_TRUE(sawAsset);

    const std::string text = diffText(diff, 10.0);
    EXPECT_NE(text.find("paired by session id"), std::string::npos) << text;
    EXPECT_NE(text.find("+200.0 %"), std::string::npos) << text;
    EXPECT_NE(text.find("Peak grew by more than 10 %"), std::string::npos) << text;
    const std::string md = diffMarkdown(diff);
    EXPECT_NE(md.find("| asset-cache | 10.0MB | 30.0MB |"), std::string::npos) << md;
    const std::string html = diffHtml(diff);
    EXPECT_NE(html.find("<table>"), std::string::npos);
    EXPECT_NE(html.find("num grew"), std::string::npos);
}
