// SPDX-License-Identifier: MIT
// Trust at the edges (issue #15, docs/reliability.md "Trust at the edges"):
// the real `flight-agent serve` attacked over loopback as a hostile web page,
// a token guesser, a descriptor hog and a flooding client would. Each attack
// is refused or contained, with the figure asserted, while the inspector's own
// client (LiveSession, as the window and `capture` use it) goes on.
#include "fault_test_support.h"

#include "live/client/live_session.h"
#include "protocol/message_encoder.h"

#include <gtest/gtest.h>

#include <cstdio>

#include <QElapsedTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpSocket>
#include <QWebSocket>
#include <QTemporaryDir>

#include <algorithm>
#include <string_view>
#include <sys/resource.h>
#include <unistd.h>

using namespace flight;
using namespace flight::faulttest;

namespace {

// Stops the agent: whether what it said on stderr matches `pattern` (a failure quotes it).
::testing::AssertionResult stoppedSaying(AgentChild& agent, const char* pattern)
{
    agent.stop();
    const QString err = agent.error();
    if (QRegularExpression(QString::fromLatin1(pattern)).match(err).hasMatch())
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "no \"" << pattern << "\" in: " << err.toStdString();
}

// A WebSocket upgrade request for 127.0.0.1:port with `extra` header lines.
QByteArray upgradeRequest(int port, const QByteArray& extra)
{
    return "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
         + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
         + extra + "\r\n";
}

struct RawAnswer {
    QByteArray head;      // the HTTP response head ("HTTP/1.1 403 Forbidden\r\n...")
    QByteArray after;     // bytes after it (WebSocket frames, when the upgrade was accepted)
    bool closed = false;  // the agent closed the connection
};

// Sends the request on a raw socket; waits for the answer head, then up to
// `lingerMs` for the first bytes after it or the close.
RawAnswer rawHandshake(int port, const QByteArray& extra, int lingerMs = 1500)
{
    RawAnswer a;
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(port));
    if (!s.waitForConnected(3000))
        return a;
    s.write(upgradeRequest(port, extra));
    QByteArray all;
    livetest::waitUntil([&] {
        all += s.readAll();
        return all.contains("\r\n\r\n") || s.state() == QAbstractSocket::UnconnectedState;
    }, 5000);
    livetest::waitUntil([&] { // the close, or the first frame (the hello comes after the 200 ms subscribe grace)
        all += s.readAll();
        return s.state() == QAbstractSocket::UnconnectedState || all.size() > all.indexOf("\r\n\r\n") + 4;
    }, lingerMs);
    all += s.readAll();
    const qsizetype end = all.indexOf("\r\n\r\n");
    a.head = end < 0 ? all : all.left(end + 4);
    a.after = end < 0 ? QByteArray() : all.mid(end + 4);
    a.closed = s.state() == QAbstractSocket::UnconnectedState;
    return a;
}

// A raw client that did the upgrade and holds its connection open.
struct HeldClient {
    std::unique_ptr<QTcpSocket> socket = std::make_unique<QTcpSocket>();
    QByteArray received;
    bool answered(const char* status)
    {
        received += socket->readAll();
        return received.startsWith(QByteArray("HTTP/1.1 ") + status);
    }
};

HeldClient holdClient(int port)
{
    HeldClient c;
    c.socket->connectToHost(QHostAddress::LocalHost, static_cast<quint16>(port));
    c.socket->write(upgradeRequest(port, {}));
    return c;
}

// CPU seconds (user + system) the process has used.
double cpuSeconds(pid_t pid)
{
    const QByteArray stat = readAll(QStringLiteral("/proc/%1/stat").arg(pid));
    const QList<QByteArray> f = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (f.size() < 13)
        return -1;
    return (f[11].toDouble() + f[12].toDouble()) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// The process's open descriptors, and how many of them are sockets.
int openDescriptors(pid_t pid)
{
    return static_cast<int>(QDir(QStringLiteral("/proc/%1/fd").arg(pid)).entryList(QDir::NoDotAndDotDot | QDir::System).size());
}

int openSockets(pid_t pid)
{
    const QString dir = QStringLiteral("/proc/%1/fd/").arg(pid);
    int n = 0;
    for (const QString& fd : QDir(dir).entryList(QDir::NoDotAndDotDot | QDir::System)) {
        char target[64] = {};
        const ssize_t len = ::readlink(QFile::encodeName(dir + fd).constData(), target, sizeof target - 1);
        if (len > 0 && std::string_view(target, static_cast<std::size_t>(len)).starts_with("socket:"))
            ++n;
    }
    return n;
}

// Attack 6: a page in the user's browser opens ws://127.0.0.1:8765 (the
// browser sends its Origin). Before: 101 and the full stream (7.4 MB in 1.5 s).
TEST(AgentEdges, BrowserOriginIsRefusedWith403UnlessAllowedAndNativeClientsGoOn)
{
    livetest::ensureCoreApp();
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "demo:dreamcast", "--rate", "2000",
                                  "--allow-origin", "https://dashboard.example:8443"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    const int port = url.port();

    for (const QByteArray& evil : {QByteArray("Origin: https://evil.example\r\n"),
                                   QByteArray("Sec-WebSocket-Origin: https://evil.example\r\n"),
                                   QByteArray("Origin: null\r\n"),
                                   QByteArray("Origin: https://dashboard.example:8443\r\nOrigin: https://evil.example\r\n"),
                                   QByteArray("Origin: https://dashboard.example\r\n")}) { // another port
        const RawAnswer a = rawHandshake(port, evil);
        EXPECT_TRUE(a.head.startsWith("HTTP/1.1 403 Forbidden\r\n")) << evil.toStdString() << a.head.toStdString();
        EXPECT_TRUE(a.after.isEmpty()) << "no WebSocket traffic after a refusal: " << a.after.size() << " bytes";
        EXPECT_TRUE(a.closed);
    }
    // the allowed origin, in any case and with a trailing slash, and no origin at all
    for (const QByteArray& fine : {QByteArray("Origin: https://dashboard.example:8443\r\n"),
                                   QByteArray("Origin: HTTPS://Dashboard.Example:8443/\r\n"), QByteArray()}) {
        const RawAnswer a = rawHandshake(port, fine);
        EXPECT_TRUE(a.head.startsWith("HTTP/1.1 101")) << fine.toStdString() << a.head.toStdString();
        EXPECT_FALSE(a.after.isEmpty()) << "the hello (and the stream) follows";
    }
    // the inspector's own client sends no Origin: it connects and streams
    live::LiveSession session(optionsFor(url));
    session.start();
    ASSERT_TRUE(livetest::waitUntil([&] { return session.snapshotNow().stats.messagesApplied >= 500; }, 5000))
        << session.snapshotNow().stats.stateText.toStdString();
    const live::LiveSnapshot s = session.stop();
    EXPECT_EQ(s.stats.reconnects, 0u);
    EXPECT_EQ(s.stats.seqGaps, 0u);

    EXPECT_TRUE(stoppedSaying(agent, "5 for their Origin"));
}

TEST(AgentEdges, AnAllowOriginThatIsNotAnOriginIsAUsageError)
{
    livetest::ensureCoreApp();
    for (const char* bad : {"https://x.example/path", "*", "null", "x.example"}) {
        QProcess p;
        p.start(QStringLiteral(FLIGHT_AGENT_EXE), {"serve", "--listen", "127.0.0.1:0", "--source", "demo", "--allow-origin", bad});
        ASSERT_TRUE(p.waitForFinished(5000));
        EXPECT_EQ(p.exitCode(), 2) << bad;
        const QString err = QString::fromUtf8(p.readAllStandardError());
        EXPECT_TRUE(err.contains(QStringLiteral("is not an origin"))) << bad << ": " << err.toStdString();
    }
}

// Attack 7: a token file holding `a` was accepted even with --listen 0.0.0.0.
TEST(AgentEdges, AWeakTokenIsRefusedAtStartAndFlightAgentTokenMakesAStrongOne)
{
    livetest::ensureCoreApp();
    QTemporaryDir dir;
    const QString weak = dir.filePath(QStringLiteral("weak"));
    for (const QByteArray& token : {QByteArray("a"), QByteArray("tok-9f2c"), QByteArray("passwordpassword")}) {
        ASSERT_TRUE(test::writeFile(weak.toStdString(), (token + "\n").toStdString()));
        QProcess p;
        p.start(QStringLiteral(FLIGHT_AGENT_EXE), {"serve", "--listen", "0.0.0.0:0", "--token-file", weak, "--source", "demo"});
        ASSERT_TRUE(p.waitForFinished(5000));
        EXPECT_EQ(p.exitCode(), 2) << token.toStdString();
        const QString err = QString::fromUtf8(p.readAllStandardError());
        EXPECT_TRUE(err.contains(QStringLiteral("too weak"))) << err.toStdString();
        EXPECT_TRUE(err.contains(QStringLiteral("flight-agent token FILE"))) << err.toStdString();
        EXPECT_FALSE(err.contains(QString::fromLatin1(token) + u')')) << "the token is not echoed";
    }

    const QString made = dir.filePath(QStringLiteral("token"));
    QProcess gen;
    gen.start(QStringLiteral(FLIGHT_AGENT_EXE), {"token", made});
    ASSERT_TRUE(gen.waitForFinished(5000));
    ASSERT_EQ(gen.exitCode(), 0) << gen.readAllStandardError().toStdString();
    EXPECT_EQ(QFileInfo(made).permissions(), QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser)
        << "mode 0600";
    const QByteArray token = readAll(made).trimmed();
    EXPECT_EQ(token.size(), 43);
    EXPECT_TRUE(gen.readAllStandardOutput().isEmpty()) << "written to the file only";
    // never over an existing file, nor through a symlink
    const QByteArray before = readAll(made);
    QProcess again;
    again.start(QStringLiteral(FLIGHT_AGENT_EXE), {"token", made});
    ASSERT_TRUE(again.waitForFinished(5000));
    EXPECT_EQ(again.exitCode(), 2);
    EXPECT_TRUE(QString::fromUtf8(again.readAllStandardError()).contains(QStringLiteral("exists already")));
    EXPECT_EQ(readAll(made), before);
    const QString victim = dir.filePath(QStringLiteral("victim"));
    ASSERT_TRUE(test::writeFile(victim.toStdString(), "keep me\n"));
    ASSERT_TRUE(QFile::link(victim, dir.filePath(QStringLiteral("link"))));
    QProcess viaLink;
    viaLink.start(QStringLiteral(FLIGHT_AGENT_EXE), {"token", dir.filePath(QStringLiteral("link"))});
    ASSERT_TRUE(viaLink.waitForFinished(5000));
    EXPECT_EQ(viaLink.exitCode(), 2);
    EXPECT_EQ(readAll(victim), QByteArray("keep me\n"));

    // the made token guards a non-loopback agent
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "0.0.0.0:0", "--token-file", made, "--source", "demo:psp", "--rate", "500"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    const RawAnswer ok = rawHandshake(url.port(), "Authorization: Bearer " + token + "\r\n");
    EXPECT_TRUE(ok.head.startsWith("HTTP/1.1 101")) << ok.head.toStdString();
}

// Attack 7: 5,282 wrong-token handshakes per second from one address, no delay.
TEST(AgentEdges, WrongTokensAreAnsweredSlowerAndSlowerWhileTheRightTokenNeverWaits)
{
    livetest::ensureCoreApp();
    QTemporaryDir dir;
    const QByteArray token = "8c1d0b6e4f2a97d35e0c41ab9f2d7e61";
    const QString file = dir.filePath(QStringLiteral("token"));
    ASSERT_TRUE(test::writeFile(file.toStdString(), (token + "\n").toStdString()));
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--token-file", file, "--source", "demo:psp", "--rate", "500"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    const int port = url.port();

    // one guesser, one handshake after the other, for 3 s
    QElapsedTimer clock;
    clock.start();
    int answered = 0;
    std::string answerTimes;
    while (clock.elapsed() < 3000) {
        const RawAnswer a = rawHandshake(port, "Authorization: Bearer guess-0000000000000000000000000" + QByteArray::number(answered) + "\r\n", 0);
        if (!a.head.startsWith("HTTP/1.1 401"))
            break;
        ++answered;
        answerTimes += std::to_string(clock.elapsed()) + " ms ";
    }
    // 100 + 200 + 400 + 800 ms: 4 answers in 3 s (5,282 per second before)
    EXPECT_GE(answered, 3);
    EXPECT_LE(answered, 5) << "answered at " << answerTimes;

    // many at once from the same address: answered one at a time, not together
    std::vector<std::unique_ptr<QTcpSocket>> burst;
    for (int i = 0; i < 20; ++i) {
        auto s = std::make_unique<QTcpSocket>();
        s->connectToHost(QHostAddress::LocalHost, static_cast<quint16>(port));
        burst.push_back(std::move(s));
    }
    livetest::waitUntil([&] {
        return std::all_of(burst.begin(), burst.end(),
                           [](const auto& s) { return s->state() == QAbstractSocket::ConnectedState; });
    }, 3000);
    for (auto& s : burst)
        s->write(upgradeRequest(port, "Authorization: Bearer nope-nope-nope-nope\r\n"));
    // meanwhile the right token, from the same address, is let in at once
    QElapsedTimer rightClock;
    rightClock.start();
    const RawAnswer right = rawHandshake(port, "Authorization: Bearer " + token + "\r\n");
    EXPECT_TRUE(right.head.startsWith("HTTP/1.1 101")) << right.head.toStdString();
    EXPECT_LT(rightClock.elapsed(), 1000) << "the right token is not slowed by the guesser's failures";
    live::LiveSessionOptions o = optionsFor(url);
    o.connection.bearerToken = token;
    live::LiveSession session(o);
    session.start();
    EXPECT_TRUE(livetest::waitUntil([&] { return session.snapshotNow().stats.messagesApplied >= 100; }, 4000));
    session.stop();
    std::vector<QByteArray> burstAnswers(burst.size());
    const auto answers = [&] {
        int n = 0;
        for (std::size_t i = 0; i < burst.size(); ++i) {
            burstAnswers[i] += burst[i]->readAll();
            n += burstAnswers[i].startsWith("HTTP/1.1 401") ? 1 : 0;
        }
        return n;
    };
    EXPECT_FALSE(livetest::waitUntil([&] { return answers() >= 2; }, 2000)) << "the 20 at once are answered 5 s apart";

    burst.clear();
    agent.stop();
    const QString err = agent.error();
    EXPECT_FALSE(err.contains(QString::fromLatin1(token)));
}

// Attack 10, first half: there was no limit on clients at all.
TEST(AgentEdges, OneClientOverMaxClientsGets503AndAFreedPlaceIsTakenAgain)
{
    livetest::ensureCoreApp();
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "demo:psp", "--rate", "200", "--max-clients", "3"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    std::vector<HeldClient> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(holdClient(url.port()));
        ASSERT_TRUE(livetest::waitUntil([&] { return held.back().answered("101"); }, 3000)) << i;
    }
    const RawAnswer fourth = rawHandshake(url.port(), {});
    EXPECT_TRUE(fourth.head.startsWith("HTTP/1.1 503 Service Unavailable\r\n")) << fourth.head.toStdString();
    EXPECT_TRUE(fourth.head.contains("Retry-After: 5\r\n"));
    EXPECT_TRUE(fourth.after.isEmpty());
    EXPECT_TRUE(fourth.closed);
    // one leaves: its place is taken by the next
    held.front().socket->abort();
    RawAnswer next;
    ASSERT_TRUE(livetest::waitUntil([&] {
        next = rawHandshake(url.port(), {});
        return next.head.startsWith("HTTP/1.1 101");
    }, 4000)) << next.head.toStdString();
    held.clear();
    EXPECT_TRUE(stoppedSaying(agent, "[1-9]\\d* over --max-clients"));
}

// Attack 10, second half: with `ulimit -n 64` and 56 clients the agent spun
// at ~100 % CPU (accept() failing with EMFILE, retried at once by Qt).
TEST(AgentEdges, OutOfDescriptorsTheAgentWaitsWithoutSpinningAndServesAgainWhenClientsLeave)
{
    livetest::ensureCoreApp();
    AgentChild agent;
    agent.process().setChildProcessModifier([] {
        const rlimit few{40, 40};
        ::setrlimit(RLIMIT_NOFILE, &few);
    });
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "demo:psp", "--rate", "5", "--max-clients", "200"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    const int socketsBefore = openSockets(agent.pid());
    std::vector<HeldClient> held;
    for (int i = 0; i < 45; ++i)
        held.push_back(holdClient(url.port()));
    const auto answered = [&] {
        return std::count_if(held.begin(), held.end(), [](HeldClient& c) { return c.answered("101"); });
    };
    // The agent takes what its descriptors allow (it pauses with fewer than 4
    // of its 40 free) and answers every one it took, but the one the kernel
    // handed it last, which waits (accepted, untaken) until a descriptor is
    // free; the rest wait in the backlog.
    ASSERT_TRUE(livetest::waitUntil(
        [&] {
            const int accepted = openSockets(agent.pid()) - socketsBefore;
            return openDescriptors(agent.pid()) > 35 && accepted > 1 && answered() >= accepted - 1;
        },
        20000))
        << openDescriptors(agent.pid()) << " descriptors open, " << answered() << " answered, agent "
        << (agent.running() ? "running" : "gone") << ": " << agent.error().toStdString();
    const long before = answered();
    EXPECT_GE(before, 15);
    EXPECT_LT(before, 45) << "the limit was reached";
    const double cpu0 = cpuSeconds(agent.pid());
    livetest::pump(3000); // a measuring window, not a wait for something
    const double cpu = cpuSeconds(agent.pid()) - cpu0;
    EXPECT_LT(cpu, 0.3) << "agent CPU over 3 s while out of descriptors (spinning: 0.8 s and more)";
    EXPECT_LE(answered(), before + 1) << "nothing (or the one a probe let in) accepted meanwhile";
    // 10 leave: as many of the waiting ones are let in
    int closedNow = 0;
    for (HeldClient& c : held)
        if (closedNow < 10 && c.answered("101")) {
            c.socket->abort();
            ++closedNow;
        }
    ASSERT_TRUE(livetest::waitUntil([&] { return answered() >= before + 5; }, 5000))
        << before << " -> " << answered();
    held.clear();
    EXPECT_TRUE(stoppedSaying(agent, "accepting paused [1-9]\\d* times"));
}

// Attack 9: 65,329 subscribes at full speed from one client; a second client
// got 3,992 messages in 16 s instead of 684,161.
TEST(AgentEdges, AClientFloodingSubscribesIsClosedAndTheWatcherKeepsItsThroughput)
{
    livetest::ensureCoreApp();
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "demo:v6r-small", "--rate", "5000"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    live::LiveSession watcher(optionsFor(url));
    watcher.start();
    const auto applied = [&] { return watcher.snapshotNow().stats.messagesApplied; };
    ASSERT_TRUE(livetest::waitUntil([&] { return applied() >= 1000; }, 5000));
    const auto window = [&](const std::function<void()>& during) {
        const std::uint64_t from = applied();
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 3000) {
            if (during)
                during();
            livetest::pump(5);
        }
        return applied() - from;
    };
    const std::uint64_t baseline = window({});

    // the flooder: subscribes (each asking to start over) as fast as it can
    // write them, reconnecting whenever it is closed
    QWebSocket flooder;
    int connections = 0, closedForPolicy = 0;
    std::uint64_t subscribesSent = 0;
    QString closeReason;
    QObject::connect(&flooder, &QWebSocket::connected, [&] { ++connections; });
    QObject::connect(&flooder, &QWebSocket::disconnected, [&] {
        if (flooder.closeCode() == QWebSocketProtocol::CloseCodePolicyViolated) {
            ++closedForPolicy;
            closeReason = flooder.closeReason();
        }
    });
    const QString subscribe = QStringLiteral(R"({"type":"subscribe","sessionIds":["*"],"since":{"demo-v6r-small-1":1}})");
    const std::uint64_t flooded = window([&] {
        if (flooder.state() == QAbstractSocket::UnconnectedState)
            flooder.open(url);
        else if (flooder.state() == QAbstractSocket::ConnectedState)
            for (int i = 0; i < 200 && flooder.bytesToWrite() < (1 << 20); ++i, ++subscribesSent)
                flooder.sendTextMessage(subscribe);
    });
    flooder.abort();
    const live::LiveSnapshot w = watcher.stop();

    EXPECT_GE(connections, 2);
    EXPECT_GE(closedForPolicy, 1) << "the flooder is closed with 1008";
    EXPECT_TRUE(closeReason.contains(QStringLiteral("over the limit"))) << closeReason.toStdString();
    EXPECT_GE(static_cast<double>(flooded), 0.8 * static_cast<double>(baseline))
        << "watcher: " << baseline << " messages in 3 s alone, " << flooded << " while " << subscribesSent
        << " subscribes were sent on " << connections << " connections";
    EXPECT_EQ(w.stats.seqGaps, 0u);
    EXPECT_EQ(w.stats.reconnects, 0u);
    const long rssKiB = procStatusKiB(agent.pid(), "VmHWM");
#if defined(__SANITIZE_ADDRESS__)
    // ASan's quarantine and redzones make RSS a figure of the sanitizer, not of
    // the program (as in HugeRecording): the Release suite asserts this bound,
    // the ASan run checks everything else.
    std::printf("agent peak RSS %ld KiB, not asserted under AddressSanitizer\n", rssKiB);
#else
    EXPECT_LT(rssKiB, 160 * 1024) << "the agent's peak RSS (KiB)";
#endif
    EXPECT_TRUE(stoppedSaying(agent, "[1-9]\\d* closed for flooding"));
    std::fprintf(stderr, "watcher %llu alone, %llu while flooded (%llu subscribes on %d connections)\n",
                 static_cast<unsigned long long>(baseline), static_cast<unsigned long long>(flooded),
                 static_cast<unsigned long long>(subscribesSent), connections);
}

// Attack 1: a replay with S open sessions, then a client connects: 0.27 s at
// S=500, 20.6 s at 4,000; at 5,000 the agent sat in pump() for over a minute,
// served nobody and ignored SIGINT.
TEST(AgentEdges, TenThousandOpenSessionsReachANewClientWhileOthersAreServedAndSigintStopsAtOnce)
{
    livetest::ensureCoreApp();
    QTemporaryDir dir;
    constexpr int kSessions = 10'000;
    const QString rec = dir.filePath(QStringLiteral("open.jsonl"));
    {
        QFile f(rec);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        for (int i = 1; i <= kSessions; ++i) {
            const std::string id = "vm-" + std::to_string(i);
            f.write(QByteArray::fromStdString(protocol::encode(protocol::Message{
                        protocol::SessionStartedMsg{id, "psp", "", {}, {}, 1764000000000}, {}, {}}))
                    + '\n');
            f.write(QByteArray::fromStdString(protocol::encode(protocol::Message{
                        protocol::MarkerMsg{id, 1764000000000, "open"}, {}, {}}))
                    + '\n');
        }
    }
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "replay:" + rec, "--source", "demo:dreamcast",
                                  "--rate", "500"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();

    // counts frames per client: the agent's work is what is measured, not a model's
    struct Counter {
        QWebSocket socket;
        std::uint64_t frames = 0;
        std::uint64_t started = 0;
        explicit Counter(const QUrl& url)
        {
            QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString& t) {
                ++frames;
                started += t.contains(QLatin1String("\"session_started\"")) ? 1 : 0;
            });
            socket.open(url);
        }
    };
    Counter watcher(url);
    ASSERT_TRUE(livetest::waitUntil([&] { return watcher.started >= kSessions; }, 30'000)) << watcher.started;

    Counter late(url);
    QElapsedTimer clock;
    clock.start();
    std::uint64_t watcherDuringCatchUp = 0;
    const std::uint64_t watcherBefore = watcher.frames;
    ASSERT_TRUE(livetest::waitUntil([&] {
        if (late.started < kSessions)
            watcherDuringCatchUp = watcher.frames - watcherBefore;
        return late.started >= kSessions + 1; // and the dreamcast demo's
    }, 30'000)) << late.started << " sessions after " << clock.elapsed() << " ms";
    const qint64 catchUpMs = clock.elapsed();
    EXPECT_LT(catchUpMs, 5000) << "10,000 open sessions to a new client (the benchmark: well under 1 s)";
    EXPECT_GT(watcherDuringCatchUp, 0u) << "the watcher was served meanwhile";
    std::fprintf(stderr, "10,000 open sessions reached a new client in %lld ms; the watcher got %llu frames meanwhile\n",
                 static_cast<long long>(catchUpMs), static_cast<unsigned long long>(watcherDuringCatchUp));

    // SIGINT while it serves two more new clients their 10,000 sessions
    Counter third(url), fourth(url);
    ASSERT_TRUE(livetest::waitUntil([&] { return third.frames > 100 && fourth.frames > 100; }, 10'000));
    QElapsedTimer stop;
    stop.start();
    ::kill(agent.pid(), SIGINT);
    ASSERT_TRUE(agent.process().waitForFinished(3000));
    EXPECT_LT(stop.elapsed(), 1000) << "SIGINT stops the agent within 1 s";
    EXPECT_EQ(agent.process().exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(agent.process().exitCode(), 0);
}

// Also weak: the agent kept 335-360 MB after 1,000 clients had come and gone
// (allocator retention: ~30 MB above the baseline in this test's set-up).
TEST(AgentEdges, MemoryReturnsNearTheBaselineAfterManyClientsHaveComeAndGone)
{
    livetest::ensureCoreApp();
    AgentChild agent;
    const QUrl url = agent.start({"--listen", "127.0.0.1:0", "--source", "demo", "--rate", "20000"});
    ASSERT_TRUE(url.isValid()) << agent.error().toStdString();
    livetest::pump(3000); // the demo's rings fill (its short sessions retire): a steady baseline
    const long baseline = procStatusKiB(agent.pid(), "VmRSS");
    long peak = baseline;
    // 400 clients, 25 at a time, each reading the replay for 300 ms
    for (int round = 0; round < 16; ++round) {
        std::vector<HeldClient> batch;
        for (int i = 0; i < 25; ++i)
            batch.push_back(holdClient(url.port()));
        QElapsedTimer clock;
        clock.start();
        livetest::waitUntil([&] {
            for (HeldClient& c : batch)
                c.answered("101");
            return clock.elapsed() >= 300;
        }, 1000);
        peak = std::max(peak, procStatusKiB(agent.pid(), "VmRSS"));
    }
    long after = 0;
    const bool back = livetest::waitUntil([&] {
        after = procStatusKiB(agent.pid(), "VmRSS");
        return after <= baseline + 12 * 1024;
    }, 8000);
#if defined(__SANITIZE_ADDRESS__)
    // ASan's quarantine and redzones make RSS a figure of the sanitizer, not of
    // the program (as in HugeRecording): the Release suite asserts this bound,
    // the ASan run checks everything else.
    (void)back;
#else
    EXPECT_TRUE(back) << "VmRSS " << baseline / 1024 << " MiB before, " << peak / 1024 << " MiB with clients, "
                      << after / 1024 << " MiB after they left";
#endif
    std::fprintf(stderr, "agent VmRSS: %ld MiB before, %ld MiB peak with clients, %ld MiB after\n", baseline / 1024,
                 peak / 1024, after / 1024);
}

} // namespace
