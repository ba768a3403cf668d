// SPDX-License-Identifier: MIT
// Recordings made to hurt: 10 million events for one allocation id, and 10
// million distinct sessions. Generated on the fly into a zstd temp file (level
// 1; some 15 MB instead of ~1 GB of JSON Lines) and loaded the way the
// inspector loads any recording (loadRecording into a SessionStore). The
// store stays within its documented limits (docs/reliability.md, "Faults"):
// a reused id costs what any allocation costs, and sessions beyond
// StoreLimits::maxSessions are refused with a limit-exceeded error while the
// problem list stays bounded.
#include "fault_test_support.h"

#include "model/session_model.h"
#include "protocol/session_store.h"
#include "model/memory_analytics.h"

#include <gtest/gtest.h>

#include <QTemporaryDir>

#include <zstd.h>

#include <cstdio>
#include <functional>
#include <string>

using namespace flight;
using namespace flight::faulttest;

namespace {

constexpr std::uint64_t kTenMillion = 10'000'000;
constexpr std::int64_t kT0 = 1764000000000;

// Streams the lines `emit` produces through zstd into `path`.
bool writeZstd(const std::string& path, const std::function<void(const std::function<void(std::string_view)>&)>& produce)
{
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f)
        return false;
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
    std::string pending;
    std::vector<char> out(ZSTD_CStreamOutSize());
    bool ok = true;
    const auto push = [&](ZSTD_EndDirective mode) {
        ZSTD_inBuffer in{pending.data(), pending.size(), 0};
        while (true) {
            ZSTD_outBuffer o{out.data(), out.size(), 0};
            const std::size_t left = ZSTD_compressStream2(cctx, &o, &in, mode);
            ok = ok && !ZSTD_isError(left) && std::fwrite(out.data(), 1, o.pos, f) == o.pos;
            if (!ok || (mode == ZSTD_e_continue ? in.pos == in.size : left == 0))
                break;
        }
        pending.clear();
    };
    produce([&](std::string_view line) {
        pending.append(line);
        pending.push_back('\n');
        if (pending.size() >= (1u << 20))
            push(ZSTD_e_continue);
    });
    push(ZSTD_e_end);
    ZSTD_freeCCtx(cctx);
    return std::fclose(f) == 0 && ok;
}

TEST(HugeRecording, TenMillionEventsForOneAllocationIdStayWithinTheModelsPerAllocationCost)
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("one-id.jsonl.zst")).toStdString();
    // 5 M allocations of the same id "a", each freed before the next: 10 M events
    ASSERT_TRUE(writeZstd(path, [](const auto& line) {
        line(R"({"type":"session_started","sessionId":"s","platform":"v6r-small","timestamp":1764000000000})");
        char buf[160];
        for (std::uint64_t i = 0; i < kTenMillion / 2; ++i) {
            const auto t = static_cast<long long>(kT0 + static_cast<std::int64_t>(i));
            line(std::string_view(buf, static_cast<std::size_t>(std::snprintf(buf, sizeof buf,
                R"({"type":"allocation","allocation":{"id":"a","sessionId":"s","size":4096,"purpose":"vm-heap","allocatedAt":%lld}})", t))));
            line(std::string_view(buf, static_cast<std::size_t>(std::snprintf(buf, sizeof buf,
                R"({"type":"free","sessionId":"s","allocationId":"a","freedAt":%lld})", t))));
        }
    }));

    const long rssBefore = procStatusKiB(0, "VmRSS");
    protocol::SessionStore store;
    const auto read = protocol::loadRecording(path, store);
    const long rssAfter = procStatusKiB(0, "VmRSS");
    ASSERT_FALSE(read.ioError) << read.ioError->message;
    EXPECT_EQ(store.messagesApplied(), kTenMillion + 1);
    EXPECT_EQ(store.decodeErrors(), 0u);
    EXPECT_EQ(store.sessionErrors(), 0u) << "reusing an id after its free is legal";
    ASSERT_EQ(store.sessionCount(), 1u);
    const SessionModel& s = store.session(0);
    const MemoryStats st = MemoryAnalytics(s).calculateMemoryStats();
    EXPECT_EQ(st.totalAllocations, kTenMillion / 2);
    EXPECT_EQ(st.activeAllocations, 0u);
    EXPECT_EQ(st.peakBytes, 4096u);
    // The documented limit: each allocation the model keeps (here every reuse
    // of the id) costs at most 64 B + its id; RSS growth follows it.
    const double perAllocation = static_cast<double>(s.memoryFootprint()) / static_cast<double>(kTenMillion / 2);
    const double rssPerAllocation = (static_cast<double>(rssAfter - rssBefore) * 1024.0) / static_cast<double>(kTenMillion / 2);
    RecordProperty("model_bytes_per_allocation", std::to_string(perAllocation));
    RecordProperty("rss_bytes_per_allocation", std::to_string(rssPerAllocation));
    std::printf("10 M events, one id: model %.1f B per allocation (%.0f MiB), RSS +%.0f MiB (%.1f B per allocation)\n",
                perAllocation, static_cast<double>(s.memoryFootprint()) / 1048576.0,
                static_cast<double>(rssAfter - rssBefore) / 1024.0, rssPerAllocation);
    EXPECT_LE(perAllocation, 64.0 + 8.0);
    EXPECT_LE(rssPerAllocation, 96.0);
}

TEST(HugeRecording, TenMillionSessionsAreRefusedBeyondTheLimitWithAClearError)
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("sessions.jsonl.zst")).toStdString();
    ASSERT_TRUE(writeZstd(path, [](const auto& line) {
        char buf[160];
        for (std::uint64_t i = 0; i < kTenMillion; ++i)
            line(std::string_view(buf, static_cast<std::size_t>(std::snprintf(buf, sizeof buf,
                R"({"type":"session_started","sessionId":"s%llu","platform":"dreamcast","timestamp":%lld})",
                static_cast<unsigned long long>(i), static_cast<long long>(kT0 + static_cast<std::int64_t>(i))))));
    }));

    const long rssBefore = procStatusKiB(0, "VmRSS");
    protocol::SessionStore store; // default limits, as the inspector loads
    const protocol::StoreLimits limits = store.limits();
    const auto read = protocol::loadRecording(path, store);
    const long rssAfter = procStatusKiB(0, "VmRSS");
    ASSERT_FALSE(read.ioError) << read.ioError->message;
    EXPECT_EQ(read.lines, kTenMillion);
    EXPECT_EQ(store.decodeErrors(), 0u);
    ASSERT_EQ(store.sessionCount(), limits.maxSessions);
    EXPECT_EQ(store.session(limits.maxSessions - 1).info().sessionId, "s" + std::to_string(limits.maxSessions - 1));
    EXPECT_EQ(store.messagesApplied(), limits.maxSessions);
    EXPECT_EQ(store.sessionsRefused(), kTenMillion - limits.maxSessions);
    EXPECT_EQ(store.sessionErrors(), kTenMillion - limits.maxSessions);
    // the problem list is bounded, the counts exact, the first refusal named
    ASSERT_EQ(store.problems().size(), limits.maxProblemsListed + 1);
    const protocol::StoreProblem& first = store.problems().front();
    EXPECT_EQ(first.code, MemoryErrorCode::LimitExceeded);
    EXPECT_EQ(first.message, "line " + std::to_string(limits.maxSessions + 1) + ": limit-exceeded: session s"
                                 + std::to_string(limits.maxSessions) + " refused: "
                                 + std::to_string(limits.maxSessions)
                                 + " sessions held already (the limit); its messages are counted, not kept");
    EXPECT_NE(store.problems().back().message.find("the rest are counted, not listed"), std::string::npos);
    EXPECT_EQ(store.problemsNotListed(), kTenMillion - limits.maxSessions - limits.maxProblemsListed);
    const double perSession = (static_cast<double>(rssAfter - rssBefore) * 1024.0) / static_cast<double>(limits.maxSessions);
    RecordProperty("rss_bytes_per_session", std::to_string(perSession));
    std::printf("10 M sessions: %zu kept, %llu refused, RSS +%.0f MiB (%.0f B per kept session)\n",
                store.sessionCount(), static_cast<unsigned long long>(store.sessionsRefused()),
                static_cast<double>(rssAfter - rssBefore) / 1024.0, perSession);
    // The documented bound: ~1 KB per (empty) session held, so the default
    // limit keeps the store near 100 MB whatever the file holds.
#if defined(__SANITIZE_ADDRESS__)
    // ASan's quarantine and redzones make RSS a figure of the sanitizer, not
    // of the store (+665 MiB measured); the Release run of this same test
    // asserts the bound, this run checks the counts and the error above.
    std::printf("RSS bound not asserted under AddressSanitizer (asserted in the Release suite)\n");
#else
    EXPECT_LE(rssAfter - rssBefore, 256L * 1024);
#endif
}

TEST(HugeRecording, ALowerSessionLimitIsHonouredAndMessagesForKnownSessionsStillApply)
{
    protocol::SessionStore store;
    store.setLimits({.maxSessions = 2, .maxProblemsListed = 3});
    std::uint64_t line = 0;
    for (const char* json : {
             R"({"type":"session_started","sessionId":"a","platform":"psp","timestamp":1764000000000})",
             R"({"type":"session_started","sessionId":"b","platform":"psp","timestamp":1764000000001})",
             R"({"type":"allocation","allocation":{"id":"x","sessionId":"c","size":16,"purpose":"vm-heap","allocatedAt":1764000000002}})",
             R"({"type":"marker","sessionId":"d","timestamp":1764000000003,"label":"m"})",
             R"({"type":"allocation","allocation":{"id":"x","sessionId":"a","size":16,"purpose":"vm-heap","allocatedAt":1764000000004}})",
             R"({"type":"session_started","sessionId":"e","platform":"psp","timestamp":1764000000005})",
             R"({"type":"session_started","sessionId":"f","platform":"psp","timestamp":1764000000006})",
         })
        store.ingest(json, ++line);
    ASSERT_EQ(store.sessionCount(), 2u);
    EXPECT_EQ(store.session(0).allocationCount(), 1u) << "a known session still takes its messages";
    EXPECT_EQ(store.sessionsRefused(), 4u);
    EXPECT_EQ(store.sessionErrors(), 4u);
    ASSERT_EQ(store.problems().size(), 4u); // three listed, then the note
    EXPECT_EQ(store.problems()[0].sessionId, "c");
    EXPECT_EQ(store.problems()[2].sessionId, "e");
    EXPECT_EQ(store.problems()[3].message, "line 7: more than 3 problems: the rest are counted, not listed");
    EXPECT_EQ(store.problemsNotListed(), 1u);
}

} // namespace
