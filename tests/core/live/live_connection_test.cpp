// SPDX-License-Identifier: MIT
// LiveConnection and its helpers: backoff, URL redaction, token files, the
// bearer token on a real handshake, TLS trust. Real loopback sockets.
#include "live_test_support.h"

#include "live/client/backoff_policy.h"
#include "live/client/live_connection.h"
#include "live/client/live_session.h"
#include "live/client/redact_url.h"
#include "live/client/snapshot_mailbox.h"
#include "live/common/token_file.h"
#include "protocol/session_store.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <limits>
#include <utility>

using namespace flight;
using namespace flight::live;
using namespace flight::livetest;
using namespace std::chrono_literals;

namespace {

BackoffOptions backoff(std::chrono::milliseconds base, std::chrono::milliseconds max, double jitter = 0.2)
{
    BackoffOptions b;
    b.base = base;
    b.max = max;
    b.jitter = jitter;
    return b;
}

// The shortest and the longest of `n` delays (ms) from `next`.
template <typename Next> std::pair<std::int64_t, std::int64_t> spreadOf(int n, Next next)
{
    std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = 0;
    for (int i = 0; i < n; ++i) {
        const std::int64_t d = next();
        lo = std::min(lo, d);
        hi = std::max(hi, d);
    }
    return {lo, hi};
}

LiveConnectionOptions conn(const QUrl& url, const QByteArray& token = {},
                           BackoffOptions b = backoff(std::chrono::milliseconds(20), std::chrono::milliseconds(40)))
{
    LiveConnectionOptions o;
    o.url = url;
    o.bearerToken = token;
    o.backoff = b;
    return o;
}

TestProducer::Options withToken(const QByteArray& token)
{
    TestProducer::Options o;
    o.requiredToken = token;
    return o;
}

TestProducer::Options withTls(const std::optional<QSslConfiguration>& tls)
{
    TestProducer::Options o;
    o.tls = tls;
    return o;
}

TEST(BackoffPolicy, DoublesFromOneSecondToThirtyWithTwentyPercentJitter)
{
    BackoffPolicy b({}, 42);
    const std::int64_t want[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    for (int round = 0; round < 2; ++round) {
        for (std::int64_t w : want) {
            const auto d = b.next().count();
            EXPECT_GE(d, w * 8 / 10) << w;
            EXPECT_LE(d, w * 12 / 10) << w;
        }
        b.reset();
        EXPECT_EQ(b.attempts(), 0);
    }
}

TEST(BackoffPolicy, JitterSpreadsDelaysAndNeverPassesTheCap)
{
    // Below the cap: both ends of [800, 1200] are used.
    BackoffPolicy below(backoff(1000ms, 4000ms, 0.2), 7);
    const auto [lo, hi] = spreadOf(200, [&] {
        below.reset();
        return below.next().count();
    });
    EXPECT_GE(lo, 800);
    EXPECT_LE(hi, 1200);
    EXPECT_LT(lo, 880);
    EXPECT_GT(hi, 1120);

    // At the 30 s cap: never above it, jitter included, and still spread (24..30 s),
    // so clients that lost the same agent do not all come back at one instant.
    BackoffPolicy capped({}, 7);
    for (int i = 0; i < 5; ++i)
        capped.next(); // 1, 2, 4, 8, 16 s
    const auto [cappedLo, cappedHi] = spreadOf(195, [&] { return capped.next().count(); });
    EXPECT_LE(cappedHi, 30000);
    EXPECT_GT(cappedHi, 29500);
    EXPECT_GE(cappedLo, 24000);
    EXPECT_LT(cappedLo, 25000);
}

TEST(RedactUrl, DropsUserInfoQueryAndFragment)
{
    EXPECT_EQ(redactUrl(QUrl(QStringLiteral("wss://bob:hunter2@example.org:8443/live?token=abc&x=1#frag"))),
              QStringLiteral("wss://example.org:8443/live"));
    EXPECT_EQ(redactUrl(QUrl(QStringLiteral("ws://127.0.0.1:8765"))), QStringLiteral("ws://127.0.0.1:8765"));
}

TEST(TokenFile, TrimsWhitespaceAndRefusesMissingOrEmpty)
{
    QTemporaryDir dir;
    // The file `name` in dir holding `text`.
    const auto written = [&](const char* name, const QByteArray& text) {
        const QString path = dir.filePath(QString::fromLatin1(name));
        QFile f(path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        EXPECT_EQ(f.write(text), text.size());
        return path;
    };
    auto t = readTokenFile(written("token", "  s3cr3t-token\n\n"));
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, QByteArray("s3cr3t-token"));

    auto te = readTokenFile(written("empty", " \n\t "));
    ASSERT_FALSE(te);
    EXPECT_NE(te.error().message.find("is empty"), std::string::npos);

    auto tm = readTokenFile(dir.path() + QStringLiteral("/missing"));
    ASSERT_FALSE(tm);
    EXPECT_NE(tm.error().message.find("does not exist"), std::string::npos);
}

TEST(SnapshotMailbox, LatestWinsAndCountsWhatWasReplaced)
{
    SnapshotMailbox box;
    LiveSnapshot a, b, c;
    a.sequence = 1;
    a.stats.framesReceived = 10;
    b.sequence = 2;
    b.stats.framesReceived = 25;
    c.sequence = 3;
    c.stats.framesReceived = 40;
    EXPECT_TRUE(box.put(a));   // wake the consumer
    EXPECT_FALSE(box.put(b));  // a replaced: no second wake-up
    EXPECT_FALSE(box.put(c));  // b replaced
    auto got = box.take();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->sequence, 3u);
    EXPECT_EQ(got->stats.snapshotsCoalesced, 2u);
    EXPECT_EQ(got->stats.framesCoalesced, 25u); // frames 1..25 only reached the consumer through c
    EXPECT_FALSE(box.take());
    EXPECT_EQ(box.coalesced(), 2u);
    EXPECT_EQ(box.taken(), 1u);
}

class LiveConnectionTest : public ::testing::Test {
protected:
    void SetUp() override { ensureCoreApp(); }
};

TEST_F(LiveConnectionTest, SendsTheBearerTokenOnTheHandshake)
{
    const Stream stream = makeStream(1, 10);
    TestProducer server(stream, withToken("abc.def-123"));
    LiveConnection c(conn(server.url(), "abc.def-123"));
    int frames = 0;
    QObject::connect(&c, &LiveConnection::frameReceived, [&](const QByteArray&) { ++frames; });
    QObject::connect(&c, &LiveConnection::linkUp, [&] { c.sendText(QStringLiteral(R"({"type":"subscribe","sessionIds":["*"]})")); });
    c.open();
    ASSERT_TRUE(waitUntil([&] { return frames == 10; }));
    EXPECT_EQ(c.state(), ConnectionState::Connected);
    ASSERT_EQ(server.authorizationHeaders().size(), 1);
    EXPECT_EQ(server.authorizationHeaders().first(), QByteArray("Bearer abc.def-123"));
    EXPECT_EQ(server.handshakesRefused(), 0);
    EXPECT_FALSE(c.stateText().contains(QStringLiteral("abc.def")));
    c.close();
    ASSERT_TRUE(waitUntil([&] { return c.state() == ConnectionState::Closed; }));
}

TEST_F(LiveConnectionTest, RefusedWithoutTheTokenIsAFinalErrorWithAClearMessage)
{
    TestProducer server(makeStream(1, 5), withToken("right-token"));
    for (const QByteArray& token : {QByteArray(), QByteArray("wrong-token")}) {
        LiveConnection c(conn(server.url(), token));
        std::vector<ConnectionState> states;
        QObject::connect(&c, &LiveConnection::stateChanged, [&](ConnectionState s, const QString&) { states.push_back(s); });
        c.open();
        ASSERT_TRUE(waitUntil([&] { return c.state() == ConnectionState::Error; }));
        EXPECT_TRUE(c.stateText().contains(QStringLiteral("401 Unauthorized"))) << c.stateText().toStdString();
        EXPECT_TRUE(c.stateText().contains(QStringLiteral("bearer token"))) << c.stateText().toStdString();
        EXPECT_FALSE(c.stateText().contains(QStringLiteral("wrong-token")));
        // An absence is checked over a window, kept on purpose: several backoff periods, no retry after a refusal.
        pump(150);
        EXPECT_EQ(c.stats().attempts, 1u);
        EXPECT_EQ(c.stats().connects, 0u);
        EXPECT_EQ(states, (std::vector<ConnectionState>{ConnectionState::Connecting, ConnectionState::Error}));
    }
    EXPECT_EQ(server.handshakesRefused(), 2);
    EXPECT_EQ(server.connectionsAccepted(), 0);
}

TEST_F(LiveConnectionTest, RetryDelayIsSaidInWholeSecondsNotMilliseconds)
{
    const ClosedPort nobody;
    LiveConnection c(conn(nobody.wsUrl(), {}, backoff(1500ms, 30000ms, 0.0)));
    c.open();
    ASSERT_TRUE(waitUntil([&] { return c.state() == ConnectionState::Disconnected; }));
    EXPECT_EQ(c.lastBackoffDelay(), 1500ms);
    EXPECT_TRUE(c.stateText().endsWith(QStringLiteral("; reconnecting in 2 s"))) << c.stateText().toStdString();
    c.close();
}

TEST_F(LiveConnectionTest, UnreachableServerIsRetriedWithBackoffThenFoundWhenItComesUp)
{
    // a port bound but never listening: every attempt is refused
    const ClosedPort nobody;
    LiveConnection c(conn(nobody.wsUrl(), {}, backoff(30ms, 60ms, 0.0)));
    c.open();
    ASSERT_TRUE(waitUntil([&] { return c.stats().attempts >= 3; }));
    EXPECT_EQ(c.stats().connects, 0u);
    EXPECT_NE(c.state(), ConnectionState::Error); // refused is worth retrying
    EXPECT_EQ(c.lastBackoffDelay(), 60ms);        // 30, 60, 60 (max)
    EXPECT_TRUE(c.stateText().contains(QStringLiteral("reconnecting in"))
                || c.state() == ConnectionState::Connecting) << c.stateText().toStdString();
    c.close();
    EXPECT_EQ(c.state(), ConnectionState::Closed);
    const auto attempts = c.stats().attempts;
    pump(150); // a window of several backoff periods (30-60 ms), kept on purpose: an absence cannot be waited for
    EXPECT_EQ(c.stats().attempts, attempts); // closed on purpose: no more attempts
}

TEST_F(LiveConnectionTest, NotAWebSocketUrlIsAnError)
{
    LiveConnection c(conn(QUrl(QStringLiteral("http://user:pw@127.0.0.1:1/x?token=t"))));
    c.open();
    EXPECT_EQ(c.state(), ConnectionState::Error);
    EXPECT_EQ(c.stateText(), QStringLiteral("http://127.0.0.1:1/x is not a ws:// or wss:// URL"));
}

class LiveTlsTest : public LiveConnectionTest {
protected:
    void SetUp() override
    {
        LiveConnectionTest::SetUp();
        ASSERT_TRUE(dir.isValid());
        cert = makeSelfSignedCertificate(dir.path());
        ASSERT_TRUE(cert) << "openssl req -x509 failed";
        tls = serverTlsConfiguration(*cert);
        ASSERT_TRUE(tls);
    }
    QTemporaryDir dir;
    std::optional<TestCertificate> cert;
    std::optional<QSslConfiguration> tls;
};

TEST_F(LiveTlsTest, UntrustedSelfSignedCertificateFailsWithAClearMessage)
{
    TestProducer server(makeStream(1, 5), withTls(tls));
    LiveConnection c(conn(server.url()));
    c.open();
    ASSERT_TRUE(waitUntil([&] { return c.state() == ConnectionState::Error; }));
    const QString text = c.stateText();
    EXPECT_TRUE(text.contains(QStringLiteral("TLS certificate of wss://127.0.0.1"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("self-signed"), Qt::CaseInsensitive)) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("--trust-cert"))) << text.toStdString();
    auto pem = loadPemCertificates(cert->certPath);
    ASSERT_TRUE(pem);
    EXPECT_TRUE(text.contains(certificateFingerprint(pem->first()))) << text.toStdString();
    pump(100); // a window, kept on purpose: an untrusted certificate is final, no retry comes within it
    EXPECT_EQ(c.stats().attempts, 1u);
    EXPECT_EQ(c.stats().connects, 0u);
    EXPECT_EQ(server.connectionsAccepted(), 0);
}

TEST_F(LiveTlsTest, ExplicitlyTrustedCertificateConnectsAndStreams)
{
    const Stream stream = makeStream(2, 15);
    TestProducer server(stream, withTls(tls));
    auto pem = loadPemCertificates(cert->certPath);
    ASSERT_TRUE(pem);
    LiveSessionOptions o;
    o.connection.url = server.url();
    o.connection.trustedCertificates = *pem;
    o.connection.bearerToken = "tls-token";
    o.publishInterval = 20ms;
    LiveSession live(o);
    live.start();
    ASSERT_TRUE(waitUntil([&] {
        std::uint64_t n = 0;
        live.withStore([&](const protocol::SessionStore& s) { n = s.messagesApplied(); });
        return n == stream.items.size();
    }));
    const LiveSnapshot snap = live.snapshotNow();
    EXPECT_EQ(snap.stats.state, ConnectionState::Connected);
    EXPECT_EQ(snap.sessions.size(), 2u);
    EXPECT_EQ(snap.sessions[0].usedBytes, stream.expected.at("vm-1").usedBytes);
    ASSERT_EQ(server.authorizationHeaders().size(), 1);
    EXPECT_EQ(server.authorizationHeaders().first(), QByteArray("Bearer tls-token"));
}

TEST_F(LiveTlsTest, TrustingAnotherCertificateDoesNotHelp)
{
    QTemporaryDir other;
    auto otherCert = makeSelfSignedCertificate(other.path());
    ASSERT_TRUE(otherCert);
    auto otherPem = loadPemCertificates(otherCert->certPath);
    ASSERT_TRUE(otherPem);
    TestProducer server(makeStream(1, 5), withTls(tls));
    LiveConnectionOptions o = conn(server.url());
    o.trustedCertificates = *otherPem;
    LiveConnection c(o);
    c.open();
    ASSERT_TRUE(waitUntil([&] { return c.state() == ConnectionState::Error; }));
    EXPECT_TRUE(c.stateText().contains(QStringLiteral("not trusted"))) << c.stateText().toStdString();
    EXPECT_EQ(c.stats().connects, 0u);
}

} // namespace
