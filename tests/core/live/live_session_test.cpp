// SPDX-License-Identifier: MIT
// LiveSession end to end over real loopback sockets: a TestProducer (a real
// QWebSocketServer) serves a generated stream; the client decodes it in its
// worker thread. Figures are compared with the generator's and with a store
// fed the same lines directly.
#include "live_test_support.h"

#include "live/client/live_session.h"
#include "protocol/session_store.h"
#include "protocol/summary_json.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>
#include <QDeadlineTimer>
#include <QThread>

using namespace flight;
using namespace flight::live;
using namespace flight::livetest;

namespace {

class LiveSessionTest : public ::testing::Test {
protected:
    void SetUp() override { ensureCoreApp(); }

    static LiveSessionOptions options(const QUrl& url) { return quickClientOptions(url); }

    static std::string expectedSummary(const Stream& stream)
    {
        protocol::SessionStore store;
        std::uint64_t line = 0;
        for (const auto& item : stream.items)
            store.ingest(item.json, ++line);
        return protocol::summaryJson(store);
    }

    static std::uint64_t applied(const LiveSession& s)
    {
        std::uint64_t n = 0;
        s.withStore([&](const protocol::SessionStore& st) { n = st.messagesApplied(); });
        return n;
    }

    // Starts `live` and waits until it has applied the whole stream.
    static bool startAndApplyAll(LiveSession& live, const Stream& stream)
    {
        live.start();
        return waitUntil([&] { return applied(live) == stream.items.size(); });
    }

    static void expectFigures(const Stream& stream, const LiveSnapshot& snap)
    {
        ASSERT_EQ(snap.sessions.size(), stream.expected.size());
        for (const auto& f : snap.sessions) {
            const auto it = stream.expected.find(f.sessionId);
            ASSERT_NE(it, stream.expected.end()) << f.sessionId;
            EXPECT_EQ(f.usedBytes, it->second.usedBytes) << f.sessionId;
            EXPECT_EQ(f.trackedBytes, it->second.usedBytes) << f.sessionId;
            EXPECT_EQ(f.peakBytes, it->second.peakBytes) << f.sessionId;
            EXPECT_EQ(f.totalAllocations, it->second.totalAllocations) << f.sessionId;
            EXPECT_EQ(f.activeAllocations, it->second.activeAllocations) << f.sessionId;
            EXPECT_EQ(f.markers, it->second.markers) << f.sessionId;
            EXPECT_EQ(f.platform, "v6r-small");
            EXPECT_EQ(f.totalBytes, 512u * 1024 * 1024);
        }
    }
};

TEST_F(LiveSessionTest, ReceivesEveryEventAndFiguresEqualTheSource)
{
    const Stream stream = makeStream(3, 60);
    TestProducer server(stream);
    LiveSession live(options(server.url()));
    int delivered = 0;
    QObject::connect(&live, &LiveSession::snapshotReady, [&](const LiveSnapshot&) { ++delivered; });
    ASSERT_TRUE(startAndApplyAll(live, stream));
    // the UI side gets a snapshot with the final figures
    ASSERT_TRUE(waitUntil([&] {
        return live.latest() && live.latest()->stats.messagesApplied == stream.items.size();
    }));
    EXPECT_GE(delivered, 1);
    const LiveSnapshot snap = *live.latest();
    expectFigures(stream, snap);
    EXPECT_EQ(snap.stats.state, ConnectionState::Connected);
    EXPECT_EQ(snap.stats.framesReceived, stream.items.size());
    EXPECT_EQ(snap.stats.decodeErrors, 0u);
    EXPECT_EQ(snap.stats.connects, 1u);
    EXPECT_EQ(snap.stats.reconnects, 0u);
    EXPECT_EQ(live.summaryJson(), expectedSummary(stream));
    ASSERT_EQ(server.subscribes().size(), 1);
    EXPECT_EQ(server.subscribes().first(), QStringLiteral(R"({"type":"subscribe","sessionIds":["*"]})"));

    const LiveSnapshot last = live.stop();
    EXPECT_EQ(last.stats.state, ConnectionState::Closed);
    EXPECT_EQ(last.stats.messagesApplied, stream.items.size());
    // after stop the store is still readable
    EXPECT_EQ(live.summaryJson(), expectedSummary(stream));
}

TEST_F(LiveSessionTest, ServerDropsTheLinkClientResumesWithSinceAndLosesNothing)
{
    const Stream stream = makeStream(2, 50); // 100 items
    TestProducer::Options o;
    o.closeFirstConnectionAfter = 37;
    TestProducer server(stream, o);
    LiveSession live(options(server.url()));
    ASSERT_TRUE(startAndApplyAll(live, stream));
    pump(100); // a window, kept on purpose: anything more (a duplicate) would show within it
    const LiveSnapshot snap = live.snapshotNow();
    EXPECT_EQ(snap.stats.connects, 2u);
    EXPECT_EQ(snap.stats.reconnects, 1u);
    EXPECT_EQ(snap.stats.messagesApplied, stream.items.size());
    EXPECT_EQ(snap.stats.duplicatesDropped, 0u);
    EXPECT_EQ(snap.stats.seqGaps, 0u);
    EXPECT_EQ(snap.stats.framesReceived, stream.items.size()); // the server resent only what was missing
    expectFigures(stream, snap);
    EXPECT_EQ(live.summaryJson(), expectedSummary(stream));
    // first 37 items: vm-1 and vm-2 alternate, so vm-1 holds 1..19 and vm-2 1..18
    ASSERT_EQ(server.subscribes().size(), 2);
    EXPECT_EQ(server.subscribes().at(1),
              QStringLiteral(R"({"type":"subscribe","sessionIds":["*"],"since":{"vm-1":19,"vm-2":18}})"));
    EXPECT_EQ(server.itemsSent(), static_cast<int>(stream.items.size()));
}

TEST_F(LiveSessionTest, ResentDuplicatesAreDroppedNotCountedTwice)
{
    const Stream stream = makeStream(1, 20);
    TestProducer server(stream);
    LiveSession live(options(server.url()));
    ASSERT_TRUE(startAndApplyAll(live, stream));
    // a server that resends what the client holds: dropped by seq
    for (int i = 0; i < 5; ++i)
        server.sendToAll(QString::fromStdString(stream.items[static_cast<std::size_t>(i)].json));
    ASSERT_TRUE(waitUntil([&] { return live.snapshotNow().stats.framesReceived == stream.items.size() + 5; }));
    const LiveSnapshot snap = live.snapshotNow();
    EXPECT_EQ(snap.stats.duplicatesDropped, 5u);
    EXPECT_EQ(snap.stats.messagesApplied, stream.items.size());
    expectFigures(stream, snap);
}

TEST_F(LiveSessionTest, MalformedFramesAreCountedAndTheLinkSurvives)
{
    const Stream stream = makeStream(1, 30);
    TestProducer server(stream);
    LiveSession live(options(server.url()));
    ASSERT_TRUE(startAndApplyAll(live, stream));
    server.sendToAll(QStringLiteral("not json at all"));
    server.sendToAll(QStringLiteral(R"({"type":"allocation","allocation":{)"));
    server.sendToAll(QStringLiteral("[1,2,3]"));
    server.sendToAll(QStringLiteral(R"({"type":"allocation","allocation":{"id":"x","sessionId":"vm-1","size":-5,"purpose":"vm-heap","allocatedAt":1}})"));
    server.sendBinaryToAll(QByteArray("\xff\xfe{", 3));
    // still connected: a valid message after the bad ones is applied
    server.sendToAll(QStringLiteral(R"({"type":"marker","sessionId":"vm-1","timestamp":1764000009999,"label":"after"})"));
    ASSERT_TRUE(waitUntil([&] { return applied(live) == stream.items.size() + 1; }));
    const LiveSnapshot snap = live.snapshotNow();
    EXPECT_EQ(snap.stats.decodeErrors, 5u);
    EXPECT_EQ(snap.stats.framesReceived, stream.items.size() + 6);
    EXPECT_EQ(snap.stats.state, ConnectionState::Connected);
    EXPECT_EQ(snap.stats.connects, 1u);
    ASSERT_EQ(snap.sessions.size(), 1u);
    EXPECT_EQ(snap.sessions[0].markers, stream.expected.at("vm-1").markers + 1);
    EXPECT_EQ(snap.sessions[0].usedBytes, stream.expected.at("vm-1").usedBytes);
}

// Qt 6.4 refuses a message over the limit by closing the link with code 1009;
// the client counts it, reconnects, resumes with since, and the stream goes on.
TEST_F(LiveSessionTest, OversizedMessageIsRefusedCountedAndTheStreamGoesOn)
{
    const Stream stream = makeStream(1, 40);
    TestProducer server(stream);
    LiveSessionOptions o = options(server.url());
    o.connection.maxMessageBytes = 64 * 1024;
    LiveSession live(o);
    ASSERT_TRUE(startAndApplyAll(live, stream));
    EXPECT_EQ(live.snapshotNow().stats.oversizedRefused, 0u);

    // a message just under the limit passes
    const QString nearLimit = QStringLiteral(R"({"type":"marker","sessionId":"vm-1","timestamp":1764000009990,"label":")")
                            + QString(60 * 1024, QLatin1Char('y')) + QStringLiteral("\"}");
    server.sendToAll(nearLimit);
    ASSERT_TRUE(waitUntil([&] { return applied(live) == stream.items.size() + 1; }));

    // one over it: refused (Qt closes the link with 1009), counted, reconnect with since
    const QString big = QStringLiteral(R"({"type":"marker","sessionId":"vm-1","timestamp":1764000009999,"label":")")
                      + QString(100 * 1024, QLatin1Char('x')) + QStringLiteral("\"}");
    server.sendToAll(big);
    ASSERT_TRUE(waitUntil([&] { return live.snapshotNow().stats.oversizedRefused == 1; }));
    ASSERT_TRUE(waitUntil([&] {
        const LiveSnapshot s = live.snapshotNow();
        // the server has read the new link's subscribe too (it can lag the client's Connected)
        return s.stats.state == ConnectionState::Connected && s.stats.connects == 2 && server.openClients() == 1
            && server.subscribes().size() >= 2;
    }));
    const LiveSnapshot snap = live.snapshotNow();
    EXPECT_EQ(snap.stats.oversizedRefused, 1u);
    EXPECT_EQ(snap.stats.reconnects, 1u);
    EXPECT_EQ(snap.stats.messagesApplied, stream.items.size() + 1); // the big one never reached the store
    EXPECT_EQ(snap.stats.decodeErrors, 0u);
    EXPECT_EQ(snap.stats.framesReceived, stream.items.size() + 1);  // nothing resent: the client held every seq
    EXPECT_EQ(snap.sessions.at(0).markers, stream.expected.at("vm-1").markers + 1);
    EXPECT_EQ(server.subscribes().size(), 2);
    // the stream goes on over the new link
    server.sendToAll(QStringLiteral(R"({"type":"marker","sessionId":"vm-1","timestamp":1764000010001,"label":"after"})"));
    ASSERT_TRUE(waitUntil([&] { return applied(live) == stream.items.size() + 2; }));
}

TEST_F(LiveSessionTest, RecordingWrittenLiveLoadsToTheSameFiguresAndHoldsNoSecret)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const Stream stream = makeStream(2, 40);
    TestProducer::Options po;
    po.requiredToken = "tok-Zq81";
    po.closeFirstConnectionAfter = 25; // a reconnect in the middle: no duplicate in the file
    TestProducer server(stream, po);
    QUrl url = server.url();
    url.setQuery(QStringLiteral("key=urlsecret42"));
    LiveSessionOptions o = options(url);
    o.connection.bearerToken = "tok-Zq81";
    o.recordingPath = (dir.path() + QStringLiteral("/live.jsonl")).toStdString();
    LiveSession live(o);
    ASSERT_TRUE(startAndApplyAll(live, stream));
    const LiveSnapshot last = live.stop();
    EXPECT_EQ(last.stats.recordedMessages, stream.items.size());
    EXPECT_EQ(last.stats.reconnects, 1u);
    EXPECT_TRUE(last.stats.recordingError.empty()) << last.stats.recordingError;

    protocol::SessionStore loaded;
    const auto read = protocol::loadRecording(o.recordingPath, loaded);
    EXPECT_FALSE(read.ioError);
    EXPECT_EQ(protocol::summaryJson(loaded), expectedSummary(stream));
    EXPECT_EQ(loaded.messagesApplied(), stream.items.size());
    EXPECT_EQ(loaded.duplicatesDropped(), 0u);
    ASSERT_TRUE(loaded.recordingInfo());
    EXPECT_EQ(loaded.recordingInfo()->source, server.url().toString().toStdString());
    // Format 2 (the default) is compressed: the secrets are looked for in its
    // lines as read back, and in the bytes on disk.
    QFile f(QString::fromStdString(o.recordingPath));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    EXPECT_TRUE(bytes.startsWith("FMR2"));
    EXPECT_FALSE(bytes.contains("tok-Zq81"));
    EXPECT_FALSE(bytes.contains("urlsecret42"));
    std::size_t lines = 0;
    protocol::readRecording(o.recordingPath, [&](std::string_view line, std::uint64_t, bool) {
        ++lines;
        EXPECT_EQ(line.find("tok-Zq81"), std::string_view::npos);
        EXPECT_EQ(line.find("urlsecret42"), std::string_view::npos);
    });
    EXPECT_EQ(lines, stream.items.size() + 1); // header + each message once
}

TEST_F(LiveSessionTest, ManyConnectionsAtOnceKeepTheirOwnStores)
{
    const Stream a = makeStream(2, 30);
    const Stream b = makeStream(3, 20);
    TestProducer sa(a), sb(b);
    LiveSession la(options(sa.url())), lb(options(sb.url()));
    la.start();
    lb.start();
    ASSERT_TRUE(waitUntil([&] { return applied(la) == a.items.size() && applied(lb) == b.items.size(); }));
    EXPECT_EQ(la.summaryJson(), expectedSummary(a));
    EXPECT_EQ(lb.summaryJson(), expectedSummary(b));
    expectFigures(a, la.snapshotNow());
    expectFigures(b, lb.snapshotNow());
}

// The consumer (this thread) blocks while a fast producer streams: the worker
// goes on, snapshots are coalesced (latest wins), and when the consumer runs
// again it gets the final figures at once. The producer answers the subscribe
// with the first half; the second half goes out during the stall in chunks,
// each waited for until the worker has published it, so snapshots carrying
// new frames replace each other untaken (whatever the kernel's buffering).
TEST_F(LiveSessionTest, SlowConsumerGetsCoalescedLatestSnapshots)
{
    const Stream stream = makeStream(2, 5000); // 10000 messages
    Stream head = stream;
    head.items.resize(stream.items.size() / 2);
    constexpr std::size_t kChunk = 500;
    int delivered = 0;
    TestProducer* serverPtr = nullptr;
    LiveSession* livePtr = nullptr;
    bool stalled = false;
    bool chunksPublished = true;
    std::uint64_t appliedDuringStall = 0;
    int deliveredBeforeStall = -1;
    TestProducer::Options po;
    po.afterSend = [&] {
        deliveredBeforeStall = delivered;
        // Blocked (no event loop): conditions, not fixed waits, each up to 15 s.
        for (std::size_t i = head.items.size(); i < stream.items.size(); i += kChunk) {
            const std::uint64_t published = livePtr->snapshotNow().stats.snapshotsPublished;
            for (std::size_t k = i; k < std::min(i + kChunk, stream.items.size()); ++k)
                serverPtr->sendToAll(QString::fromStdString(stream.items[k].json));
            serverPtr->flushAll();
            const QDeadlineTimer deadline(15000);
            while (livePtr->snapshotNow().stats.snapshotsPublished <= published && !deadline.hasExpired())
                QThread::msleep(1);
            chunksPublished = chunksPublished && !deadline.hasExpired();
        }
        const QDeadlineTimer deadline(15000);
        while (applied(*livePtr) < stream.items.size() && !deadline.hasExpired())
            QThread::msleep(1);
        appliedDuringStall = applied(*livePtr); // the worker went on meanwhile
        stalled = true;
    };
    TestProducer server(head, po);
    serverPtr = &server;
    LiveSessionOptions o = options(server.url());
    o.publishInterval = std::chrono::milliseconds(1);
    LiveSession live(o);
    livePtr = &live;
    QObject::connect(&live, &LiveSession::snapshotReady, [&](const LiveSnapshot&) { ++delivered; });
    live.start();
    ASSERT_TRUE(waitUntil([&] { return stalled; }, 40000));
    EXPECT_TRUE(chunksPublished) << "the worker published every chunk while this thread was blocked";
    EXPECT_EQ(appliedDuringStall, stream.items.size());
    ASSERT_TRUE(waitUntil([&] { return live.latest() && live.latest()->stats.messagesApplied == stream.items.size(); }));
    // every published snapshot was either delivered or coalesced (the worker publishes nothing new once idle)
    ASSERT_TRUE(waitUntil([&] {
        const auto s = live.latest();
        return s && s->stats.snapshotsPublished == static_cast<std::uint64_t>(delivered) + s->stats.snapshotsCoalesced;
    }));
    const LiveSnapshot snap = *live.latest();
    EXPECT_GE(deliveredBeforeStall, 0);
    // a publish after each of the 10 chunks, none taken during the stall: at
    // least 9 replaced an untaken one, and what they carried counts as coalesced
    EXPECT_GE(snap.stats.snapshotsCoalesced, 9u);
    EXPECT_GT(snap.stats.framesCoalesced, 0u);
    EXPECT_LE(snap.stats.framesCoalesced, snap.stats.framesReceived);
    EXPECT_EQ(snap.stats.snapshotsPublished, static_cast<std::uint64_t>(delivered) + snap.stats.snapshotsCoalesced);
    expectFigures(stream, snap);
}

// A producer of many short sessions: the store keeps at most
// maxEndedSessions ended ones (the first to end go), never a live one; the
// dropped ones stay counted, and the recording keeps every message.
TEST_F(LiveSessionTest, EndedSessionsBeyondTheCapAreDroppedCountedAndStillRecorded)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    Stream stream = makeStream(6, 20);
    for (int k = 1; k <= 5; ++k) { // vm-1 .. vm-5 end, in that order; vm-6 stays live
        const std::string sid = "vm-" + std::to_string(k);
        stream.items.push_back({R"({"type":"session_ended","sessionId":")" + sid
                                    + R"(","timestamp":)" + std::to_string(1764000001000 + k) + R"(,"seq":21})",
                                sid, 21});
    }
    TestProducer server(stream);
    LiveSessionOptions o = options(server.url());
    o.maxEndedSessions = 2;
    o.recordingPath = (dir.path() + QStringLiteral("/live.jsonl")).toStdString();
    LiveSession live(o);
    ASSERT_TRUE(startAndApplyAll(live, stream));
    const LiveSnapshot snap = live.snapshotNow();
    EXPECT_EQ(snap.stats.endedSessionsDropped, 3u);
    EXPECT_EQ(snap.stats.messagesApplied, stream.items.size()); // the dropped ones' messages stay counted
    std::vector<std::string> ids;
    for (const auto& f : snap.sessions)
        ids.push_back(f.sessionId);
    EXPECT_EQ(ids, (std::vector<std::string>{"vm-4", "vm-5", "vm-6"})); // the last two to end and the live one
    EXPECT_TRUE(snap.sessions[0].ended);
    EXPECT_FALSE(snap.sessions[2].ended);
    EXPECT_EQ(snap.sessions[2].usedBytes, stream.expected.at("vm-6").usedBytes);
    // the seqs of dropped sessions stay held: a resent message of vm-1 is a duplicate, not a new session
    server.sendToAll(QString::fromStdString(stream.items.front().json));
    ASSERT_TRUE(waitUntil([&] { return live.snapshotNow().stats.duplicatesDropped == 1; }));
    EXPECT_NE(live.subscribeMessage().indexOf(QStringLiteral(R"("vm-1":21)")), -1) << live.subscribeMessage().toStdString();
    EXPECT_EQ(live.snapshotNow().sessions.size(), 3u);

    const LiveSnapshot last = live.stop();
    EXPECT_EQ(last.stats.recordedMessages, stream.items.size());
    protocol::SessionStore loaded;
    protocol::loadRecording(o.recordingPath, loaded);
    EXPECT_EQ(loaded.sessionCount(), 6u);
    EXPECT_EQ(loaded.messagesApplied(), stream.items.size());
}

} // namespace
