// SPDX-License-Identifier: MIT
// The inspector reading a real Prometheus (tests/fleet/fleet_environment.h):
// the client's figures against the agents' own /metrics and Prometheus' raw
// samples, the fleet query's rows, a VM's history as a session, a series that
// disappears, and Prometheus down or silent.
#include "fleet_environment.h"
#include "live_test_support.h"

#include "fleet/fleet_query.h"
#include "fleet/prometheus_client.h"
#include "fleet/prometheus_history.h"
#include "model/memory_purpose.h"

#include <QDateTime>
#include <QTcpServer>
#include <QTcpSocket>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

using namespace flight;
using fleettest::FleetEnvironment;
using fleettest::settled;
using promtest::parseExposition;

namespace {

fleet::PrometheusClient clientOf(const FleetEnvironment& env)
{
    return fleet::PrometheusClient(QUrl(env.prometheus->url()));
}

const fleet::FleetVm* findVm(const fleet::FleetSnapshot& snap, const QString& instance, const std::string& session)
{
    for (const fleet::FleetVm& vm : snap.vms)
        if (vm.instance == instance.toStdString() && vm.session == session)
            return &vm;
    return nullptr;
}

// The largest raw sample Prometheus holds for `selector` over the last `seconds`.
double rawMax(const FleetEnvironment& env, const QString& selector, int seconds)
{
    double m = -1;
    for (const auto& s : env.prometheus->samples(selector, seconds))
        m = std::max(m, s.second);
    return m;
}

} // namespace

TEST(PrometheusFleet, ClientAnswersWhatTheAgentsSay)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    const fleet::PrometheusClient client = clientOf(env);
    for (const auto* agent : {env.psp.get(), env.v6r.get()}) {
        const std::string session = agent == env.psp.get() ? "demo-psp-1" : "demo-v6r-small-1";
        const std::string platform = agent == env.psp.get() ? "psp" : "v6r-small";
        const auto own = parseExposition(agent->metrics(), session);
        const std::string labels = "{platform=\"" + platform + "\",session=\"" + session + "\",}";
        ASSERT_TRUE(own.contains("flight_memory_used_bytes" + labels)) << session;
        const auto r = client.query(QStringLiteral("flight_memory_used_bytes{session=\"%1\",instance=\"%2\"}")
                                        .arg(QString::fromStdString(session), env.targetOf(*agent)));
        ASSERT_TRUE(r.has_value()) << r.error().message;
        ASSERT_EQ(r->size(), 1u);
        EXPECT_EQ(r->front().label("platform"), platform);
        EXPECT_EQ(r->front().label("exported_instance"), agent->instance());
        EXPECT_EQ(r->front().samples.back().value, own.at("flight_memory_used_bytes" + labels));
    }
    // A range query: points every 2 s over 10 s (as many as Prometheus has had time to scrape), in time order.
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    const auto range = client.queryRange(QStringLiteral("flight_memory_used_bytes{session=\"vm-go\"}"), now - 10'000, now, 2);
    ASSERT_TRUE(range.has_value()) << range.error().message;
    ASSERT_EQ(range->size(), 1u);
    const auto& points = range->front().samples;
    ASSERT_GE(points.size(), 1u);
    EXPECT_LE(points.size(), 6u);
    for (std::size_t i = 0; i < points.size(); ++i) {
        EXPECT_EQ(points[i].value, 910163968);
        if (i > 0) {
            EXPECT_EQ(points[i].timeMs - points[i - 1].timeMs, 2000);
        }
    }
    // A query Prometheus refuses: its own words.
    const auto bad = client.query(QStringLiteral("sum(("));
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("answered 400"), std::string::npos) << bad.error().message;
    EXPECT_NE(bad.error().message.find("bad_data"), std::string::npos) << bad.error().message;
}

TEST(PrometheusFleet, FleetRowsHoldEveryVmWithItsFigures)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    const auto snap = fleet::queryFleet(clientOf(env));
    ASSERT_TRUE(snap.has_value()) << snap.error().message;
    // The replay: the recording's own figures; over its v6r-medium budget (vm-heap 768 MB > 512 MB).
    const fleet::FleetVm* go = findVm(*snap, env.targetOf(*env.replay), "vm-go");
    ASSERT_NE(go, nullptr);
    EXPECT_EQ(go->platform, "v6r-medium");
    EXPECT_EQ(go->usedBytes, 910163968u);
    EXPECT_EQ(go->totalBytes, std::optional<std::uint64_t>(1073741824u));
    EXPECT_EQ(go->pressureLevel, 1);
    EXPECT_EQ(go->peakBytes, 910163968u);
    EXPECT_EQ(go->verdict, fleet::FleetVerdict::Over);
    EXPECT_EQ(go->agentInstance, env.replay->instance());
    EXPECT_EQ(go->websocket, env.replay->websocket().toStdString());
    // 15 minutes in 15 s slots; empty (NaN) before Prometheus began, the replay's figure after.
    ASSERT_EQ(go->sparkline.size(), 61u);
    EXPECT_EQ(go->sparkline.back(), 910163968);
    EXPECT_TRUE(std::isnan(go->sparkline.front()));
    EXPECT_EQ(go->criticalSeconds, 0);
    // The demo's first, ended runs: the agent's own last figures.
    for (const auto* agent : {env.psp.get(), env.v6r.get()}) {
        const std::string session = agent == env.psp.get() ? "demo-psp-1" : "demo-v6r-small-1";
        const std::string platform = agent == env.psp.get() ? "psp" : "v6r-small";
        const auto own = parseExposition(agent->metrics(), session);
        const std::string labels = "{platform=\"" + platform + "\",session=\"" + session + "\",}";
        const fleet::FleetVm* vm = findVm(*snap, env.targetOf(*agent), session);
        ASSERT_NE(vm, nullptr) << session;
        EXPECT_EQ(vm->platform, platform);
        EXPECT_TRUE(vm->ended);
        EXPECT_EQ(static_cast<double>(vm->usedBytes), own.at("flight_memory_used_bytes" + labels));
        EXPECT_EQ(static_cast<double>(*vm->totalBytes), own.at("flight_memory_total_bytes" + labels));
        EXPECT_EQ(vm->pressureLevel, static_cast<int>(own.at("flight_memory_pressure_level" + labels)));
        EXPECT_NE(vm->verdict, fleet::FleetVerdict::NoBudget);
        // The hour's peak: the largest sample Prometheus holds (scrapes may miss the agent's exact peak).
        EXPECT_EQ(static_cast<double>(vm->peakBytes),
                  rawMax(env, QStringLiteral("flight_memory_used_bytes{session=\"%1\",instance=\"%2\"}")
                                  .arg(QString::fromStdString(session), env.targetOf(*agent)),
                         3600));
        EXPECT_LE(static_cast<double>(vm->peakBytes), own.at("flight_memory_peak_bytes" + labels));
    }
    // --platform narrows the rows to that platform.
    fleet::FleetQueryOptions psp;
    psp.platform = QStringLiteral("psp");
    const auto onlyPsp = fleet::queryFleet(clientOf(env), psp);
    ASSERT_TRUE(onlyPsp.has_value());
    ASSERT_FALSE(onlyPsp->vms.empty());
    for (const auto& vm : onlyPsp->vms)
        EXPECT_EQ(vm.platform, "psp");
}

TEST(PrometheusFleet, HistoryIsASessionWithThePeaksPrometheusHolds)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    // Ten minutes in 600 points: a point every second, every scrape's figures as Prometheus holds them.
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    fleet::HistoryRequest request;
    request.session = QStringLiteral("demo-psp-1");
    request.instance = env.targetOf(*env.psp);
    request.startMs = now - 600'000;
    request.endMs = now;
    request.maxPoints = 600;
    const auto history = fleet::loadHistory(clientOf(env), request);
    ASSERT_TRUE(history.has_value()) << history.error().message;
    EXPECT_EQ(history->stepSeconds, 1);
    ASSERT_EQ(history->sources.size(), 1u);
    EXPECT_EQ(history->sources[0].instance, env.targetOf(*env.psp).toStdString());
    const protocol::SessionStore& store = *history->sources[0].store;
    ASSERT_EQ(store.sessionCount(), 1u);
    EXPECT_EQ(store.decodeErrors(), 0u);
    EXPECT_EQ(store.sessionErrors(), 0u);
    const SessionModel& s = store.session(0);
    EXPECT_EQ(s.info().sessionId, "demo-psp-1");
    EXPECT_EQ(s.info().platform, "psp");
    EXPECT_TRUE(s.endedAt().has_value());
    const QString sel = QStringLiteral("{session=\"demo-psp-1\",instance=\"%1\"}").arg(env.targetOf(*env.psp));
    const double usedPeak = rawMax(env, QStringLiteral("flight_memory_used_bytes") + sel, 3600);
    EXPECT_EQ(static_cast<double>(s.peakBytes()), usedPeak);
    const auto own = parseExposition(env.psp->metrics(), "demo-psp-1");
    EXPECT_EQ(static_cast<double>(s.usedBytes()),
              own.at("flight_memory_used_bytes{platform=\"psp\",session=\"demo-psp-1\",}"));
    EXPECT_EQ(static_cast<double>(s.info().totalBytes),
              own.at("flight_memory_total_bytes{platform=\"psp\",session=\"demo-psp-1\",}"));
    // Each purpose at its own peak: the largest raw sample of its series, whatever the step.
    const auto purposePeak = [&](const char* purpose) {
        return rawMax(env,
                      QStringLiteral("flight_memory_purpose_bytes{session=\"demo-psp-1\",instance=\"%1\",purpose=\"%2\"}")
                          .arg(env.targetOf(*env.psp), QLatin1String(purpose)),
                      3600);
    };
    const PurposeUsage peaks = s.rangeSummary(s.firstMs(), s.lastMs()).peakByPurpose;
    for (const char* purpose : {"vm-heap", "asset-cache", "temporary"})
        EXPECT_EQ(static_cast<double>(peaks[*MemoryPurpose::fromStandardName(purpose)]), purposePeak(purpose)) << purpose;
    // An hour in 500 points (8 s each): the purposes' peaks still exact, used's never under.
    request.startMs = now - 3'600'000;
    request.maxPoints = 500;
    const auto coarse = fleet::loadHistory(clientOf(env), request);
    ASSERT_TRUE(coarse.has_value()) << coarse.error().message;
    EXPECT_EQ(coarse->stepSeconds, 8);
    const SessionModel& c = coarse->sources[0].store->session(0);
    EXPECT_GE(static_cast<double>(c.peakBytes()), usedPeak);
    const PurposeUsage coarsePeaks = c.rangeSummary(c.firstMs(), c.lastMs()).peakByPurpose;
    for (const char* purpose : {"vm-heap", "asset-cache", "temporary"})
        EXPECT_EQ(static_cast<double>(coarsePeaks[*MemoryPurpose::fromStandardName(purpose)]), purposePeak(purpose)) << purpose;

    // The replay: limits and figures as recorded.
    request.session = QStringLiteral("vm-go");
    request.instance.clear();
    const auto go = fleet::loadHistory(clientOf(env), request);
    ASSERT_TRUE(go.has_value()) << go.error().message;
    ASSERT_EQ(go->sources.size(), 1u);
    const SessionModel& g = go->sources[0].store->session(0);
    EXPECT_EQ(g.info().platform, "v6r-medium");
    EXPECT_EQ(g.usedBytes(), 910163968u);
    EXPECT_EQ(g.info().totalBytes, 1073741824u);
    ASSERT_TRUE(g.limits().has_value());
    EXPECT_EQ(g.limits()->softLimit.bytes, 858993459u);
    EXPECT_EQ(g.limits()->hardLimit.bytes, 966367641u);

    // Nothing matches: says so, with what to check.
    request.session = QStringLiteral("no-such-vm");
    const auto none = fleet::loadHistory(clientOf(env), request);
    ASSERT_FALSE(none.has_value());
    EXPECT_NE(none.error().message.find("has no flight_memory_used_bytes{session=\"no-such-vm\"}"), std::string::npos)
        << none.error().message;
}

TEST(PrometheusFleet, ASeriesThatDisappearsLeavesTheRowsButStaysInHistory)
{
    FleetEnvironment& env = settled();
    ASSERT_TRUE(env.error.isEmpty());
    // The capped agent exports one session: once its first run ended and the next began, the first goes.
    const QString target = env.targetOf(*env.capped);
    std::set<std::string> now, past;
    const bool gone = livetest::waitUntil([&] {
        const auto snap = fleet::queryFleet(clientOf(env));
        if (!snap)
            return false;
        now.clear();
        for (const auto& vm : snap->vms)
            if (vm.instance == target.toStdString())
                now.insert(vm.session);
        fleet::HistoryRequest r;
        r.instance = target;
        r.endMs = QDateTime::currentMSecsSinceEpoch();
        r.startMs = r.endMs - 600'000;
        r.maxPoints = 200;
        const auto h = fleet::loadHistory(clientOf(env), r);
        past.clear();
        if (h && !h->sources.empty())
            for (std::size_t i = 0; i < h->sources[0].store->sessionCount(); ++i)
                past.insert(h->sources[0].store->session(i).info().sessionId);
        return now.size() == 1 && past.size() > 1;
    }, 30'000);
    ASSERT_TRUE(gone) << now.size() << " rows now, " << past.size() << " sessions in history";
    EXPECT_TRUE(past.contains(*now.begin()));
    // The runs before the one in the rows (demo-vita-N numbers them) are gone from the agent too;
    // a later run may have begun since the rows were read.
    const auto runOf = [](const std::string& session) { return std::stoi(session.substr(session.rfind('-') + 1)); };
    for (const std::string& s : past) {
        if (runOf(s) < runOf(*now.begin())) {
            EXPECT_TRUE(parseExposition(env.capped->metrics(), s).empty()) << s;
        }
    }
}

TEST(PrometheusFleet, PrometheusDownOrSilentIsAClearError)
{
    livetest::ensureCoreApp();
    const livetest::ClosedPort closed;
    const fleet::PrometheusClient down(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closed.port())));
    const auto r = fleet::queryFleet(down);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message.rfind(QStringLiteral("cannot reach Prometheus at http://127.0.0.1:%1: ")
                                          .arg(closed.port())
                                          .toStdString(),
                                      0),
              0u)
        << r.error().message;
    EXPECT_NE(r.error().message.find("is it running?"), std::string::npos);

    // Accepts and never answers: the timeout ends the wait, named.
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost, 0));
    fleet::PrometheusClientOptions o;
    o.timeoutMs = 300;
    const fleet::PrometheusClient slow(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())), o);
    const auto t = slow.query(QStringLiteral("up"));
    ASSERT_FALSE(t.has_value());
    EXPECT_NE(t.error().message.find("did not answer within 0.3 s"), std::string::npos) << t.error().message;

    EXPECT_FALSE(fleet::PrometheusClient::parseUrl(QStringLiteral("ftp://x")).has_value());
    EXPECT_TRUE(fleet::PrometheusClient::parseUrl(QStringLiteral("http://127.0.0.1:9090")).has_value());
    EXPECT_EQ(fleet::parsePromDuration(QStringLiteral("1h30m")).value_or(0), 5'400'000);
    EXPECT_FALSE(fleet::parsePromDuration(QStringLiteral("24 hours")).has_value());
    EXPECT_EQ(fleet::stepForPoints(0, 3'600'000, 60), 60);
    EXPECT_EQ(fleet::stepForPoints(0, 3'600'000, 7000), 1);
}

TEST(PrometheusResponse, MalformedAnswersAreErrorsNotCrashes)
{
    EXPECT_FALSE(fleet::parsePrometheusResponse("not json").has_value());
    EXPECT_FALSE(fleet::parsePrometheusResponse("[]").has_value());
    EXPECT_FALSE(fleet::parsePrometheusResponse(R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}})").has_value());
    EXPECT_FALSE(fleet::parsePrometheusResponse(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":1},"values":[]}]}})").has_value());
    const auto err = fleet::parsePrometheusResponse(R"({"status":"error","errorType":"timeout","error":"query timed out\u001b[31m"})");
    ASSERT_FALSE(err.has_value());
    EXPECT_NE(err.error().message.find("timeout: query timed out"), std::string::npos);
    EXPECT_EQ(err.error().message.find('\x1b'), std::string::npos);
    const auto ok = fleet::parsePrometheusResponse(
        R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"session":"a"},"values":[[1.5,"2"],[2.5,"NaN"]]}]}})");
    ASSERT_TRUE(ok.has_value());
    ASSERT_EQ(ok->size(), 1u);
    EXPECT_EQ(ok->front().samples[0].timeMs, 1500);
    EXPECT_EQ(ok->front().samples[0].value, 2);
    EXPECT_TRUE(std::isnan(ok->front().samples[1].value));
    fleet::PromResponseLimits tight;
    tight.maxSeries = 0;
    EXPECT_FALSE(fleet::parsePrometheusResponse(
                     R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"2"]}]}})", tight)
                     .has_value());
}
