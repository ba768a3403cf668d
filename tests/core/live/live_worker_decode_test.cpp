// SPDX-License-Identifier: MIT
// The live worker decodes each frame once, with its store's decoder, and looks
// at the decoded message (hello, held seqs, renamed sessions, recording) before
// the store applies it. What it keeps must be what SessionStore::ingest keeps
// for the same frames read line by line: same sessions, counters and problems
// (line, kind, wording, stream time), with the declared time units applied and
// every warning raised once. Real loopback socket, real LiveSession.
#include "live_test_support.h"

#include "live/client/live_session.h"
#include "model/memory_purpose.h"
#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <gtest/gtest.h>

#include <QTemporaryDir>


using namespace flight;
using namespace flight::live;
using namespace flight::livetest;

namespace {

// The custom purpose names these tests use, registered when the test binary
// starts: the registry is process-wide and bounded (model/custom_purpose_limit.h),
// and a test that fills it may run before these in the same process, which
// would fold new names into the overflow purpose and change the warnings.
[[maybe_unused]] const bool kCustomNamesRegistered = [] {
    for (const char* name : {"gpu-cache", "fonts-cache", "odd-purpose"})
        MemoryPurpose::fromName(name);
    return true;
}();

struct Frame {
    std::string json;
    std::string sessionId; // for the producer's since (empty: always sent)
    std::uint64_t seq = 0;
};

std::string alloc(const std::string& sid, const std::string& id, std::uint64_t bytes, const std::string& purpose,
                  std::int64_t t, std::uint64_t seq)
{
    return R"({"type":"allocation","allocation":{"id":")" + id + R"(","sessionId":")" + sid + R"(","size":{"bytes":)"
         + std::to_string(bytes) + R"(},"purpose":")" + purpose + R"(","allocatedAt":)" + std::to_string(t)
         + R"(},"seq":)" + std::to_string(seq) + '}';
}

// Frames 1-13: producer instance "inst-a", session s1 in declared
// milliseconds (its small times would read as seconds by magnitude), a custom
// purpose twice, an unknown type twice, a malformed frame, a resent seq, a
// seq gap, a reported error. Frames 14-19: the producer restarts
// ("inst-b"), s1 comes again in declared microseconds and is kept as s1~2,
// with a new custom purpose and another gap.
std::vector<Frame> frames()
{
    return {
        {R"({"type":"hello","protocol":"flight-memory/1","server":"test-producer","instance":"inst-a"})", "", 0},
        {R"({"type":"session_started","sessionId":"s1","platform":"v6r-small","timeUnit":"ms","timestamp":1000,"seq":1})", "s1", 1},
        {alloc("s1", "a1", 4096, "vm-heap", 2000, 2), "s1", 2},
        {alloc("s1", "a2", 8192, "gpu-cache", 3000, 3), "s1", 3},
        {R"({"type":"teleport","sessionId":"s1","timestamp":3500})", "", 0},
        {alloc("s1", "a3", 1024, "gpu-cache", 4000, 4), "s1", 4},
        {R"({"type":"teleport","sessionId":"s1","timestamp":3600})", "", 0},
        {R"({"type":"allocation","allocation":{)", "", 0},
        {alloc("s1", "a2", 8192, "gpu-cache", 3000, 3), "", 0}, // resent: the worker drops it
        {R"({"type":"free","sessionId":"s1","allocationId":"a1","freedAt":5000,"seq":6})", "s1", 6}, // seq 5 missing
        {R"({"type":"error","sessionId":"s1","error":{"code":"limit-exceeded","message":"heap over hard limit","details":"a3","timestamp":5500},"seq":7})", "s1", 7},
        {R"({"type":"marker","sessionId":"s1","timestamp":6000,"label":"before restart","seq":8})", "s1", 8},
        {R"({"type":"session_ended","sessionId":"s1","timestamp":7000,"seq":9})", "s1", 9},
        {R"({"type":"hello","protocol":"flight-memory/1","server":"test-producer","instance":"inst-b"})", "", 0},
        {R"({"type":"session_started","sessionId":"s1","platform":"v6r-small","timeUnit":"us","timestamp":20000000,"seq":1})", "", 0},
        {alloc("s1", "b1", 2048, "fonts-cache", 21000000, 2), "", 0},
        {alloc("s1", "b2", 512, "gpu-cache", 22000000, 3), "", 0},
        {R"({"type":"marker","sessionId":"s1","timestamp":23000000,"label":"after restart","seq":5})", "", 0}, // seq 4 missing
        {R"({"type":"teleport","sessionId":"s1","timestamp":23500000})", "", 0},
    };
}
constexpr std::uint64_t kResentFrame = 9;
constexpr std::uint64_t kRestartFrame = 14;

// What the store keeps, in a form that compares whole.
struct Kept {
    std::string summary;
    std::vector<std::string> problems; // "line|kind|timeMs|message"
    std::uint64_t decodeErrors = 0, sessionErrors = 0, warnings = 0, applied = 0, skippedUnknown = 0,
                  duplicates = 0, gaps = 0;
    std::vector<std::string> sessions;

    explicit Kept(const protocol::SessionStore& st)
        : summary(protocol::summaryJson(st)), decodeErrors(st.decodeErrors()), sessionErrors(st.sessionErrors()),
          warnings(st.warnings()), applied(st.messagesApplied()), skippedUnknown(st.skippedUnknownTypes()),
          duplicates(st.duplicatesDropped()), gaps(st.seqGaps())
    {
        for (const auto& p : st.problems())
            problems.push_back(std::to_string(p.line) + '|' + std::to_string(static_cast<int>(p.kind)) + '|'
                               + std::to_string(p.timeMs) + '|' + p.message);
        for (std::size_t i = 0; i < st.sessionCount(); ++i)
            sessions.push_back(st.session(i).info().sessionId);
    }
};

void replaceAll(std::string& s, const std::string& from, const std::string& to)
{
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

// summaryJson's "sessions" array only, then without firstMs/lastMs.
std::string sessionsPart(const std::string& summary)
{
    return summary.substr(0, summary.find(R"("decodeErrors")"));
}
std::string withoutTimes(std::string s)
{
    for (std::size_t at = s.find(R"(,"firstMs":)"); at != std::string::npos; at = s.find(R"(,"firstMs":)", at))
        s.erase(at, s.find('}', at) - at);
    return s;
}

TEST(LiveWorkerDecode, EachFrameDecodedOnceKeepsWhatIngestKeepsLineByLine)
{
    ensureCoreApp();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const std::vector<Frame> fs = frames();
    Stream stream;
    for (const Frame& f : fs)
        stream.items.push_back({f.json, f.sessionId, f.seq});
    TestProducer server(stream);
    LiveSessionOptions o;
    o.connection.url = server.url();
    o.publishInterval = std::chrono::milliseconds(20);
    o.recordingPath = (dir.path() + QStringLiteral("/live.jsonl")).toStdString();
    LiveSession live(o);
    live.start();
    ASSERT_TRUE(waitUntil([&] { return live.snapshotNow().stats.framesReceived == fs.size(); }));
    const LiveSnapshot last = live.stop();
    std::optional<Kept> worker;
    live.withStore([&](const protocol::SessionStore& st) { worker.emplace(st); });
    ASSERT_TRUE(worker);

    // The same frames through SessionStore::ingest, numbered as they arrived:
    // the resent one is left out (the worker drops it before the store) and
    // after the restart s1 is named s1~2, as the worker keeps it.
    protocol::SessionStore reference;
    for (std::uint64_t line = 1; line <= fs.size(); ++line) {
        if (line == kResentFrame)
            continue;
        std::string json = fs[line - 1].json;
        if (line > kRestartFrame)
            replaceAll(json, R"("sessionId":"s1")", R"("sessionId":"s1~2")");
        reference.ingest(json, line);
    }
    const Kept expected(reference);

    EXPECT_EQ(worker->summary, expected.summary);
    EXPECT_EQ(worker->problems, expected.problems);
    EXPECT_EQ(worker->sessions, expected.sessions);
    EXPECT_EQ(worker->decodeErrors, expected.decodeErrors);
    EXPECT_EQ(worker->sessionErrors, expected.sessionErrors);
    EXPECT_EQ(worker->warnings, expected.warnings);
    EXPECT_EQ(worker->applied, expected.applied);
    EXPECT_EQ(worker->skippedUnknown, expected.skippedUnknown);
    EXPECT_EQ(worker->duplicates, expected.duplicates);
    EXPECT_EQ(worker->gaps, expected.gaps);

    // and the figures themselves
    EXPECT_EQ(worker->sessions, (std::vector<std::string>{"s1", "s1~2"}));
    EXPECT_EQ(worker->decodeErrors, 1u);
    EXPECT_EQ(worker->sessionErrors, 1u);
    EXPECT_EQ(worker->warnings, 3u);       // teleport, gpu-cache, fonts-cache: once each
    EXPECT_EQ(worker->skippedUnknown, 3u); // every teleport
    EXPECT_EQ(worker->applied, 12u);       // not the 2 hellos, 3 teleports, the malformed and the resent one
    EXPECT_EQ(worker->gaps, 2u);
    EXPECT_EQ(worker->duplicates, 0u);     // the resent frame never reached the store ...
    EXPECT_EQ(last.stats.duplicatesDropped, 1u); // ... the worker counted it
    EXPECT_EQ(last.stats.decodeErrors, 1u);
    EXPECT_EQ(last.stats.producerRestarts, 1u);
    EXPECT_EQ(last.stats.producerInstance, "inst-b");
    const std::vector<std::string> warningsAt = [&] {
        std::vector<std::string> w;
        for (const std::string& p : worker->problems)
            if (p.find("|2|") != std::string::npos)
                w.push_back(p);
        return w;
    }();
    EXPECT_EQ(warningsAt, (std::vector<std::string>{
                              "4|2|3000|line 4: custom purpose gpu-cache",
                              "5|2|3000|line 5: unknown type teleport skipped",
                              "16|2|21000|line 16: custom purpose fonts-cache",
                          }));
    // declared units: s1 in ms (1000 .. 7000), s1~2 in us (20 000 000 us = 20 000 ms)
    bool sawS1 = false, sawS2 = false;
    live.withStore([&](const protocol::SessionStore& st) {
        if (const SessionModel* s1 = st.find("s1")) {
            sawS1 = true;
            EXPECT_EQ(s1->firstMs(), 1000);
            EXPECT_EQ(s1->lastMs(), 7000);
        }
        if (const SessionModel* s2 = st.find("s1~2")) {
            sawS2 = true;
            EXPECT_EQ(s2->firstMs(), 20000);
            EXPECT_EQ(s2->lastMs(), 23000);
        }
    });
    EXPECT_TRUE(sawS1);
    EXPECT_TRUE(sawS2);

    // The recording holds every decoded message kept (the hellos too) once,
    // s1~2 under its own id, and the malformed frame as received. Its times
    // are in ms without a declared unit, so a loader reads these small ones
    // by magnitude (as seconds): compared without the times.
    EXPECT_EQ(last.stats.recordedMessages, 14u);
    protocol::SessionStore loaded;
    const auto read = protocol::loadRecording(o.recordingPath, loaded);
    EXPECT_FALSE(read.ioError);
    EXPECT_EQ(loaded.decodeErrors(), 1u); // the malformed frame: the same decode error as live
    EXPECT_EQ(loaded.messagesApplied(), 12u);
    EXPECT_EQ(withoutTimes(sessionsPart(protocol::summaryJson(loaded))), withoutTimes(sessionsPart(expected.summary)));
}

// A resent frame the worker drops was still decoded: a name it is the first
// to use is warned about there, once, and not again at the next frame naming it.
TEST(LiveWorkerDecode, WarningsOfADroppedResentFrameAreKeptOnce)
{
    ensureCoreApp();
    Stream stream;
    stream.items = {
        {R"({"type":"session_started","sessionId":"s1","platform":"v6r-small","timestamp":1764000000000,"seq":1})", "s1", 1},
        {alloc("s1", "a1", 4096, "vm-heap", 1764000000100, 2), "s1", 2},
        {alloc("s1", "a1", 4096, "odd-purpose", 1764000000100, 2), "", 0}, // seq 2 again: dropped
        {alloc("s1", "a2", 1024, "odd-purpose", 1764000000200, 3), "s1", 3},
    };
    TestProducer server(stream);
    LiveSessionOptions o;
    o.connection.url = server.url();
    o.publishInterval = std::chrono::milliseconds(20);
    LiveSession live(o);
    live.start();
    ASSERT_TRUE(waitUntil([&] { return live.snapshotNow().stats.framesReceived == stream.items.size(); }));
    const LiveSnapshot last = live.stop();
    std::optional<Kept> kept;
    live.withStore([&](const protocol::SessionStore& st) { kept.emplace(st); });
    ASSERT_TRUE(kept);
    EXPECT_EQ(last.stats.duplicatesDropped, 1u);
    EXPECT_EQ(kept->applied, 3u);
    EXPECT_EQ(kept->warnings, 1u);
    EXPECT_EQ(kept->problems,
              (std::vector<std::string>{"3|2|1764000000100|line 3: custom purpose odd-purpose"}));
    ASSERT_EQ(last.sessions.size(), 1u);
    EXPECT_EQ(last.sessions[0].totalAllocations, 2u);
    EXPECT_EQ(last.sessions[0].usedBytes, 5120u);
}

} // namespace
