// SPDX-License-Identifier: MIT
// AgentServer over real loopback sockets: numbering, replay to new clients,
// since after a reconnect, several clients, a slow client, tokens, binding.

#include "live_server_test_support.h"

#include "generator/workload_generator.h"
#include "generator/workload_recording.h"
#include "live/server/agent_server.h"
#include "live/sources/replay_source.h"
#include "protocol/recording_reader.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace flight;
using namespace flight::live;
using namespace flight::live::test;
using namespace flight::livetest;

namespace {

// What a recording holds, as the canonical encoding without seq/receivedAt, per session.
std::map<std::string, std::vector<std::string>> expectedBodies(const std::string& path)
{
    std::map<std::string, std::vector<std::string>> out;
    protocol::MessageDecoder decoder;
    protocol::readRecording(path, [&](std::string_view line, std::uint64_t n, bool) {
        auto r = decoder.decode(line, n);
        if (!r || !*r || (*r)->as<protocol::RecordingHeaderMsg>())
            return;
        protocol::Message m = **r;
        m.seq.reset();
        m.receivedAt.reset();
        out[std::string(m.sessionId())].push_back(protocol::encode(m));
    });
    return out;
}

std::string writeRecording(const QTemporaryDir& dir, const char* name, const char* platform, std::uint64_t events,
                           std::uint64_t seed, std::int64_t* spanMs = nullptr)
{
    generator::WorkloadOptions o;
    o.platform = platform;
    o.events = events;
    o.seed = seed;
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    auto r = generator::writeWorkloadRecording(o, path);
    EXPECT_TRUE(r.has_value());
    if (spanMs && r)
        *spanMs = r->lastMs - r->firstMs;
    return path;
}

// Publishes `events` generated messages (session "vm-1" for v6r platforms) straight into the server.
std::vector<std::string> publishGenerated(AgentServer& server, generator::WorkloadGenerator& g, std::uint64_t n)
{
    std::vector<std::string> bodies;
    for (std::uint64_t i = 0; i < n; ++i) {
        const protocol::Message* m = g.next();
        if (!m)
            break;
        protocol::Message copy = *m;
        copy.seq.reset();
        bodies.push_back(protocol::encode(copy));
        server.publish(copy);
    }
    return bodies;
}

generator::WorkloadGenerator makeGenerator(std::uint64_t events)
{
    generator::WorkloadOptions o;
    o.platform = "v6r-small";
    o.events = events;
    o.seed = 11;
    o.sequenceNumbers = false;
    return std::move(*generator::WorkloadGenerator::create(o));
}

AgentServerOptions quickOptions()
{
    AgentServerOptions o;
    o.subscribeGrace = std::chrono::milliseconds(50);
    return o;
}

// A client that completes the WebSocket handshake by hand on a raw socket with
// a tiny receive buffer and then never reads again.
class StalledClient {
public:
    bool open(quint16 port)
    {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int small = 2048;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            return false;
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
        const std::string req = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port)
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              "Sec-WebSocket-Version: 13\r\n\r\n";
        if (::send(fd, req.data(), req.size(), 0) != static_cast<ssize_t>(req.size()))
            return false;
        std::string head;
        const bool ok = waitUntil([&] {
            char c;
            while (::recv(fd, &c, 1, 0) == 1) { // byte by byte: stop right after the response head
                head.push_back(c);
                if (head.ends_with("\r\n\r\n"))
                    return true;
            }
            return false;
        }, 3000);
        return ok && head.starts_with("HTTP/1.1 101");
    }
    ~StalledClient()
    {
        if (fd >= 0)
            ::close(fd);
    }
    int fd = -1;
};

} // namespace

class AgentServerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ensureCoreApp();
        ASSERT_TRUE(dir.isValid());
    }
    QTemporaryDir dir;
};

TEST_F(AgentServerTest, ReplayArrivesNumberedOneToNWithTheRecordingsFigures)
{
    const std::string path = writeRecording(dir, "small.jsonl", "v6r-small", 3000, 3);
    const auto expected = expectedBodies(path);
    ASSERT_EQ(expected.size(), 1u);
    const std::string sid = expected.begin()->first;

    AgentServer server(quickOptions());
    ASSERT_TRUE(server.listen().has_value());
    TestClient client;
    client.open(server.url());
    ASSERT_TRUE(client.waitConnected());
    auto replay = ReplaySource::open({QString::fromStdString(path), 1e9, false});
    ASSERT_TRUE(replay.has_value()) << replay.error().message;
    EXPECT_EQ((*replay)->messageCount(), 3000u);
    server.addSource(std::move(*replay));

    ASSERT_TRUE(waitUntil([&] { return client.count(sid) >= 3000; }, 4000)) << client.count(sid);
    EXPECT_EQ(client.hellos, 1u);
    EXPECT_EQ(client.bad, 0u);
    EXPECT_EQ(client.sessions.size(), 1u);
    EXPECT_EQ(client.sessions[sid].seqs, iota1(1, 3000));
    EXPECT_EQ(client.sessions[sid].bodies, expected.at(sid)); // same figures, same order
    EXPECT_TRUE(server.allSourcesFinished());
    EXPECT_EQ(server.lastSeq(sid), 3000u);
    EXPECT_EQ(server.stats().published, 3000u);
    EXPECT_EQ(server.stats().dropped, 0u);

    // A client that connects after the end gets the whole buffer.
    TestClient late;
    late.open(server.url());
    ASSERT_TRUE(waitUntil([&] { return late.count(sid) >= 3000; }, 3000)) << late.count(sid);
    EXPECT_EQ(late.sessions[sid].seqs, iota1(1, 3000));
    EXPECT_EQ(late.sessions[sid].bodies, expected.at(sid));
}

TEST_F(AgentServerTest, ReconnectWithSinceResendsExactlyTheMissingOnes)
{
    AgentServer server(quickOptions());
    ASSERT_TRUE(server.listen().has_value());
    auto g = makeGenerator(400);
    const auto first = publishGenerated(server, g, 100);

    std::string sid;
    {
        TestClient a;
        a.open(server.url());
        ASSERT_TRUE(waitUntil([&] { return a.messages >= 100; }, 3000));
        sid = a.sessions.begin()->first;
        EXPECT_EQ(a.sessions[sid].seqs, iota1(1, 100));
        EXPECT_EQ(a.sessions[sid].bodies, first);
        a.socket.close();
        ASSERT_TRUE(waitUntil([&] { return server.clientCount() == 0; }, 3000));
    }
    const auto second = publishGenerated(server, g, 50); // 101..150 while nobody listens

    TestClient b;
    b.open(server.url());
    ASSERT_TRUE(b.waitConnected());
    b.send(QStringLiteral("{\"type\":\"subscribe\",\"sessionIds\":[\"*\"],\"since\":{\"%1\":60}}")
               .arg(QString::fromStdString(sid)));
    ASSERT_TRUE(waitUntil([&] { return b.messages >= 90; }, 3000)) << b.messages;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    EXPECT_EQ(b.messages, 90u); // nothing more than 61..150
    EXPECT_EQ(b.sessions[sid].seqs, iota1(61, 150));
    std::vector<std::string> missing(first.begin() + 60, first.end());
    missing.insert(missing.end(), second.begin(), second.end());
    EXPECT_EQ(b.sessions[sid].bodies, missing);

    // and live from there
    publishGenerated(server, g, 10);
    ASSERT_TRUE(waitUntil([&] { return b.messages >= 100; }, 3000));
    EXPECT_EQ(b.sessions[sid].seqs, iota1(61, 160));
}

TEST_F(AgentServerTest, SinceOlderThanTheBufferResendsWhatIsKeptAndPinsSessionStarted)
{
    AgentServerOptions o = quickOptions();
    o.bufferMessages = 120;
    AgentServer server(o);
    ASSERT_TRUE(server.listen().has_value());
    auto g = makeGenerator(400);
    const auto bodies = publishGenerated(server, g, 200); // ring keeps 81..200

    TestClient old;
    old.open(server.url());
    ASSERT_TRUE(old.waitConnected());
    old.send(QStringLiteral("{\"type\":\"subscribe\",\"since\":{\"vm-1\":10}}"));
    ASSERT_TRUE(waitUntil([&] { return old.messages >= 120; }, 3000));
    EXPECT_EQ(old.sessions["vm-1"].seqs, iota1(81, 200)); // a gap 11..80, as the client will see

    TestClient fresh; // no subscribe: the buffer, with session_started (seq 1) pinned first
    fresh.open(server.url());
    ASSERT_TRUE(waitUntil([&] { return fresh.messages >= 121; }, 3000));
    std::vector<std::uint64_t> want{1};
    for (auto s : iota1(81, 200))
        want.push_back(s);
    EXPECT_EQ(fresh.sessions["vm-1"].seqs, want);
    EXPECT_EQ(fresh.sessions["vm-1"].bodies.front(), bodies.front());
    EXPECT_NE(bodies.front().find("\"session_started\""), std::string::npos);
    EXPECT_EQ(server.stats().dropped, 0u); // gone before they asked: not drops
}

TEST_F(AgentServerTest, SubscribeFilterSendsOnlyTheNamedSessions)
{
    AgentServer server(quickOptions());
    ASSERT_TRUE(server.listen().has_value());
    TestClient c;
    c.open(server.url());
    ASSERT_TRUE(c.waitConnected());
    c.send(QStringLiteral("{\"type\":\"subscribe\",\"sessionIds\":[\"b\"]}"));
    ASSERT_TRUE(waitUntil([&] { return c.hellos == 1; }, 3000));
    for (int i = 0; i < 20; ++i) {
        protocol::Message m;
        m.payload = protocol::MarkerMsg{i % 2 ? "a" : "b", 1764000000000 + i, "step"};
        server.publish(m);
    }
    ASSERT_TRUE(waitUntil([&] { return c.messages >= 10; }, 3000));
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    EXPECT_EQ(c.messages, 10u);
    EXPECT_EQ(c.sessions.count("a"), 0u);
    EXPECT_EQ(c.sessions["b"].seqs, iota1(1, 10));
    EXPECT_EQ(server.lastSeq("a"), 10u);
}

TEST_F(AgentServerTest, SinceInPartsIsAppliedWholeEvenWhenItsLastPartComesAfterTheGrace)
{
    // A client whose `since` comes in parts, the last one after the grace
    // (a slow uplink; a paced client's loop): the grace does not start it
    // from the buffers in between, which would resend session b whole.
    AgentServer server(quickOptions()); // grace 50 ms
    ASSERT_TRUE(server.listen().has_value());
    for (int i = 0; i < 20; ++i) {
        protocol::Message m;
        m.payload = protocol::MarkerMsg{i % 2 ? "a" : "b", 1764000000000 + i, "step"};
        server.publish(m); // a and b: seqs 1..10 each
    }
    TestClient c;
    c.open(server.url());
    ASSERT_TRUE(c.waitConnected());
    c.send(QStringLiteral("{\"type\":\"subscribe\",\"sessionIds\":[\"*\"],\"since\":{\"a\":10},\"more\":true}"));
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 300) // six graces
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    EXPECT_EQ(c.hellos, 0u) << "activated before its last part";
    EXPECT_EQ(c.messages, 0u);
    c.send(QStringLiteral("{\"type\":\"subscribe\",\"sessionIds\":[\"*\"],\"since\":{\"b\":4}}"));
    ASSERT_TRUE(waitUntil([&] { return c.messages >= 6; }, 3000)) << c.messages;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    EXPECT_EQ(c.hellos, 1u);
    EXPECT_EQ(c.messages, 6u);
    EXPECT_EQ(c.sessions.count("a"), 0u) << "a's since came in the first part";
    EXPECT_EQ(c.sessions["b"].seqs, iota1(5, 10));
}

TEST_F(AgentServerTest, SeveralClientsEachReceiveEverything)
{
    const std::string path = writeRecording(dir, "psp.jsonl", "psp", 4000, 5);
    const auto expected = expectedBodies(path);
    const std::string sid = expected.begin()->first;
    AgentServer server(quickOptions());
    ASSERT_TRUE(server.listen().has_value());
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<TestClient>());
        clients.back()->open(server.url());
    }
    for (auto& c : clients)
        ASSERT_TRUE(c->waitConnected());
    server.addSource(std::move(*ReplaySource::open({QString::fromStdString(path), 1e9, false})));
    ASSERT_TRUE(waitUntil([&] {
        for (auto& c : clients)
            if (c->count(sid) < 4000)
                return false;
        return true;
    }, 4000));
    for (auto& c : clients) {
        EXPECT_EQ(c->sessions[sid].seqs, iota1(1, 4000));
        EXPECT_EQ(c->sessions[sid].bodies, expected.at(sid));
    }
    const auto stats = server.stats();
    EXPECT_EQ(stats.clientsAccepted, 4u);
    ASSERT_EQ(stats.clients.size(), 4u);
    for (const auto& cs : stats.clients) {
        EXPECT_EQ(cs.sent, 4001u); // hello + 4000
        EXPECT_EQ(cs.dropped, 0u);
    }
}

TEST_F(AgentServerTest, SlowClientDoesNotStallOthersAndItsDropsAreCounted)
{
    // 30000 messages streamed in about 2 s (15000/s): fast clients keep up within
    // the 4000-message ring, the stalled one cannot hold more than its socket buffers.
    // Under AddressSanitizer (scripts/run-sanitizers) every message costs several
    // times more on both ends, so the same stream is spread over 8 s (3750/s):
    // still ~7x the ring over its length, the stalled client must still drop.
    constexpr std::uint64_t kEvents = 30000;
#if defined(__SANITIZE_ADDRESS__)
    constexpr int kStreamMs = 8000;
#else
    constexpr int kStreamMs = 2000;
#endif
    std::int64_t spanMs = 0;
    const std::string path = writeRecording(dir, "big.jsonl", "v6r-medium", kEvents, 9, &spanMs);
    ASSERT_GT(spanMs, 0);
    const double speed = static_cast<double>(spanMs) / kStreamMs;
    const auto expected = expectedBodies(path);
    const std::string sid = expected.begin()->first;

    AgentServerOptions o = quickOptions();
    o.bufferMessages = 4000;
    AgentServer server(o);
    ASSERT_TRUE(server.listen().has_value());
    StalledClient stalled;
    ASSERT_TRUE(stalled.open(server.port()));
    TestClient a, b;
    a.open(server.url());
    b.open(server.url());
    ASSERT_TRUE(a.waitConnected());
    ASSERT_TRUE(b.waitConnected());
    ASSERT_TRUE(waitUntil([&] { return a.hellos == 1 && b.hellos == 1; }, 2000));
    ASSERT_EQ(server.clientCount(), 3u);

    QElapsedTimer t;
    t.start();
    server.addSource(std::move(*ReplaySource::open({QString::fromStdString(path), speed, false})));
    ASSERT_TRUE(waitUntil([&] { return a.count(sid) >= kEvents && b.count(sid) >= kEvents; }, 2 * kStreamMs))
        << a.count(sid) << ' ' << b.count(sid) << " published " << server.stats().published << " dropped "
        << server.stats().dropped << " finished " << server.allSourcesFinished() << " clients "
        << [&] {
               std::string t;
               for (const auto& c : server.stats().clients)
                   t += std::to_string(c.sent) + '/' + std::to_string(c.dropped) + '/' + std::to_string(c.unsentBytes) + ' ';
               return t;
           }();
    EXPECT_LT(t.elapsed(), 2 * kStreamMs);
    EXPECT_EQ(a.sessions[sid].seqs, iota1(1, kEvents));
    EXPECT_EQ(b.sessions[sid].seqs, iota1(1, kEvents));
    EXPECT_EQ(a.sessions[sid].bodies, expected.at(sid));

    const auto stats = server.stats();
    std::uint64_t slowDropped = 0, fastDropped = 0, slowSent = 0;
    for (const auto& cs : stats.clients) {
        if (cs.sent < kEvents) {
            slowDropped = cs.dropped;
            slowSent = cs.sent;
            EXPECT_LE(cs.unsentBytes, o.clientWriteHighWater + 64 * 1024); // bounded memory for it
        } else {
            fastDropped += cs.dropped;
        }
    }
    EXPECT_EQ(fastDropped, 0u);
    EXPECT_GT(slowDropped, 5'000u); // its socket buffers hold some thousands at most
    EXPECT_EQ(stats.dropped, slowDropped);
    // what it was neither sent nor dropped is still waiting in the ring (at most the ring)
    EXPECT_LE(kEvents + 1 - slowSent - slowDropped, 4000u);
}

TEST_F(AgentServerTest, TokenIsRequiredAtTheHandshake)
{
    AgentServerOptions o = quickOptions();
    o.token = "s3cret-t0ken-5f0c9a7e2b81d4c6";
    AgentServer server(o);
    ASSERT_TRUE(server.listen().has_value());

    // raw upgrade request without Authorization: HTTP 401, then closed
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, server.port());
    ASSERT_TRUE(waitUntil([&] { return raw.state() == QAbstractSocket::ConnectedState; }, 3000));
    raw.write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray response;
    ASSERT_TRUE(waitUntil([&] {
        response += raw.readAll();
        return raw.state() == QAbstractSocket::UnconnectedState || response.contains("\r\n\r\n");
    }, 3000));
    EXPECT_TRUE(response.startsWith("HTTP/1.1 401 Unauthorized")) << response.toStdString();
    EXPECT_FALSE(response.contains("s3cret")); // the token is never echoed

    TestClient none, wrong, right;
    none.open(server.url());
    wrong.open(server.url(), "s3cret-t0ken-5f0c9a7e2b81d4c7");
    right.open(server.url(), "s3cret-t0ken-5f0c9a7e2b81d4c6");
    EXPECT_TRUE(right.waitConnected());
    EXPECT_FALSE(none.waitConnected());
    EXPECT_FALSE(wrong.waitConnected());
    EXPECT_NE(none.socket.error(), QAbstractSocket::UnknownSocketError);
    ASSERT_TRUE(waitUntil([&] { return right.hellos == 1; }, 3000));
    server.publish(protocol::Message{protocol::MarkerMsg{"s", 1764000000000, "x"}, {}, {}});
    ASSERT_TRUE(waitUntil([&] { return right.messages == 1; }, 3000));
    EXPECT_EQ(none.messages + wrong.messages, 0u);
    const auto stats = server.stats();
    EXPECT_EQ(stats.clientsAccepted, 1u);
    EXPECT_EQ(stats.clientsRefused, 3u);
}

TEST_F(AgentServerTest, NonLoopbackWithoutTokenIsRefusedAndPortInUseIsAnError)
{
    AgentServerOptions o;
    o.address = QHostAddress(QHostAddress::AnyIPv4);
    AgentServer open(o);
    const auto r = open.listen();
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("refusing to listen on 0.0.0.0"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("token"), std::string::npos);
    EXPECT_FALSE(open.isListening());

    o.token = "t"; // too weak to guard anything
    AgentServer weak(o);
    const auto w = weak.listen();
    ASSERT_FALSE(w.has_value());
    EXPECT_NE(w.error().message.find("too weak (length 1, at least 16"), std::string::npos) << w.error().message;
    EXPECT_FALSE(weak.isListening());
    o.token = "8c1d0b6e4f2a97d35e0c41ab9f2d7e61";
    AgentServer guarded(o);
    ASSERT_TRUE(guarded.listen().has_value());
    EXPECT_GT(guarded.port(), 0);

    AgentServer first;
    ASSERT_TRUE(first.listen().has_value());
    AgentServerOptions same;
    same.port = first.port();
    AgentServer second(same);
    const auto busy = second.listen();
    ASSERT_FALSE(busy.has_value());
    EXPECT_NE(busy.error().message.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
              std::string::npos)
        << busy.error().message;
    EXPECT_EQ(first.url().toString(), QStringLiteral("ws://127.0.0.1:%1").arg(first.port()));
}

namespace {

// A producer of short sessions faster than a client reads: the ended sessions
// it has not been sent yet are kept for it (beyond maxEndedSessions), within
// bufferMessages messages for all ended sessions together.
TEST_F(AgentServerTest, EndedSessionsOwedToALaggingClientAreKeptWithinTheBudget)
{
    AgentServerOptions o = quickOptions();
    o.bufferMessages = 1000;
    o.clientWriteHighWater = 1024; // the client is owed almost all of a burst published in one go
    AgentServer server(o);
    ASSERT_TRUE(server.listen().has_value());
    TestClient client;
    client.open(server.url());
    ASSERT_TRUE(client.waitConnected());
    ASSERT_TRUE(waitUntil([&] { return client.hellos == 1u; }, 3000));
    waitUntil([] { return false; }, 150); // past the subscribe grace: following everything

    protocol::MessageDecoder decoder;
    std::uint64_t line = 0;
    const auto publishSession = [&](const std::string& sid) {
        std::vector<std::string> lines{R"({"type":"session_started","sessionId":")" + sid
                                       + R"(","platform":"psp","timestamp":1764000000000})"};
        for (int i = 0; i < 18; ++i)
            lines.push_back(R"({"type":"marker","sessionId":")" + sid + R"(","timestamp":)"
                            + std::to_string(1764000000001 + i) + R"(,"label":"m"})");
        lines.push_back(R"({"type":"session_ended","sessionId":")" + sid + R"(","timestamp":1764000000100})");
        for (const auto& l : lines) {
            auto r = decoder.decode(l, ++line);
            ASSERT_TRUE(r && *r);
            server.publish(**r);
        }
    };
    // 10 sessions of 20 messages in one go: the client reads none of them meanwhile
    for (int s = 0; s < 10; ++s)
        publishSession("short-" + std::to_string(s));
    ASSERT_TRUE(waitUntil([&] { return client.messages >= 200u; }, 4000)) << client.messages;
    for (int s = 0; s < 10; ++s)
        EXPECT_EQ(client.sessions["short-" + std::to_string(s)].seqs, iota1(1, 20)) << s;
    EXPECT_EQ(server.stats().dropped, 0u);

    // 60 more at once: 1,200 messages, over the 1,000-message budget for ended sessions
    for (int s = 10; s < 70; ++s)
        publishSession("short-" + std::to_string(s));
    ASSERT_TRUE(waitUntil([&] { return client.sessions.count("short-69") && client.sessions["short-69"].seqs.size() == 20; }, 4000));
    const std::uint64_t dropped = server.stats().dropped;
    EXPECT_GT(dropped, 0u);
    std::uint64_t received = 0;
    for (int s = 10; s < 70; ++s)
        received += client.sessions["short-" + std::to_string(s)].seqs.size();
    EXPECT_EQ(received + dropped, 1200u) << "what was not sent is counted as dropped";
    // within the budget, plus the session_started and session_ended of each
    // session retired while still owed (sent instead of the rest)
    EXPECT_LE(received, 1000u + 20u + 2u * 60u);
    for (int s = 10; s < 70; ++s) { // every session ends for the client: its last seq is the session_ended
        const auto& seqs = client.sessions["short-" + std::to_string(s)].seqs;
        ASSERT_FALSE(seqs.empty()) << s;
        EXPECT_EQ(seqs.front(), 1u) << s;
        EXPECT_EQ(seqs.back(), 20u) << s;
    }
}

} // namespace
