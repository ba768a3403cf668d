// SPDX-License-Identifier: MIT
#include "generator/workload_recording.h"
#include "protocol/message_encoder.h"
#include "protocol/recording_writer.h"
#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include "model/custom_purpose_limit.h"

#include "scratch_files.h"
#include "model/memory_analytics.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <zstd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <fstream>
#include <regex>
#include <sstream>

#include <unistd.h>

using namespace flight;
using namespace flight::protocol;
namespace fs = std::filesystem;

namespace {

using test::readFile;
using test::writeFile;

void feed(SessionStore& store, std::initializer_list<std::string_view> lines)
{
    std::uint64_t n = 0;
    for (auto l : lines)
        store.ingest(l, ++n);
}

} // namespace

TEST(SessionStore, SessionsByIdAndPlatformDefaults)
{
    SessionStore store;
    feed(store, {
        R"({"type":"session_started","sessionId":"a","platform":"dreamcast","timestamp":1764000000000})",
        R"({"type":"session_started","sessionId":"b","platform":"v6r-large","total":"4GB","timestamp":1764000000000})",
        R"({"type":"allocation","allocation":{"id":"x","sessionId":"a","size":"1MB","purpose":"vm-heap","allocatedAt":1764000000001}})",
        R"({"type":"allocation","allocation":{"id":"x","size":"2MB","purpose":"vm-heap","allocatedAt":1764000000001},"sessionId":"b"})",
        R"({"type":"marker","sessionId":"c","timestamp":1764000000002,"label":"implicit c"})",
    });
    ASSERT_EQ(store.sessionCount(), 3u);
    ASSERT_NE(store.find("a"), nullptr);
    EXPECT_EQ(store.find("a")->info().totalBytes, 16777216u);
    EXPECT_EQ(store.find("a")->info().platform, "dreamcast");
    EXPECT_EQ(store.find("a")->usedBytes(), 1048576u);
    EXPECT_EQ(store.find("b")->info().totalBytes, 4294967296u);
    EXPECT_EQ(store.find("b")->usedBytes(), 2097152u);
    EXPECT_EQ(store.find("c")->markers().size(), 1u);
    EXPECT_EQ(store.session(2).info().sessionId, "c");
    EXPECT_EQ(store.decodeErrors(), 0u);
    EXPECT_EQ(store.sessionErrors(), 0u);
    EXPECT_EQ(store.messagesApplied(), 5u);
}

TEST(SessionStore, MessagesWithoutSessionIdGoToTheOnlySession)
{
    SessionStore store;
    feed(store, {
        R"({"type":"session_started","sessionId":"only","platform":"psp","timestamp":1764000000000})",
        R"({"success":false,"error":{"code":4,"message":"freed twice","timestamp":1764000001}})",
        R"({"type":"memory_update","timestamp":1764000000500,"usage":"32MB","pressure":"low"})",
    });
    ASSERT_EQ(store.sessionCount(), 1u);
    const SessionModel& s = store.session(0);
    EXPECT_EQ(s.reportedErrorCodes(), std::vector<MemoryErrorCode>{MemoryErrorCode::AlreadyFreed});
    EXPECT_EQ(s.samples().size(), 1u);
    EXPECT_EQ(s.usedBytes(), 33554432u);
    EXPECT_EQ(s.pressure(), MemoryPressure::Low); // 32 of 64 MB
    EXPECT_EQ(store.sessionErrors(), 1u);
    ASSERT_EQ(store.problems().size(), 1u);
    EXPECT_EQ(store.problems()[0].line, 2u);
    EXPECT_EQ(store.problems()[0].code, MemoryErrorCode::AlreadyFreed);
}

TEST(SessionStore, SeqDuplicatesDroppedGapsCounted)
{
    SessionStore store;
    feed(store, {
        R"({"type":"session_started","sessionId":"s","platform":"psp","timestamp":1764000000000,"seq":1})",
        R"({"type":"allocation","allocation":{"id":"a1","sessionId":"s","size":100,"purpose":0,"allocatedAt":1764000000001},"seq":2})",
        R"({"type":"allocation","allocation":{"id":"a1","sessionId":"s","size":100,"purpose":0,"allocatedAt":1764000000001},"seq":2})",
        R"({"type":"allocation","allocation":{"id":"a2","sessionId":"s","size":100,"purpose":0,"allocatedAt":1764000000002},"seq":6})",
        R"({"type":"free","sessionId":"s","allocationId":"a1","freedAt":1764000000003,"seq":3})",
        R"({"type":"free","sessionId":"s","allocationId":"a1","freedAt":1764000000004,"seq":7})",
    });
    const SessionModel& s = *store.find("s");
    // Only the replayed seq 2 repeats. The late seq 3 was never received: it
    // is applied (out of order) and comes off the gap (protocol/seq_tracker.h).
    EXPECT_EQ(store.duplicatesDropped(), 1u);
    EXPECT_EQ(store.seqOutOfOrder(), 1u);
    EXPECT_EQ(store.seqGaps(), 2u);           // 3, 4, 5 missing when 6 arrived; 3 came after all
    EXPECT_EQ(store.sessionErrors(), 1u);     // a1 freed at seq 3, freed again at seq 7
    EXPECT_EQ(MemoryAnalytics(s).calculateMemoryStats().totalAllocations, 2u); // the duplicate allocation never reached the model
    EXPECT_EQ(s.usedBytes(), 100u);
    bool gapNoted = false;
    bool lateNoted = false;
    for (const auto& p : store.problems()) {
        gapNoted |= p.kind == ProblemKind::Note && p.line == 4 && p.message.find("seq gap: 3 message(s) missing (3..5)") != std::string::npos;
        lateNoted |= p.kind == ProblemKind::Note && p.line == 5 && p.message.find("seq 3 is below the newest seq 6") != std::string::npos;
    }
    EXPECT_TRUE(gapNoted);
    EXPECT_TRUE(lateNoted);
}

TEST(SessionStore, ModelOperationErrorsAreSessionErrorsWithTheirLine)
{
    SessionStore store;
    feed(store, {
        R"({"type":"session_started","sessionId":"s","platform":"psp","timestamp":1764000000000})",
        R"({"type":"free","sessionId":"s","allocationId":"ghost","freedAt":1764000000001})",
        R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":10,"purpose":0,"allocatedAt":1764000000002}})",
        R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":10,"purpose":0,"allocatedAt":1764000000003}})",
    });
    EXPECT_EQ(store.sessionErrors(), 2u);
    ASSERT_EQ(store.problems().size(), 2u);
    EXPECT_EQ(store.problems()[0].line, 2u);
    EXPECT_EQ(store.problems()[0].code, MemoryErrorCode::InvalidAllocation);
    EXPECT_EQ(store.problems()[1].line, 4u);
    EXPECT_EQ(store.problems()[1].code, MemoryErrorCode::InvalidAllocation);
    EXPECT_EQ(store.find("s")->usedBytes(), 10u);
}

TEST(SessionStore, ByPurposeSamplesAndSnapshotPlatform)
{
    SessionStore store;
    feed(store, {
        R"({"type":"memory_update","sessionId":"m","timestamp":1764000000000,"snapshot":{"timestamp":1764000000000,"sessionId":"m","platform":"vita","total":"512MB","used":"100MB"},"byPurpose":{"vm-heap":"60MB","asset-cache":"40MB"}})",
    });
    ASSERT_EQ(store.sessionCount(), 1u);
    const SessionModel& s = *store.find("m");
    EXPECT_EQ(s.info().platform, "vita");
    EXPECT_EQ(s.info().totalBytes, 536870912u);
    EXPECT_EQ(s.usage()[MemoryPurpose(StandardPurpose::VmHeap)], 60 * 1048576);
    EXPECT_EQ(s.usage()[MemoryPurpose(StandardPurpose::AssetCache)], 40 * 1048576);
    EXPECT_EQ(s.usedBytes(), 100u * 1048576u);
}

TEST(SessionStore, RecordingTruncatedAtEveryOffsetAppliesEveryCompleteLine)
{
    std::vector<std::string> lines = {
        R"({"type":"recording","format":"flight-memory-recording/1","createdAt":1764000000000})",
        R"({"type":"session_started","sessionId":"s","platform":"psp","timestamp":1764000000000})",
        R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":"1MB","purpose":"vm-heap","allocatedAt":1764000000001}})",
        "",
        R"({"type":"allocation","allocation":{"id":"b","sessionId":"s","size":"2MB","purpose":"temporary","allocatedAt":1764000000002}})",
        R"({"type":"free","sessionId":"s","allocationId":"a","freedAt":1764000000003})",
        R"({"type":"marker","sessionId":"s","timestamp":1764000000004,"label":"end"})",
    };
    std::string content;
    std::vector<std::size_t> ends;
    for (const auto& l : lines) {
        content += l + "\n";
        ends.push_back(content.size());
    }
    // used after each complete line
    const std::uint64_t usedAfter[] = {0, 0, 1048576, 1048576, 3145728, 2097152, 2097152};
    const fs::path p = test::scratchPath("flight-store-test", "cut-store.jsonl");
    for (std::size_t cut = 0; cut <= content.size(); ++cut) {
        writeFile(p, std::string_view(content.data(), cut));
        SessionStore store;
        const auto r = loadRecording(p.string(), store);
        std::size_t complete = 0;
        while (complete < ends.size() && ends[complete] <= cut)
            ++complete;
        const bool tailWhole = complete < lines.size() && cut == ends[complete] - 1; // cut right before the '\n'
        const std::size_t applied = tailWhole ? complete + 1 : complete;
        ASSERT_LE(store.decodeErrors(), 1u) << cut;
        ASSERT_EQ(store.sessionErrors(), 0u) << cut;
        if (applied >= 2) {
            ASSERT_EQ(store.sessionCount(), 1u) << cut;
            ASSERT_EQ(store.session(0).usedBytes(), usedAfter[applied - 1]) << cut;
            ASSERT_EQ(store.session(0).markers().size(), applied == 7 ? 1u : 0u) << cut;
        }
        if (r.endedMidLine && !tailWhole && !(complete < lines.size() && lines[complete].empty())) {
            ASSERT_EQ(store.decodeErrors(), 1u) << cut;
            ASSERT_NE(store.problems().back().message.find("file ends mid-line (cut)"), std::string::npos)
                << store.problems().back().message;
        } else {
            ASSERT_EQ(store.decodeErrors(), 0u) << cut;
        }
    }
}

TEST(SessionStore, TwentyMiBLineIsOneDecodeErrorAndLoadingGoesOn)
{
    std::string content;
    content += R"({"type":"session_started","sessionId":"s","platform":"psp","timestamp":1764000000000})" "\n";
    content += R"({"type":"marker","sessionId":"s","timestamp":1764000000001,"label":")" + std::string(20u << 20, 'x') + "\"}\n";
    content += R"({"type":"marker","sessionId":"s","timestamp":1764000000002,"label":"after"})" "\n";
    const fs::path p = test::scratchPath("flight-store-test", "big-store.jsonl");
    writeFile(p, content);
    SessionStore store;
    loadRecording(p.string(), store);
    EXPECT_EQ(store.decodeErrors(), 1u);
    ASSERT_EQ(store.problems().size(), 1u);
    EXPECT_EQ(store.problems()[0].line, 2u);
    ASSERT_EQ(store.find("s")->markers().size(), 1u);
    EXPECT_EQ(store.find("s")->markers()[0].label, "after");
}

TEST(SessionStore, ConformanceFilesThroughZstdGiveTheSameFigures)
{
    for (const char* name : {"bad-input.jsonl", "ts-camel.jsonl", "go-snake.jsonl", "wit-kebab.jsonl", "seed-flat.jsonl"}) {
        SCOPED_TRACE(name);
        const std::string plainPath = std::string(FLIGHT_TEST_DATA "/conformance/") + name;
        const std::string plain = readFile(plainPath);
        std::string z(ZSTD_compressBound(plain.size()), '\0');
        z.resize(ZSTD_compress(z.data(), z.size(), plain.data(), plain.size(), 3));
        const fs::path zp = test::scratchPath("flight-store-test", std::string(name) + ".bin"); // no .zst suffix: detected by magic
        writeFile(zp, z);
        SessionStore a, b;
        loadRecording(plainPath, a);
        const auto r = loadRecording(zp.string(), b);
        EXPECT_TRUE(r.compressed);
        EXPECT_EQ(a.decodeErrors(), b.decodeErrors());
        EXPECT_EQ(a.sessionErrors(), b.sessionErrors());
        EXPECT_EQ(a.warnings(), b.warnings());
        ASSERT_EQ(a.sessionCount(), b.sessionCount());
        for (std::size_t i = 0; i < a.sessionCount(); ++i) {
            EXPECT_EQ(a.session(i).usedBytes(), b.session(i).usedBytes());
            EXPECT_EQ(a.session(i).peakBytes(), b.session(i).peakBytes());
            EXPECT_EQ(a.session(i).usage(), b.session(i).usage());
            EXPECT_EQ(a.session(i).lastMs(), b.session(i).lastMs());
        }
    }
}

TEST(SessionStore, WriterRecordingReplaysIntoTheSameModel)
{
    // decode a conformance file, record it canonically, load the recording: same figures
    const std::string src = FLIGHT_TEST_DATA "/conformance/ts-camel.jsonl";
    const fs::path out = test::scratchPath("flight-store-test", "replay.jsonl.zst");
    {
        RecordingWriterOptions o;
        o.compress = true;
        auto w = RecordingWriter::create(out.string(), o);
        ASSERT_TRUE(w.has_value());
        MessageDecoder d;
        std::ifstream f(src);
        std::string line;
        std::uint64_t n = 0;
        while (std::getline(f, line)) {
            auto r = d.decode(line, ++n);
            ASSERT_TRUE(r.has_value());
            if (*r) {
                ASSERT_TRUE(w->append(**r, 1764000000000 + static_cast<std::int64_t>(n)));
            }
        }
    }
    SessionStore a, b;
    loadRecording(src, a);
    loadRecording(out.string(), b);
    ASSERT_TRUE(b.recordingInfo().has_value());
    EXPECT_EQ(b.recordingInfo()->format, "flight-memory-recording/1");
    ASSERT_EQ(b.sessionCount(), 1u);
    EXPECT_EQ(b.decodeErrors(), 0u);
    EXPECT_EQ(a.session(0).usedBytes(), b.session(0).usedBytes());
    EXPECT_EQ(a.session(0).usage(), b.session(0).usage());
    EXPECT_EQ(a.session(0).markers().size(), b.session(0).markers().size());
    EXPECT_EQ(a.session(0).firstMs(), b.session(0).firstMs());
    EXPECT_EQ(a.session(0).lastMs(), b.session(0).lastMs());
}

TEST(SessionStore, ResentSessionStartedDoesNotResetSeq)
{
    // A server resending from the start after a reconnect: every message with a
    // seq already held, session_started included, is a duplicate.
    flight::protocol::SessionStore store;
    const char* stream[] = {
        R"({"type":"session_started","sessionId":"vm","platform":"psp","timestamp":1764000000000,"seq":1})",
        R"({"type":"allocation","allocation":{"id":"a","sessionId":"vm","size":{"bytes":1024},"purpose":"temporary","allocatedAt":1764000000001},"seq":2})",
        R"({"type":"allocation","allocation":{"id":"b","sessionId":"vm","size":{"bytes":2048},"purpose":"temporary","allocatedAt":1764000000002},"seq":3})",
    };
    std::uint64_t line = 0;
    for (const char* m : stream)
        store.ingest(m, ++line);
    for (const char* m : stream) // resent
        store.ingest(m, ++line);
    ASSERT_EQ(store.sessionCount(), 1u);
    EXPECT_EQ(store.session(0).usedBytes(), 3072u);
    EXPECT_EQ(store.duplicatesDropped(), 3u);
    EXPECT_EQ(store.sessionErrors(), 0u);
}

// A producer inventing purpose names (or message types) without end: the
// names the process keeps apart stop at kMaxCustomPurposes, the rest are
// counted under the overflow purpose with one warning, and no byte is lost.
// (Without the cap the 16-bit purpose id wrapped past 65,528 names and bytes
// landed on standard purposes; every per-purpose table grew with each name.)
// Runs in a child process: the names fill the process-wide table, which
// would leave no room for the custom purposes of the tests run after it.
namespace {
void endlessCustomPurposeNames()
{
    SessionStore store;
    store.ingest(R"({"type":"session_started","sessionId":"s","platform":"v6r-large","timestamp":1764000000000})", 1);
    const std::size_t customsBefore = MemoryPurpose::count() - kStandardPurposeCount;
    const int names = static_cast<int>(kMaxCustomPurposes) + 904; // 5,000
    for (int i = 0; i < names; ++i)
        store.ingest(R"({"type":"allocation","allocation":{"id":"a)" + std::to_string(i)
                         + R"(","sessionId":"s","size":{"bytes":1000},"purpose":"endless-)" + std::to_string(i)
                         + R"(","allocatedAt":1764000000001}})", static_cast<std::uint64_t>(i + 2));
    EXPECT_EQ(MemoryPurpose::count(), kStandardPurposeCount + kMaxCustomPurposes);
    const SessionModel& s = store.session(0);
    EXPECT_EQ(s.trackedBytes(), 1000u * static_cast<unsigned>(names));
    const MemoryPurpose overflow = MemoryPurpose::fromName(kOverflowPurposeName);
    EXPECT_EQ(overflow.id(), kStandardPurposeCount + kMaxCustomPurposes - 1);
    const std::size_t keptApart = kMaxCustomPurposes - 1 - customsBefore;
    EXPECT_EQ(s.usage()[overflow], 1000 * static_cast<std::int64_t>(names - static_cast<int>(keptApart)));
    EXPECT_EQ(s.usage()[MemoryPurpose::fromName("endless-0")], 1000);
    for (int p = 0; p < kStandardPurposeCount; ++p)
        EXPECT_EQ(s.usage()[MemoryPurpose::fromId(static_cast<std::uint16_t>(p))], 0) << p;
    EXPECT_EQ(store.warnings(), keptApart + 1); // one per name kept apart, one for the overflow
    EXPECT_EQ(store.decodeErrors(), 0u);

    for (int i = 0; i < 5000; ++i)
        store.ingest(R"({"type":"teleport-)" + std::to_string(i) + R"("})", static_cast<std::uint64_t>(names + 2 + i));
    EXPECT_EQ(store.skippedUnknownTypes(), 5000u);
    EXPECT_EQ(store.warnings(), keptApart + 1 + 4096); // new unknown types stop being remembered at 4,096
}
} // namespace

TEST(SessionStore, EndlessCustomPurposeNamesAreBoundedAndLoseNoBytes)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            // The child's failures, written where the parent shows them.
            ::testing::TestPartResultArray failures;
            {
                const ::testing::ScopedFakeTestPartResultReporter intercept(&failures);
                endlessCustomPurposeNames();
            }
            for (int i = 0; i < failures.size(); ++i)
                std::cerr << failures.GetTestPartResult(i) << '\n';
            std::exit(failures.size() == 0 ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "");
}

// loadRecording decodes the common lines ahead of applying them; the store it
// builds must be the one ingesting each line in turn builds: same summary,
// same allocations in the same order, same problems with the same lines and
// times. Generated lines, mixed with the lines that must not run ahead: a
// session declaring its time unit, then template lines of it; bad, duplicate and
// custom-purpose lines; a free of an unknown id.
TEST(SessionStore, LoadRecordingBuildsWhatIngestingEachLineBuilds)
{
    const fs::path generated = test::scratchPath("flight-store-test", "ahead-source.jsonl");
    generator::WorkloadOptions o;
    o.platform = "v6r-small";
    o.events = 6000;
    o.seed = 5;
    ASSERT_TRUE(generator::writeWorkloadRecording(o, generated.string()));
    std::vector<std::string> lines;
    {
        std::istringstream in(readFile(generated));
        for (std::string l; std::getline(in, l);)
            lines.push_back(l);
    }
    ASSERT_GT(lines.size(), 6000u);
    const std::vector<std::string> inserted = {
        R"({"type":"session_started","sessionId":"secs","platform":"psp","timeUnit":"ms","timestamp":1764000000})",
        R"({"type":"allocation","allocation":{"id":"x-1","sessionId":"secs","size":{"bytes":100,"humanReadable":"100B"},"purpose":"vm-heap","allocatedAt":1764000001},"seq":2})",
        R"({"type":"allocation","allocation":{"id":"x-2","sessionId":"secs","size":{"bytes":50,"humanReadable":"50B"},"purpose":"my-pool","allocatedAt":1764000002},"seq":3})",
        R"({"type":"free","sessionId":"secs","allocationId":"x-1","freedAt":1764000003,"seq":4})",
        R"({"type":"free","sessionId":"secs","allocationId":"x-1","freedAt":1764000004,"seq":4})",
        R"({"type":"free","sessionId":"secs","allocationId":"nope","freedAt":1764000005,"seq":5})",
        R"({"type":"free","sessionId":"secs","allocationId":)",
        R"({"type":"free","sessionId":"secs","allocationId":"x-2","freedAt":1764000006,"seq":6}   )",
    };
    std::string content;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        content += lines[i] + "\n";
        for (const auto& l : inserted) {
            if (i == 40)
                content += l + "\n";
            else if (i == 3000) // the same for a second session, deep in the file
                content += std::regex_replace(l, std::regex("\"secs\""), "\"secs2\"") + "\n";
        }
    }
    content += lines[lines.size() / 2] + "\n"; // an old seq again: a duplicate
    const fs::path mixed = test::scratchPath("flight-store-test", "ahead-mixed.jsonl");
    writeFile(mixed, content);

    SessionStore loaded;
    const auto read = loadRecording(mixed.string(), loaded);
    SessionStore ingested;
    std::uint64_t n = 0;
    std::istringstream in(content);
    for (std::string l; std::getline(in, l);)
        ingested.ingest(l, ++n);

    EXPECT_EQ(read.lines, n);
    EXPECT_EQ(summaryJson(loaded), summaryJson(ingested));
    EXPECT_EQ(loaded.messagesApplied(), ingested.messagesApplied());
    EXPECT_EQ(loaded.duplicatesDropped(), ingested.duplicatesDropped());
    EXPECT_EQ(loaded.duplicatesDropped(), 3u); // the second seq 4 of each session, the old seq at the end
    EXPECT_EQ(loaded.warnings(), ingested.warnings());
    EXPECT_EQ(loaded.decodeErrors(), 2u);
    EXPECT_EQ(loaded.sessionErrors(), 2u); // the frees of "nope"
    ASSERT_EQ(loaded.problems().size(), ingested.problems().size());
    for (std::size_t i = 0; i < loaded.problems().size(); ++i) {
        EXPECT_EQ(loaded.problems()[i].line, ingested.problems()[i].line) << i;
        EXPECT_EQ(loaded.problems()[i].message, ingested.problems()[i].message) << i;
        EXPECT_EQ(loaded.problems()[i].timeMs, ingested.problems()[i].timeMs) << i;
    }
    ASSERT_EQ(loaded.sessionCount(), ingested.sessionCount());
    for (std::size_t s = 0; s < loaded.sessionCount(); ++s) {
        const SessionModel& a = loaded.session(s);
        const SessionModel& b = ingested.session(s);
        ASSERT_EQ(a.allocationCount(), b.allocationCount()) << s;
        for (std::size_t i = 0; i < a.allocationCount(); ++i)
            ASSERT_TRUE(a.allocation(i) == b.allocation(i)) << s << " allocation " << i;
        EXPECT_EQ(a.events().size(), b.events().size()) << s;
    }
    // Ten-digit times read as declared, milliseconds (undeclared they would be
    // seconds), though the lines after the declaration were decoded ahead.
    const SessionModel* secs = loaded.find("secs");
    ASSERT_NE(secs, nullptr);
    ASSERT_GE(secs->allocationCount(), 1u);
    EXPECT_EQ(secs->allocation(0).allocatedAt, 1764000001);
    EXPECT_EQ(secs->allocation(0).freedAt, 1764000003);
}
