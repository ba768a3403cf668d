// SPDX-License-Identifier: MIT
// v8:HOST:PORT on a real Chromium (Debian's chromium, headless): a port with
// two pages is two sessions, each sampled with Runtime.getHeapUsage (a page
// has no require('v8')), and Chromium's own UI targets are left out.

#include "v8_node_target.h"

#include "live/sources/source_spec.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

using namespace flight;
using namespace flight::live;
using namespace flight::live::test;

namespace {

// A headless Chromium with its DevTools port on a free loopback port and a
// profile of its own; killed (and its profile removed) when the object goes.
class Chromium {
public:
    explicit Chromium(const QString& firstPage)
    {
        QStringList args{QStringLiteral("--headless=new"), QStringLiteral("--disable-gpu"),
                         QStringLiteral("--remote-debugging-port=0"), QStringLiteral("--remote-debugging-address=127.0.0.1"),
                         QStringLiteral("--user-data-dir=") + profile.path(), QStringLiteral("--no-first-run")};
        if (::geteuid() == 0)
            args << QStringLiteral("--no-sandbox"); // Chromium's sandbox refuses to run as root
        args << firstPage;
        // Chromium's own temporary files (org.chromium.Chromium.*) go with the profile.
        QDir(profile.path()).mkdir(QStringLiteral("tmp"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TMPDIR"), profile.path() + QStringLiteral("/tmp"));
        process.setProcessEnvironment(env);
        // A process group of its own: Chromium's renderer, GPU and zygote
        // children go with it (they would otherwise outlive the browser and
        // write into the profile after it was removed).
        process.setChildProcessModifier([] { ::setpgid(0, 0); });
        QObject::connect(&process, &QProcess::readyReadStandardError,
                         [this] { stderrText += QString::fromUtf8(process.readAllStandardError()); });
        process.start(QStringLiteral(FLIGHT_CHROMIUM_PATH), args);
    }
    ~Chromium()
    {
        const auto group = static_cast<pid_t>(process.processId());
        if (group > 0) {
            ::kill(-group, SIGTERM);
            if (!process.waitForFinished(10000))
                ::kill(-group, SIGKILL);
            process.waitForFinished(5000);
            // Until every process of the group is gone (reaped by init once the browser is).
            livetest::waitUntil([group] { return ::kill(-group, 0) != 0; }, 10000);
            ::kill(-group, SIGKILL);
        }
    }

    quint16 waitForPort(int ms)
    {
        return waitForListeningPort(QStringLiteral("DevTools"), process, stderrText, ms);
    }

    QTemporaryDir profile;
    QProcess process;
    QString stderrText;
};

QString page(const QString& title, const QString& script)
{
    return QStringLiteral("data:text/html,<title>%1</title><script>%2</script>").arg(title, script);
}

} // namespace

TEST(V8Source, TwoChromiumPagesOnOnePortAreTwoSessions)
{
    livetest::ensureCoreApp();
    // About 40 MB of objects held by the first page, made in 20 tasks (one
    // long task would keep the page from answering the agent for seconds on a
    // loaded machine); the second page holds nothing.
    Chromium chromium(page(QStringLiteral("flight-one"),
                           QStringLiteral("window.keep = []; let n = 0;"
                                          "function fill() { for (let i = 0; i < 50000; ++i) keep.push({i, s: 'x' + i});"
                                          "  if (++n < 20) setTimeout(fill, 10); else console.log('flight: filled'); }"
                                          "setTimeout(fill, 1000);")));
    ASSERT_TRUE(chromium.profile.isValid());
    const quint16 port = chromium.waitForPort(60000);
    ASSERT_NE(port, 0) << chromium.stderrText.toStdString();

    // A second page, as DevTools opens one (PUT /json/new).
    QNetworkAccessManager net;
    QNetworkReply* reply = net.put(
        QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/json/new?%2").arg(port).arg(page(QStringLiteral("flight-two"), {})))),
        QByteArray());
    ASSERT_TRUE(livetest::waitUntil([&] { return reply->isFinished(); }, 20000));
    ASSERT_EQ(reply->error(), QNetworkReply::NoError) << reply->errorString().toStdString();
    reply->deleteLater();

    V8Endpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = port;
    std::vector<V8Target> targets;
    ASSERT_TRUE(livetest::waitUntil([&] {
        auto t = discoverV8Targets(e, std::chrono::milliseconds(3000));
        targets = t ? std::move(*t) : std::vector<V8Target>{};
        return targets.size() >= 2;
    }, 20000));
    EXPECT_EQ(targets.size(), 2u) << "the two pages; Chromium's browser_ui targets are not the user's";

    SourceSettings settings;
    settings.interval = std::chrono::milliseconds(100);
    auto made = makeSources(QStringLiteral("v8:127.0.0.1:%1").arg(port), settings);
    ASSERT_TRUE(made.has_value()) << made.error().message;
    ASSERT_EQ(made->size(), 1u);
    std::map<std::string, Seen> sessions;
    std::map<std::string, AgentSource::Sink> sinks;
    made->front()->start([&](const protocol::Message& m) {
        const std::string id(m.sessionId());
        auto it = sinks.find(id);
        if (it == sinks.end())
            it = sinks.emplace(id, sessions[id].sink()).first;
        it->second(m);
    });
    const auto ready = [&] {
        if (sessions.size() < 2)
            return false;
        for (const auto& [id, s] : sessions)
            if (s.updates.size() < 5)
                return false;
        return std::ranges::any_of(sessions, [](const auto& s) { return s.second.markerAt("filled").has_value(); });
    };
    ASSERT_TRUE(livetest::waitUntil(ready, 60000)) << sessions.size() << " sessions";
    made->front()->stop();

    ASSERT_EQ(sessions.size(), 2u);
    const Seen* one = nullptr;
    const Seen* two = nullptr;
    for (const auto& [id, s] : sessions) {
        EXPECT_EQ(id.rfind("v8-", 0), 0u) << id;
        EXPECT_EQ(s.types.front(), "session_started");
        EXPECT_GT(s.total, 0u);
        EXPECT_EQ(s.heapMax, s.total) << "performance.memory.jsHeapSizeLimit, above every catalogued platform: custom";
        EXPECT_EQ(s.backwards, 0u);
        (s.label.find("flight-one") != std::string::npos ? one : two) = &s;
    }
    ASSERT_TRUE(one && two);
    EXPECT_NE(two->label.find("flight-two"), std::string::npos) << two->label;
    const std::uint64_t heapOne = one->updates.back().of(StandardPurpose::VmHeap);
    const std::uint64_t heapTwo = two->updates.back().of(StandardPurpose::VmHeap);
    std::printf("chromium pages: vm-heap %.1f MB (holding objects) and %.1f MB (empty)\n",
                static_cast<double>(heapOne) / 1e6, static_cast<double>(heapTwo) / 1e6);
    EXPECT_GT(heapTwo, 0u);
    EXPECT_GT(heapOne, heapTwo + 30'000'000u) << "the first page holds about 40 MB more";
    EXPECT_EQ(one->updates.back().used, one->updates.back().of(StandardPurpose::VmHeap)
                                            + one->updates.back().of(StandardPurpose::NetworkBuffers));
}
